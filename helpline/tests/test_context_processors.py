"""The helpline's wording from its data: the weekly hours in one line, today's note, and the
status with full dates for paper."""

from datetime import date, time

import pytest

from helpline.context_processors import day_note, staffed_display, status_display
from helpline.hours import DateException, Hours, Schedule, status_at
from helpline.tests.test_hours import local

NINE_FOUR = Hours(time(9), time(16))
NINE_NOON = Hours(time(9), time(12))


@pytest.mark.parametrize(
    ("weekly", "expected"),
    [
        ((NINE_FOUR,) * 5 + (None, None), "Bemannad vardagar 09.00–16.00."),
        ((NINE_FOUR,) * 7, "Bemannad alla dagar 09.00–16.00."),
        (
            (NINE_FOUR,) * 4 + (NINE_NOON, None, None),
            "Bemannad måndag–torsdag 09.00–16.00 och fredag 09.00–12.00.",
        ),
        (
            (NINE_FOUR, None, NINE_FOUR, None, NINE_FOUR, None, None),
            "Bemannad måndag, onsdag och fredag 09.00–16.00.",
        ),
        (
            (NINE_FOUR, NINE_FOUR, NINE_FOUR, None, NINE_FOUR, NINE_NOON, NINE_NOON),
            "Bemannad måndag–onsdag och fredag 09.00–16.00 och lördag och söndag 09.00–12.00.",
        ),
        ((None,) * 7, "Stödtelefonen har inga fasta öppettider just nu."),
    ],
)
def test_the_staffed_line_follows_the_weekly_hours(weekly, expected):
    assert staffed_display(weekly) == expected


def test_todays_note_is_the_editors_or_the_holidays_name():
    schedule = Schedule(
        weekly=(NINE_FOUR,) * 5 + (None, None),
        exceptions=(DateException(date(2026, 12, 2), date(2026, 12, 2), None, "Personaldag"),),
    )
    assert day_note(schedule, local(2026, 12, 2, 10)) == "Personaldag"
    assert day_note(schedule, local(2026, 12, 3, 10)) == ""
    assert day_note(schedule, local(2026, 12, 25, 10)) == "Juldagen"
    assert day_note(schedule, local(2026, 12, 27, 10)) == ""  # a Sunday: closed anyway


def test_on_paper_the_status_carries_its_date():
    schedule = Schedule(weekly=(NINE_FOUR,) * 5 + (None, None))
    early = local(2026, 12, 7, 7, 30)  # a Monday before opening
    status = status_at(early, schedule)
    assert status_display(status, early) == "Stängt – öppnar i dag kl. 09.00"
    assert status_display(status, early, dated=True) == (
        "Stängt – öppnar måndag 7 december kl. 09.00"
    )
    open_now = local(2026, 12, 7, 10)
    assert status_display(status_at(open_now, schedule), open_now, dated=True) == (
        "Öppet nu – stänger måndag 7 december kl. 16.00"
    )
