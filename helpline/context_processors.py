"""`helpline` in every template: the number always, the live status when a template asks."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cached_property

from django.db import DatabaseError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.database import database_unavailable
from common.i18n import localized

from . import hours
from .loader import FALLBACK, HelplineInfo, Snapshot, cached_snapshot, load_snapshot
from .models import WEEKDAYS, hours_display

logger = logging.getLogger(__name__)


def when_display(moment: datetime, now: datetime, *, today: str = "", dated: bool = False) -> str:
    """ "kl. 16.00" today (after `today`, e.g. "i dag"), "måndag 28 december kl. 09.00"
    another day, or any day when `dated` (on paper "today" means nothing); Swedish time."""
    local = moment.astimezone(hours.TZ)
    time_part = _("kl. %(time)s") % {"time": formats.time_format(local.time())}
    if not dated and local.date() == now.astimezone(hours.TZ).date():
        return f"{today} {time_part}" if today else time_part
    return f"{formats.date_format(local.date(), 'l j F')} {time_part}"


def status_display(status: hours.Status, now: datetime, *, dated: bool = False) -> str:
    if status.is_open:
        if status.closes_at is None:
            return _("Öppet nu")
        return _("Öppet nu – stänger %(when)s") % {
            "when": when_display(status.closes_at, now, dated=dated)
        }
    if status.opens_at is None:
        return _("Stängt – inga planerade öppettider")
    return _("Stängt – öppnar %(when)s") % {
        "when": when_display(status.opens_at, now, today=_("i dag"), dated=dated)
    }


def day_note(schedule: hours.Schedule, now: datetime) -> str:
    """Why today differs from the week: the editor's note on today's exception, or the name
    of a holiday that closes a day the line is usually open ("Juldagen")."""
    today = now.astimezone(hours.TZ).date()
    exception = schedule.exception_on(today)
    if exception is not None:
        return localized(exception, "note")
    name = schedule.holiday_name(today)
    if name and schedule.weekly[today.weekday()] is not None:
        return name
    return ""


def _days_display(days: list[int]) -> str:
    """[0, 1, 2, 3, 4] -> "vardagar"; [0, 1, 2, 4] -> "måndag–onsdag och fredag"."""
    if days == [0, 1, 2, 3, 4]:
        return str(_("vardagar"))
    if days == list(range(7)):
        return str(_("alla dagar"))
    names = dict(WEEKDAYS)
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(str(names[day]) for day in run)
    return _join(parts)


def _join(parts: list[str]) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return _("%(list)s och %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def staffed_display(weekly: tuple[hours.Hours | None, ...]) -> str:
    """The weekly hours in one line: "Bemannad vardagar 09.00–16.00", or for an irregular week
    "Bemannad måndag–torsdag 09.00–16.00 och fredag 09.00–12.00"."""
    by_hours: dict[hours.Hours, list[int]] = {}
    for day, day_hours in enumerate(weekly):
        if day_hours is not None:
            by_hours.setdefault(day_hours, []).append(day)
    if not by_hours:
        return str(_("Stödtelefonen har inga fasta öppettider just nu."))
    parts = [
        f"{_days_display(days)} {hours_display(h.opens, h.closes)}" for h, days in by_hours.items()
    ]
    return _("Bemannad %(when)s.") % {"when": _join(parts)}


class HelplineContext:
    """Lazy: nothing is read until a template uses it, the status only when it is shown.

    When the database cannot be read it falls back to the plain numbers without a status
    and never raises: the 500 and 503 pages render through it.
    """

    def __init__(self, *, now: datetime, request=None):
        self.now = now
        self._request = request

    @cached_property
    def _snapshot(self) -> Snapshot | None:
        if self._request is not None and database_unavailable(self._request):
            # The 503 page: the database is down, hung or busy; do not wait on it again.
            return cached_snapshot()
        try:
            return load_snapshot()
        except DatabaseError:
            logger.warning("helpline schedule unavailable; showing the numbers only")
            return None

    @property
    def info(self) -> HelplineInfo:
        return self._snapshot.info if self._snapshot is not None else FALLBACK

    @property
    def name(self) -> str:
        return localized(self.info, "name")

    @property
    def number_display(self) -> str:
        return self.info.number_display

    @property
    def number_e164(self) -> str:
        return self.info.number_e164

    @property
    def alternatives(self):
        return self.info.alternatives

    @property
    def schedule(self) -> hours.Schedule | None:
        return self._snapshot.schedule if self._snapshot is not None else None

    @cached_property
    def status(self) -> hours.Status | None:
        schedule = self.schedule
        if schedule is None:
            return None
        return hours.status_at(self.now, schedule)

    @property
    def status_text(self) -> str:
        return status_display(self.status, self.now) if self.status is not None else ""

    @property
    def status_text_dated(self) -> str:
        """The status with full dates, for print."""
        if self.status is None:
            return ""
        return status_display(self.status, self.now, dated=True)

    @property
    def status_note(self) -> str:
        return day_note(self.schedule, self.now) if self.status is not None else ""

    @property
    def staffed_text(self) -> str:
        """ "Bemannad vardagar 09.00–16.00.", from the editable weekly hours ("" when the
        schedule cannot be read)."""
        return staffed_display(self.schedule.weekly) if self.schedule is not None else ""

    @property
    def is_open(self) -> bool | None:
        return None if self.status is None else self.status.is_open


def get_helpline(request) -> HelplineContext:
    """One HelplineContext per request, shared by the context processor and the views."""
    context = getattr(request, "_helpline_context", None)
    if context is None:
        context = HelplineContext(now=timezone.now(), request=request)
        request._helpline_context = context
    return context


def helpline(request):
    return {"helpline": get_helpline(request)}
