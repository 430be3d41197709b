"""`helpline` in every template: the number always, the live status when a template asks."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cached_property

from django.db import DatabaseError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.database import database_unavailable

from . import hours
from .loader import FALLBACK, HelplineInfo, Snapshot, cached_snapshot, load_snapshot

logger = logging.getLogger(__name__)


def when_display(moment: datetime, now: datetime, *, today: str = "") -> str:
    """ "kl. 16.00" today (after `today`, e.g. "i dag"), "måndag 28 december kl. 09.00"
    another day; Swedish local time."""
    local = moment.astimezone(hours.TZ)
    time_part = _("kl. %(time)s") % {"time": formats.time_format(local.time(), "H.i")}
    if local.date() == now.astimezone(hours.TZ).date():
        return f"{today} {time_part}" if today else time_part
    return f"{formats.date_format(local.date(), 'l j F')} {time_part}"


def status_display(status: hours.Status, now: datetime) -> str:
    if status.is_open:
        if status.closes_at is None:
            return _("Öppet nu")
        return _("Öppet nu – stänger %(when)s") % {"when": when_display(status.closes_at, now)}
    if status.opens_at is None:
        return _("Stängt – inga planerade öppettider")
    return _("Stängt – öppnar %(when)s") % {
        "when": when_display(status.opens_at, now, today=_("i dag"))
    }


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
        return self.info.name

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
