"""Import of an existing list and CSV export of subscribers with their evidence."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ..addresses import InvalidAddress, address_hash, normalise
from ..models import Subscriber, Suppression


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    suppressed: int = 0
    invalid: int = 0
    problems: list[str] = field(default_factory=list)


def _parse_moment(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    day = parse_date(value) if len(value) == 10 else None
    if day is not None:
        # A bare date: noon Swedish time, so the date reads the same in every time zone.
        moment = datetime(day.year, day.month, day.day, 12, 0)
    else:
        moment = parse_datetime(value)
        if moment is None:
            raise ValueError(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def subscribers_import(
    *, rows: Iterable[dict], now: datetime | None = None, batch: int = 500
) -> ImportReport:
    """Add an existing list as confirmed subscribers (basis "import"); sends no mail.

    Skips invalid rows, addresses already on the list in any state (someone who left stays
    gone), addresses in the suppression list, and repeats within the file.
    """
    now = now or timezone.now()
    report = ImportReport()
    seen: set[str] = set()
    pending: list[tuple[str, datetime]] = []

    for line, row in enumerate(rows, start=2):
        try:
            email = normalise(str(row.get("email") or ""))
            moment = _parse_moment(str(row.get("subscribed_at") or "")) or now
            if moment > now:
                raise ValueError("future")
        except (InvalidAddress, ValueError, OverflowError):
            report.invalid += 1
            report.problems.append(_("rad %(line)s: ogiltig") % {"line": line})
            continue
        if email in seen:
            report.duplicates += 1
            continue
        seen.add(email)
        pending.append((email, moment))
        if len(pending) >= batch:
            _import_batch(pending, report)
            pending.clear()
    _import_batch(pending, report)
    return report


def _import_batch(pending: list[tuple[str, datetime]], report: ImportReport) -> None:
    """Add one batch of valid, distinct addresses, skipping known and suppressed ones."""
    if not pending:
        return
    emails = [e for e, _m in pending]
    existing = set(Subscriber.objects.filter(email__in=emails).values_list("email", flat=True))
    hashes = {e: address_hash(e) for e in emails}
    blocked = set(
        Suppression.objects.filter(address_hash__in=hashes.values()).values_list(
            "address_hash", flat=True
        )
    )
    new = []
    for email, moment in pending:
        if email in existing:
            report.duplicates += 1
        elif hashes[email] in blocked:
            report.suppressed += 1
        else:
            new.append(
                Subscriber(
                    email=email,
                    state=Subscriber.State.CONFIRMED,
                    basis=Subscriber.Basis.IMPORT,
                    requested_at=moment,
                    confirmed_at=moment,
                    signup_text_version="import",
                    confirm_nonce="",
                )
            )
    with transaction.atomic():
        created = Subscriber.objects.bulk_create(new, ignore_conflicts=True)
    report.imported += len(created)


EXPORT_FIELDS = [
    "id",
    "email",
    "state",
    "basis",
    "requested_at",
    "confirmed_at",
    "signup_text_version",
    "confirmed_ip",
]


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if isinstance(value, datetime):
        text = value.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def subscribers_export_csv(*, queryset, out) -> int:
    """Write active subscribers with their evidence as CSV to `out`; return the row count."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for subscriber in queryset.confirmed().order_by("id").iterator(chunk_size=2000):
        writer.writerow([csv_safe(getattr(subscriber, name)) for name in EXPORT_FIELDS])
        count += 1
    return count
