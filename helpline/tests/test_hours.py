"""The opening rule, at dated moments in 2026–2028.

Every expected answer below was worked out from the calendar by hand (weekday, Swedish
holidays, summer time from the last Sunday of March to the last Sunday of October), not
by calling the function: default hours Monday–Friday 09:00–16:00 unless a test says
otherwise.
"""

from datetime import UTC, date, datetime, time

import pytest

from helpline.hours import (
    TZ,
    DateException,
    Hours,
    Schedule,
    closed_days,
    next_change,
    special_days,
    status_at,
    swedish_holidays,
)

OFFICE = Hours(time(9), time(16))
DEFAULT = Schedule(weekly=(OFFICE,) * 5 + (None, None))


def local(y, m, d, hh=0, mm=0, ss=0, fold=0):
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ, fold=fold)


def utc(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


OPEN, CLOSED = True, False

# (why, moment, open?, closes_at when open / opens_at when closed)
DEFAULT_CASES = [
    ("minute before opening, winter", local(2026, 11, 23, 8, 59), CLOSED, local(2026, 11, 23, 9)),
    ("second before opening", local(2026, 11, 23, 8, 59, 59), CLOSED, local(2026, 11, 23, 9)),
    ("exactly at opening", local(2026, 11, 23, 9, 0), OPEN, local(2026, 11, 23, 16)),
    ("minute after opening", local(2026, 11, 23, 9, 1), OPEN, local(2026, 11, 23, 16)),
    ("minute before closing", local(2026, 11, 23, 15, 59), OPEN, local(2026, 11, 23, 16)),
    ("exactly at closing", local(2026, 11, 23, 16, 0), CLOSED, local(2026, 11, 24, 9)),
    ("minute after closing", local(2026, 11, 23, 16, 1), CLOSED, local(2026, 11, 24, 9)),
    ("friday evening to monday", local(2026, 11, 27, 16, 30), CLOSED, local(2026, 11, 30, 9)),
    ("saturday", local(2026, 11, 28, 12), CLOSED, local(2026, 11, 30, 9)),
    ("sunday just before midnight", local(2026, 11, 29, 23, 59), CLOSED, local(2026, 11, 30, 9)),
    # Summer time starts Sunday 29 March 2026: Monday 09:00 is 07:00 UTC.
    ("friday before spring switch", local(2026, 3, 27, 16), CLOSED, utc(2026, 3, 30, 7)),
    ("monday after spring switch, UTC 06:59", utc(2026, 3, 30, 6, 59), CLOSED, utc(2026, 3, 30, 7)),
    ("monday after spring switch, UTC 07:00", utc(2026, 3, 30, 7, 0), OPEN, utc(2026, 3, 30, 14)),
    # Winter time from Sunday 25 October 2026: Monday 09:00 is 08:00 UTC.
    ("friday before autumn switch", local(2026, 10, 23, 16), CLOSED, utc(2026, 10, 26, 8)),
    (
        "repeated hour of the autumn switch",
        local(2026, 10, 25, 2, 30, fold=1),
        CLOSED,
        utc(2026, 10, 26, 8),
    ),
    (
        "monday after autumn switch, UTC 07:59",
        utc(2026, 10, 26, 7, 59),
        CLOSED,
        utc(2026, 10, 26, 8),
    ),
    ("monday after autumn switch, UTC 08:00", utc(2026, 10, 26, 8, 0), OPEN, utc(2026, 10, 26, 15)),
    # Easter 2026: Långfredagen 3 April, Annandag påsk 6 April (summer time).
    ("maundy thursday before closing", local(2026, 4, 2, 15, 59), OPEN, local(2026, 4, 2, 16)),
    ("maundy thursday at closing", local(2026, 4, 2, 16), CLOSED, local(2026, 4, 7, 9)),
    ("långfredagen", local(2026, 4, 3, 10), CLOSED, local(2026, 4, 7, 9)),
    ("annandag påsk", local(2026, 4, 6, 12), CLOSED, local(2026, 4, 7, 9)),
    ("tuesday after easter opens", local(2026, 4, 7, 9), OPEN, local(2026, 4, 7, 16)),
    # Easter 2027 with the spring switch on Påskdagen 28 March.
    ("easter 2027 across the spring switch", local(2027, 3, 25, 16), CLOSED, utc(2027, 3, 30, 7)),
    ("easter 2028", local(2028, 4, 13, 16), CLOSED, local(2028, 4, 18, 9)),
    ("första maj 2026 (friday)", local(2026, 4, 30, 16), CLOSED, local(2026, 5, 4, 9)),
    ("första maj 2028 (monday)", local(2028, 4, 28, 16), CLOSED, local(2028, 5, 2, 9)),
    ("eve of kristi himmelsfärd 2026", local(2026, 5, 13, 17), CLOSED, local(2026, 5, 15, 9)),
    ("kristi himmelsfärdsdag 2026", local(2026, 5, 14, 10), CLOSED, local(2026, 5, 15, 9)),
    ("kristi himmelsfärd 2027", local(2027, 5, 5, 16), CLOSED, local(2027, 5, 7, 9)),
    ("kristi himmelsfärdsdag 2028 at nine", local(2028, 5, 25, 9), CLOSED, local(2028, 5, 26, 9)),
    ("nationaldagen 2028 (tuesday)", local(2028, 6, 5, 16), CLOSED, local(2028, 6, 7, 9)),
    ("monday after nationaldagen on a sunday", local(2027, 6, 7, 9), OPEN, local(2027, 6, 7, 16)),
    ("day before midsommarafton 2026", local(2026, 6, 18, 16), CLOSED, local(2026, 6, 22, 9)),
    ("midsommarafton 2027", local(2027, 6, 25, 11), CLOSED, local(2027, 6, 28, 9)),
    ("day before midsommarafton 2028", local(2028, 6, 22, 12), OPEN, local(2028, 6, 22, 16)),
    ("summer weekday 2027", local(2027, 7, 14, 12), OPEN, utc(2027, 7, 14, 14)),
    ("friday before alla helgons dag 2026", local(2026, 10, 30, 10), OPEN, local(2026, 10, 30, 16)),
    (
        "friday before alla helgons dag 2027",
        local(2027, 11, 5, 15, 59),
        OPEN,
        local(2027, 11, 5, 16),
    ),
    ("before julafton 2026, open", local(2026, 12, 23, 15), OPEN, local(2026, 12, 23, 16)),
    (
        "christmas 2026: closed thursday to sunday",
        local(2026, 12, 23, 16),
        CLOSED,
        local(2026, 12, 28, 9),
    ),
    ("julafton 2026", local(2026, 12, 24, 10), CLOSED, local(2026, 12, 28, 9)),
    ("juldagen 2026", local(2026, 12, 25, 10), CLOSED, local(2026, 12, 28, 9)),
    ("nyårsafton 2026 to nyårsdagen 2027", local(2026, 12, 30, 16), CLOSED, local(2027, 1, 4, 9)),
    ("trettondedag jul 2027 (wednesday)", local(2027, 1, 5, 16), CLOSED, local(2027, 1, 7, 9)),
    ("christmas 2027 (friday to sunday)", local(2027, 12, 23, 16), CLOSED, local(2027, 12, 27, 9)),
    ("nyårsafton 2027 (friday)", local(2027, 12, 30, 16), CLOSED, local(2028, 1, 3, 9)),
    ("trettondedag jul 2028 (thursday)", local(2028, 1, 5, 16), CLOSED, local(2028, 1, 7, 9)),
    (
        "christmas 2028: juldagen monday, annandag tuesday",
        local(2028, 12, 22, 16),
        CLOSED,
        local(2028, 12, 27, 9),
    ),
    ("nyårsdagen 2029 on a monday", local(2028, 12, 29, 16), CLOSED, local(2029, 1, 2, 9)),
]


@pytest.mark.parametrize(
    ("moment", "is_open", "change"),
    [case[1:] for case in DEFAULT_CASES],
    ids=[case[0] for case in DEFAULT_CASES],
)
def test_default_schedule(moment, is_open, change):
    status = status_at(moment, DEFAULT)
    assert status.is_open is is_open
    if is_open:
        assert status.closes_at == change
        assert status.opens_at is None
    else:
        assert status.opens_at == change
        assert status.closes_at is None
    assert next_change(moment, DEFAULT) == change


def test_times_come_back_in_stockholm_time():
    status = status_at(utc(2026, 7, 1, 5), DEFAULT)
    assert status.opens_at.tzinfo == TZ
    assert (status.opens_at.hour, status.opens_at.utcoffset().total_seconds()) == (9, 7200)


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        status_at(datetime(2026, 11, 23, 10), DEFAULT)


def with_exceptions(*exceptions, weekly=DEFAULT.weekly):
    return Schedule(weekly=weekly, exceptions=exceptions)


def test_special_hours_on_trettondagsafton_close_early():
    schedule = with_exceptions(
        DateException(date(2026, 1, 5), date(2026, 1, 5), Hours(time(9), time(12)), "Stänger 12")
    )
    assert status_at(local(2026, 1, 5, 11, 59), schedule) == status_at(
        local(2026, 1, 5, 9), schedule
    )
    status = status_at(local(2026, 1, 5, 11, 59), schedule)
    assert status.is_open and status.closes_at == local(2026, 1, 5, 12)
    # 6 January 2026 is Trettondedag jul (a Tuesday): next opening Wednesday.
    status = status_at(local(2026, 1, 5, 12), schedule)
    assert not status.is_open and status.opens_at == local(2026, 1, 7, 9)


def test_closed_range_joins_christmas_and_new_year_into_one_long_closure():
    schedule = with_exceptions(DateException(date(2026, 12, 28), date(2026, 12, 30)))
    status = status_at(local(2026, 12, 23, 16), schedule)
    assert not status.is_open and status.opens_at == local(2027, 1, 4, 9)


def test_exception_opens_a_holiday():
    schedule = with_exceptions(
        DateException(date(2026, 6, 19), date(2026, 6, 19), Hours(time(9), time(12)))
    )
    status = status_at(local(2026, 6, 18, 16), schedule)
    assert status.opens_at == local(2026, 6, 19, 9)
    status = status_at(local(2026, 6, 19, 10), schedule)
    assert status.is_open and status.closes_at == local(2026, 6, 19, 12)


def test_exception_opens_a_saturday_after_långfredagen():
    schedule = with_exceptions(
        DateException(date(2027, 3, 27), date(2027, 3, 27), Hours(time(10), time(14)))
    )
    assert status_at(local(2027, 3, 25, 16), schedule).opens_at == local(2027, 3, 27, 10)


def test_exception_closes_an_ordinary_weekday():
    schedule = with_exceptions(
        DateException(date(2027, 9, 14), date(2027, 9, 14), None, "Personaldag")
    )
    assert status_at(local(2027, 9, 13, 16), schedule).opens_at == local(2027, 9, 15, 9)
    assert not status_at(local(2027, 9, 14, 12), schedule).is_open


def test_special_hours_across_the_missing_spring_hour_last_two_hours():
    schedule = with_exceptions(
        DateException(date(2026, 3, 29), date(2026, 3, 29), Hours(time(1), time(4)))
    )
    status = status_at(utc(2026, 3, 29, 0, 30), schedule)  # 01:30 winter time
    assert status.is_open
    assert status.closes_at == utc(2026, 3, 29, 2)  # 04:00 summer time
    assert not status_at(utc(2026, 3, 29, 2), schedule).is_open


def test_special_hours_across_the_repeated_autumn_hour_last_four_hours():
    schedule = with_exceptions(
        DateException(date(2026, 10, 25), date(2026, 10, 25), Hours(time(1), time(4)))
    )
    assert status_at(utc(2026, 10, 24, 22, 59), schedule).opens_at == utc(2026, 10, 24, 23)
    # 02:30 the second time round (winter time) is still inside the special hours.
    status = status_at(local(2026, 10, 25, 2, 30, fold=1), schedule)
    assert status.is_open and status.closes_at == utc(2026, 10, 25, 3)


def test_open_to_midnight_joins_the_next_day_from_midnight():
    schedule = with_exceptions(
        DateException(date(2027, 10, 1), date(2027, 10, 1), Hours(time(9), time(0))),
        DateException(date(2027, 10, 2), date(2027, 10, 2), Hours(time(0), time(12))),
    )
    status = status_at(local(2027, 10, 1, 20), schedule)
    assert status.is_open and status.closes_at == local(2027, 10, 2, 12)


def test_around_the_clock_week_closes_on_julafton():
    always = Hours(time(0), time(0))
    schedule = Schedule(weekly=(always,) * 7)
    status = status_at(local(2026, 11, 23, 12), schedule)
    assert status.is_open and status.closes_at == local(2026, 12, 24, 0)
    # Reopens at midnight after Annandag jul (Saturday 26 December).
    assert status_at(local(2026, 12, 24, 12), schedule).opens_at == local(2026, 12, 27, 0)


def test_never_open_schedule_terminates_without_an_opening():
    status = status_at(local(2026, 11, 23, 12), Schedule(weekly=(None,) * 7))
    assert status == status_at(local(2028, 2, 29, 12), Schedule(weekly=(None,) * 7))
    assert not status.is_open and status.opens_at is None and status.closes_at is None


def test_closure_longer_than_a_year_means_no_planned_hours():
    schedule = with_exceptions(DateException(date(2026, 1, 1), date(2027, 12, 31)))
    status = status_at(local(2026, 6, 1, 10), schedule)
    assert not status.is_open and status.opens_at is None


def test_closure_shorter_than_a_year_finds_the_reopening():
    schedule = with_exceptions(DateException(date(2026, 1, 1), date(2026, 12, 31)))
    # 1 January 2027 is Nyårsdagen, 2–3 January a weekend.
    assert status_at(local(2026, 6, 1, 10), schedule).opens_at == local(2027, 1, 4, 9)


def test_holiday_calendar_has_eves_and_no_plain_sundays():
    days = swedish_holidays(2026)
    assert days[date(2026, 6, 19)] == "Midsommarafton"
    assert days[date(2026, 12, 24)] == "Julafton"
    assert days[date(2026, 12, 31)] == "Nyårsafton"
    assert days[date(2026, 1, 6)] == "Trettondedag jul"
    assert date(2026, 11, 22) not in days  # an ordinary Sunday
    assert "Söndag" not in days.values()
    assert date(2026, 4, 5) in days  # Påskdagen is named even though it is a Sunday


def test_closed_days_lists_weekday_holidays_with_swedish_names():
    days = closed_days(DEFAULT, date(2026, 12, 1), 60)  # 1 December – 29 January
    assert [(d.day, d.name) for d in days] == [
        (date(2026, 12, 24), "Julafton"),
        (date(2026, 12, 25), "Juldagen"),
        (date(2026, 12, 31), "Nyårsafton"),
        (date(2027, 1, 1), "Nyårsdagen"),
        (date(2027, 1, 6), "Trettondedag jul"),
    ]


def test_special_days_include_editor_notes_and_special_hours():
    schedule = with_exceptions(
        DateException(date(2027, 1, 5), date(2027, 1, 5), Hours(time(9), time(12)), "Kort dag"),
        DateException(date(2027, 1, 6), date(2027, 1, 6), None, "Stängt för helgen"),
    )
    days = special_days(schedule, date(2027, 1, 4), 3)
    assert [(d.day, d.closed, d.name, d.note) for d in days] == [
        (date(2027, 1, 5), False, "", "Kort dag"),
        (date(2027, 1, 6), True, "Trettondedag jul", "Stängt för helgen"),
    ]
