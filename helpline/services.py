"""Writes to the helpline's data outside the admin (shell, commands, other apps).

Each validates exactly as the admin does (the models' `clean`) before it saves; the
signals in `signals.py` then drop the cached schedule, so every page shows the change.
"""

from datetime import date, time

from django.db import transaction

from .models import Helpline, HoursException, WeeklyHours


def _current_helpline() -> Helpline:
    helpline = Helpline.objects.current()
    if helpline is None:
        raise Helpline.DoesNotExist("no helpline: run the migrations")
    return helpline


@transaction.atomic
def weekly_hours_set(*, weekday: int, opens: time | None, closes: time | None) -> WeeklyHours:
    """Set one weekday's hours (both None: closed that day). Raises ValidationError."""
    row, _ = WeeklyHours.objects.get_or_create(helpline=_current_helpline(), weekday=weekday)
    row.opens, row.closes = opens, closes
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def hours_exception_create(
    *,
    start_date: date,
    end_date: date | None = None,
    opens: time | None = None,
    closes: time | None = None,
    note: str = "",
) -> HoursException:
    """Closed on start_date..end_date, or special hours when opens/closes are given.

    Raises ValidationError (in Swedish) on bad times or an overlap with another exception.
    """
    special = opens is not None or closes is not None
    exception = HoursException(
        helpline=_current_helpline(),
        start_date=start_date,
        end_date=end_date,
        kind=HoursException.SPECIAL if special else HoursException.CLOSED,
        opens=opens,
        closes=closes,
        note=note,
    )
    exception.full_clean()
    exception.save()
    return exception
