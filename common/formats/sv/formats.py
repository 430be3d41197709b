"""Swedish date and time formats for the whole site (settings.FORMAT_MODULE_PATH).

Django falls back to its own Swedish module for anything not set here. The input formats are
what every form accepts, in the order they are tried; the first one is how a form shows a
stored value. Forms that strptime cannot describe (month names in Swedish, a date without a
year, "930") are read by ``common.dateparse``, which starts from these lists.
"""

# How dates and times are shown: "7 december 2026", "12.00" (Språkrådet's clock style).
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j F Y \k\l. H.i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H.i"
FIRST_DAY_OF_WEEK = 1

# Never day and month the American way round: "7/12 2026" is the 7th of December.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-07
    "%d/%m %Y",  # 7/12 2026
    "%d/%m/%Y",  # 7/12/2026
    "%d.%m.%Y",  # 7.12.2026
    "%d.%m %Y",  # 7.12 2026
    "%Y%m%d",  # 20261207
]
TIME_INPUT_FORMATS = [
    "%H.%M",  # 12.00
    "%H:%M",  # 12:00
    "%H",  # 12 (before %H%M, which would read "12" as 01.02)
    "%H%M",  # 1200
    "%H:%M:%S",  # 12:00:00
    "%H.%M.%S",  # 12.00.00
]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}"
    for date in ("%Y-%m-%d", "%d/%m %Y", "%d/%m/%Y", "%d.%m.%Y")
    for time in ("%H.%M", "%H:%M", "%H:%M:%S")
] + ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
