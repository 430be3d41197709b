"""`helpline` in every template: lazy, never failing when the database is down, and worded
from the data (the weekly hours in one line, today's note, the status dated for paper)."""

from datetime import date, time

import pytest
import time_machine
from django.template import loader
from django.test import RequestFactory

from helpline.context_processors import day_note, staffed_display, status_display
from helpline.hours import DateException, Hours, Schedule, status_at
from helpline.tests.test_hours import local

pytestmark = pytest.mark.django_db

MONDAY_OPEN = local(2026, 11, 23, 10, 0)


def test_error_page_with_the_database_down_shows_numbers_without_status(helpline, database_down):
    request = RequestFactory().get("/")
    html = loader.get_template("500.html").render({}, request)
    assert 'href="tel:+4620390000"' in html
    assert 'href="tel:11414"' in html and 'href="tel:112"' in html
    assert "Öppet nu" not in html and "Stängt –" not in html


def test_status_is_not_computed_when_no_template_shows_it(helpline, monkeypatch):
    from django.template import RequestContext, Template

    from helpline import hours
    from helpline.context_processors import get_helpline

    computed = []
    status_at = hours.status_at
    monkeypatch.setattr(hours, "status_at", lambda *args: computed.append(args) or status_at(*args))
    request = RequestFactory().get("/")
    with time_machine.travel(MONDAY_OPEN, tick=False):
        number = Template("{{ helpline.number_display }}").render(RequestContext(request))
        assert number == "020-39 00 00"
        assert computed == []
        shown = Template("{{ helpline.status_text }}").render(RequestContext(request))
    assert shown == "Öppet nu – stänger kl. 16.00"
    assert len(computed) == 1
    context = get_helpline(request)
    assert context.status.next_change == local(2026, 11, 23, 16, 0)
    assert context.status.next_change.tzinfo is not None
    assert context.now.tzinfo is not None


def test_building_the_context_reads_nothing(helpline, django_assert_num_queries):
    from helpline.context_processors import helpline as processor

    with django_assert_num_queries(0):
        processor(RequestFactory().get("/"))


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
