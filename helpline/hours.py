"""When the helpline is staffed: a pure rule over a schedule value.

Nothing here reads the clock, the request or the database (callers without a schedule ask
`loader.status_now()`). Every answer is a function of the moment and the schedule, which is
what lets the tests ask about any minute of any year.

All arithmetic is done on UTC instants. Local opening times are turned into instants with
zoneinfo, so a day with a summer-time switch has 23 or 25 hours and 09:00 is still 09:00.
(Comparing two datetimes that share a tzinfo compares wall-clock readings, which is wrong
across the autumn switch; converting to UTC first avoids that trap.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import get_language

TZ = ZoneInfo("Europe/Stockholm")
MIDNIGHT = time(0, 0)
# How far ahead the rule looks for the next opening before it says "no planned hours".
LOOKAHEAD_DAYS = 366


@dataclass(frozen=True)
class Hours:
    """Opening hours on one day. `closes` 00:00 means midnight at the end of the day."""

    opens: time
    closes: time

    def __post_init__(self):
        if self.closes != MIDNIGHT and self.closes <= self.opens:
            raise ValueError(f"closes {self.closes} is not after opens {self.opens}")


@dataclass(frozen=True)
class DateException:
    """An editor's exception for `start`..`end` inclusive: closed (hours None) or special hours."""

    start: date
    end: date
    hours: Hours | None = None
    note: str = ""
    note_en: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


# The `holidays` package's name for each of the site's languages.
HOLIDAY_LANGUAGES = {"sv": "sv", "en": "en_US"}


@lru_cache(maxsize=64)
def swedish_holidays(year: int, language: str = "sv") -> Mapping[date, str]:
    """Public holidays plus Midsommarafton, Julafton and Nyårsafton, with names in
    ``language`` (a `holidays` language code: "sv", "en_US").

    The `holidays` package can list every Sunday as "Söndag" (Sweden's holiday law counts
    them); a Sunday is not a holiday here, so those entries are dropped. A named holiday
    that falls on a Sunday (Påskdagen) is kept.
    """
    calendar = holidays.country_holidays(
        "SE", categories=("public", "de_facto"), language="sv", years=year
    )
    days = {}
    for day, names in calendar.items():
        kept = [n.strip() for n in names.split(";") if n.strip() and n.strip() != "Söndag"]
        if kept:
            days[day] = "; ".join(kept)
    if language == "sv":
        return days
    # Which days are holidays is Swedish law; only their names differ.
    named = holidays.country_holidays(
        "SE", categories=("public", "de_facto"), language=language, years=year
    )
    return {day: named.get(day) or name for day, name in days.items()}


def holiday_name_se(day: date) -> str | None:
    """The holiday's name in the active language (presentation only: which days are
    holidays does not depend on it)."""
    language = HOLIDAY_LANGUAGES.get(get_language() or "sv", "sv")
    return swedish_holidays(day.year, language).get(day)


@dataclass(frozen=True)
class Schedule:
    """Everything the rule needs: weekly hours (Monday first), exceptions, holiday calendar."""

    weekly: tuple[Hours | None, ...]
    exceptions: tuple[DateException, ...] = ()
    holiday_name: Callable[[date], str | None] = field(default=holiday_name_se)

    def __post_init__(self):
        if len(self.weekly) != 7:
            raise ValueError("weekly needs seven entries, Monday first")

    def exception_on(self, day: date) -> DateException | None:
        for exception in self.exceptions:
            if exception.covers(day):
                return exception
        return None

    def hours_on(self, day: date) -> Hours | None:
        """The hours that apply on `day`: an exception wins over holidays and the week."""
        exception = self.exception_on(day)
        if exception is not None:
            return exception.hours
        if self.holiday_name(day):
            return None
        return self.weekly[day.weekday()]


@dataclass(frozen=True)
class Status:
    is_open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None

    @property
    def next_change(self) -> datetime | None:
        return self.closes_at if self.is_open else self.opens_at


def _interval(day: date, hours: Hours) -> tuple[datetime, datetime]:
    start = datetime.combine(day, hours.opens, tzinfo=TZ).astimezone(UTC)
    end_day = day + timedelta(days=1) if hours.closes == MIDNIGHT else day
    end = datetime.combine(end_day, hours.closes, tzinfo=TZ).astimezone(UTC)
    return start, end


def _intervals_from(
    schedule: Schedule, first: date, days: int
) -> Iterator[tuple[datetime, datetime]]:
    for offset in range(days):
        day = first + timedelta(days=offset)
        hours = schedule.hours_on(day)
        if hours is not None:
            yield _interval(day, hours)


def status_at(moment: datetime, schedule: Schedule) -> Status:
    """Whether the line is staffed at `moment` (aware), and when that changes.

    Open: `closes_at` is when it closes (days that run to midnight and the next that
    opens at 00:00 join up). Closed: `opens_at` is the next opening, or None when nothing
    opens within LOOKAHEAD_DAYS. Returned times are in Europe/Stockholm.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("status_at needs a timezone-aware datetime")
    now = moment.astimezone(UTC)
    today = now.astimezone(TZ).date()
    # An interval never crosses local midnight, so only today's can contain `now`.
    for start, end in _intervals_from(schedule, today, LOOKAHEAD_DAYS + 1):
        if end <= now:
            continue
        if start <= now:
            return Status(is_open=True, closes_at=_closing(schedule, end))
        return Status(is_open=False, opens_at=start.astimezone(TZ))
    return Status(is_open=False)


def _closing(schedule: Schedule, end: datetime) -> datetime | None:
    """When the line really closes: a day open to midnight joins a next day opening 00:00.

    None when it stays open through the whole lookahead (staffed around the clock).
    """
    for _ in range(LOOKAHEAD_DAYS):
        day = end.astimezone(TZ).date()
        hours = schedule.hours_on(day)
        if hours is None:
            return end.astimezone(TZ)
        start, next_end = _interval(day, hours)
        if start != end:
            return end.astimezone(TZ)
        end = next_end
    return None


def next_change(moment: datetime, schedule: Schedule) -> datetime | None:
    """The next opening or closing after `moment`: cached status must expire by then."""
    return status_at(moment, schedule).next_change


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from the weekly hours: closed (hours None) or special hours."""

    day: date
    hours: Hours | None
    name: str = ""  # the holiday's name in the active language, if any
    note: str = ""  # the editor's note, if any
    note_en: str = ""  # the same in English

    @property
    def closed(self) -> bool:
        return self.hours is None


def special_days(schedule: Schedule, start_date: date, days: int) -> list[SpecialDay]:
    """Days in `start_date`..+`days` whose hours differ from the weekly ones.

    A holiday counts only when the line would otherwise be open that day (nobody needs to
    be told that a Sunday is closed); an editor's exception always counts, with its note.
    """
    result = []
    for offset in range(days):
        day = start_date + timedelta(days=offset)
        name = schedule.holiday_name(day) or ""
        exception = schedule.exception_on(day)
        if exception is not None:
            result.append(SpecialDay(day, exception.hours, name, exception.note, exception.note_en))
        elif name and schedule.weekly[day.weekday()] is not None:
            result.append(SpecialDay(day, None, name))
    return result


def closed_days(schedule: Schedule, start_date: date, days: int) -> list[SpecialDay]:
    """The days in `start_date`..+`days` the line is closed though the week says open,
    plus days an editor closed, each with its Swedish holiday name and/or note."""
    return [d for d in special_days(schedule, start_date, days) if d.closed]
