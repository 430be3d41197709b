"""Build the helpline's schedule value from the database, and keep it in Django's cache.

The cached value holds the number, the alternatives and the schedule, never a status: a
status is computed per request from the schedule and the clock, so the cache cannot show a
stale "open". Every save or delete of a helpline model bumps a version number (see
`signals.py`), so the next request reads the database again; the timeout only bounds how
long a process with a private cache (LocMemCache) could lag behind another's save.
"""

from __future__ import annotations

import logging
import time as clock
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone

from common.logging import warn_now_and_then

from . import hours

logger = logging.getLogger(__name__)

CACHE_KEY = "helpline:snapshot:{version}"
VERSION_KEY = "helpline:snapshot:version"


@dataclass(frozen=True)
class Alternative:
    text: str
    number: str = ""
    tel: str = ""
    text_en: str = ""


@dataclass(frozen=True)
class HelplineInfo:
    name: str
    number_display: str
    number_e164: str
    alternatives: tuple[Alternative, ...]
    name_en: str = ""


@dataclass(frozen=True)
class Snapshot:
    info: HelplineInfo
    schedule: hours.Schedule | None  # None: no helpline in the database, so no status


# What every page shows when the database cannot be read (or holds no helpline).
FALLBACK = HelplineInfo(
    name="Stödtelefon för yrkesverksamma",
    name_en="Helpline for professionals",
    number_display="020-39 00 00",
    number_e164="+4620390000",
    alternatives=(
        Alternative("Brådskande: ring polisen på", "114 14", "11414", "Urgent: call the police on"),
        Alternative(
            "Kontakta socialjouren i din kommun",
            text_en="Contact the social services' on-call team (socialjouren) in your municipality",
        ),
        Alternative("Vid akut fara: ring", "112", "112", "In immediate danger: call"),
    ),
)
NEVER_OPEN = hours.Schedule(weekly=(None,) * 7)


def build_snapshot() -> Snapshot:
    """Read the helpline in four queries, whatever the date or the number of rows."""
    from .models import Alternative as AlternativeModel
    from .models import Helpline, HoursException, WeeklyHours

    helpline = (
        Helpline.objects.order_by("pk")
        .prefetch_related(
            Prefetch("weekly_hours", queryset=WeeklyHours.objects.order_by("weekday")),
            Prefetch("exceptions", queryset=HoursException.objects.order_by("start_date")),
            Prefetch("alternatives", queryset=AlternativeModel.objects.order_by("order", "pk")),
        )
        .first()
    )
    if helpline is None:
        return Snapshot(FALLBACK, None)
    weekly: list[hours.Hours | None] = [None] * 7
    for row in helpline.weekly_hours.all():
        weekly[row.weekday] = row.to_hours()
    schedule = hours.Schedule(
        weekly=tuple(weekly),
        exceptions=tuple(e.to_exception() for e in helpline.exceptions.all()),
    )
    info = HelplineInfo(
        name=helpline.name,
        name_en=helpline.name_en,
        number_display=helpline.number_display,
        number_e164=helpline.number_e164,
        alternatives=tuple(
            Alternative(a.text, a.number, a.tel, a.text_en) for a in helpline.alternatives.all()
        ),
    )
    return Snapshot(info, schedule)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, clock.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def cached_snapshot() -> Snapshot | None:
    """The snapshot if the cache holds one, without touching the database; never raises."""
    try:
        return cache.get(CACHE_KEY.format(version=_version()))
    except Exception:
        warn_now_and_then(logger, "helpline cache unavailable")
        return None


def load_snapshot() -> Snapshot:
    """The current snapshot, from the cache when it holds one. Raises DatabaseError."""
    try:
        key = CACHE_KEY.format(version=_version())
        snapshot = cache.get(key)
    except Exception:  # a cache outage must not take the number off the page
        warn_now_and_then(logger, "helpline cache unavailable")
        return build_snapshot()
    if snapshot is None:
        snapshot = build_snapshot()
        try:
            cache.set(key, snapshot, timeout=settings.HELPLINE_CACHE_SECONDS)
        except Exception:
            warn_now_and_then(logger, "helpline cache unavailable")
    return snapshot


def load_schedule() -> hours.Schedule:
    """The current schedule (a never-open one when no helpline exists). Raises DatabaseError."""
    return load_snapshot().schedule or NEVER_OPEN


def status_now(now: datetime | None = None) -> hours.Status:
    """The status at `now` (default: the clock) under the stored schedule, for callers that
    hold no schedule of their own. Raises DatabaseError."""
    return hours.status_at(now or timezone.now(), load_schedule())


def next_status_change(now: datetime) -> datetime | None:
    """When the line next opens or closes after ``now``: a stored page showing the status
    expires then. Raises DatabaseError when the schedule cannot be read."""
    return hours.next_change(now, load_schedule())


def snapshot_cache_clear() -> None:
    """Make the next read go to the database (called on every save/delete, and on commit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any fresh one misses every old key
        cache.set(VERSION_KEY, clock.time_ns(), timeout=None)
    except Exception:
        warn_now_and_then(logger, "helpline cache unavailable")
