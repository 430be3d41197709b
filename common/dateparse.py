"""Reading dates and times the way Swedish editors write them.

The strptime forms are listed once, in the Swedish format module
(``common/formats/sv/formats.py``, the site's ``FORMAT_MODULE_PATH``). This module adds the
forms strptime cannot describe:

- a month by its Swedish name or abbreviation: "7 december 2026", "7 dec 2026", "7 dec. 2026";
- a date without a year, "7 december", "7/12", "7.12": the next such date on or after
  today (the caller says which day today is, in Europe/Stockholm);
- a time as three digits, "930" (09.30); strptime would read "123" as 12.03, so three
  digits are always one hour digit and two minute digits.

Both functions are pure: they never read the clock. They return None for what they cannot
read; the form fields in ``common.formfields`` turn that into a Swedish message.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.utils import formats

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
# "jan", "feb", "sept", "okt": any start of a month's name of at least three letters.
_MIN_ABBREVIATION = 3

_WEEKDAY = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|mån|tis|ons|tors|tor|fre|lör|sön)"
_NAMED = re.compile(
    rf"^(?:{_WEEKDAY}\.?,?\s+(?:den\s+)?)?(?P<day>\d{{1,2}})(?::e|:a)?\.?\s*"
    r"(?P<month>[a-zåäö]+)\.?(?:\s+(?P<year>\d{4}))?$"
)
_NUMERIC_NO_YEAR = re.compile(r"^(?P<day>\d{1,2})\s*[./]\s*(?P<month>\d{1,2})\.?$")
_TIME_PREFIX = re.compile(r"^(?:kl\.?|klockan)\s*")
# How far ahead to look for a 29 February without a year.
_LEAP_SEARCH_YEARS = 8


def _input_formats(name: str) -> list[str]:
    # Swedish whatever language is active: a management command or a test may run with
    # translations off, and Django's global default would read 7/12 as 12 July.
    return formats.get_format(name, lang=settings.LANGUAGE_CODE)


def _normalise(text: str) -> str:
    return " ".join(str(text).replace("\xa0", " ").split()).lower()


def month_number(word: str) -> int | None:
    """1–12 for a Swedish month name or its abbreviation ("dec", "sept"), else None."""
    word = word.lower().rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    if len(word) < _MIN_ABBREVIATION:
        return None
    matches = {number for name, number in MONTHS.items() if name.startswith(word)}
    return matches.pop() if len(matches) == 1 else None


def _next_occurrence(day: int, month: int, today: dt.date) -> dt.date | None:
    """The first date with this day and month on or after ``today``."""
    for year in range(today.year, today.year + _LEAP_SEARCH_YEARS + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue  # 29 February in a common year, or 31 April in every year
        if candidate >= today:
            return candidate
    return None


def _make_date(day: int, month: int, year: int | None, today: dt.date) -> dt.date | None:
    if year is None:
        return _next_occurrence(day, month, today)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, *, today: dt.date) -> dt.date | None:
    """A date from any form the site accepts; None when ``text`` is not one of them."""
    value = _normalise(text)
    if not value:
        return None
    for format in _input_formats("DATE_INPUT_FORMATS"):
        try:
            return dt.datetime.strptime(value, format).date()
        except ValueError:
            continue
    named = _NAMED.match(value)
    if named:
        month = month_number(named["month"])
        if month is None:
            return None
        year = int(named["year"]) if named["year"] else None
        return _make_date(int(named["day"]), month, year, today)
    numeric = _NUMERIC_NO_YEAR.match(value)
    if numeric:
        return _make_date(int(numeric["day"]), int(numeric["month"]), None, today)
    return None


def parse_time(text: str) -> dt.time | None:
    """A time from any form the site accepts ("12.00", "12:00", "1200", "12", "kl. 9.30")."""
    value = _TIME_PREFIX.sub("", _normalise(text))
    if value.isdigit() and len(value) == 3:
        value = "0" + value  # "930" is 09.30, never 93.0 or 9.3
    if not value or (value.isdigit() and len(value) > 4):
        return None
    for format in _input_formats("TIME_INPUT_FORMATS"):
        try:
            return dt.datetime.strptime(value, format).time()
        except ValueError:
            continue
    return None


def parse_datetime(text: str, *, today: dt.date) -> dt.datetime | None:
    """A naive local date and time: any accepted date, a space (or "kl."), any accepted time."""
    value = _normalise(text)
    if not value:
        return None
    for format in _input_formats("DATETIME_INPUT_FORMATS"):
        try:
            return dt.datetime.strptime(value, format)
        except ValueError:
            continue
    date_part, sep, time_part = re.sub(r"\s+(?:kl\.?|klockan)\s+", " ", value).rpartition(" ")
    if not sep:
        return None
    day = parse_date(date_part, today=today)
    moment = parse_time(time_part)
    if day is None or moment is None:
        return None
    return dt.datetime.combine(day, moment)
