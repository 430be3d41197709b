"""English date and time formats for the English pages (/en/…): British day-month order and
a 24-hour clock, "28 December 2026", "Monday 28 December", "09:00" (Swedish time).

The input formats are the Swedish ones: the same forms accept the same dates on both sides.
"""

from common.formats.sv.formats import (  # noqa: F401 - read by Django's format lookup
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
