"""The coordinator lookup's data, read from the database once per content version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from . import memo
from .lookup import LookupIndex
from .models import Contact, County, Municipality, Phone, PostalCode, Region


@dataclass(frozen=True)
class Directory:
    """Everything the coordinator pages show that does not depend on the query."""

    index: LookupIndex
    regions: list  # with .counties (prefetched) and .coordinators (published, with phones)
    municipalities: list  # by name, with county


def _build() -> Directory:
    regions = list(Region.objects.with_counties_and_coordinators())
    municipalities = list(Municipality.objects.for_lookup())
    counties = [c for r in regions for c in r.counties.all()]
    counties += list(County.objects.filter(region__isnull=True))
    postal_codes = PostalCode.objects.values_list("code", "locality", "municipality__code")
    index = LookupIndex.build(
        municipalities=municipalities,
        counties=counties,
        regions=regions,
        postal_codes=postal_codes.iterator(chunk_size=5000),
    )
    return Directory(index=index, regions=regions, municipalities=municipalities)


def directory(*, version: str | None | object = memo.UNREAD) -> Directory:
    """``version``: the content version when the caller has read it already this request."""
    return memo.memoised("directory", _build, version=version)


def _newest_change() -> datetime | None:
    dates = [
        model.history.aggregate(newest=Max("history_date"))["newest"]
        for model in (Contact, Phone, Region, County)
    ]
    return max((d for d in dates if d is not None), default=None)


def last_updated(*, version: str | None | object = memo.UNREAD) -> datetime | None:
    """When the contacts, their numbers, the regions or the counties last changed (added,
    edited or deleted): what the contact and coordinator pages show."""
    return memo.memoised("last_updated", _newest_change, version=version)
