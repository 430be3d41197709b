"""The helpline in English (/en/…): the live status, holidays, dates and times as an
English reader writes them, the alternatives in English, and status.json unchanged."""

import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from helpline.hours import TZ
from helpline.models import Alternative, HoursException
from helpline.tests.test_hours import local
from helpline.tests.test_views import MONDAY_EARLY, MONDAY_OPEN, SUNDAY_BEFORE_28_DEC, text

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE_MORNING = local(2026, 12, 24, 10, 0)


def english(url_name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(url_name, kwargs=kwargs or None)


def swedish(url_name: str, **kwargs) -> str:
    # Explicit: after a request to an English page English is still active in this thread.
    with translation.override("sv"):
        return reverse(url_name, kwargs=kwargs or None)


@pytest.mark.parametrize("url_name", ["pages:home", "helpline:detail", "pages:about"])
def test_open_status_in_english(client, helpline, url_name):
    with time_machine.travel(MONDAY_OPEN, tick=False):
        response = client.get(english(url_name))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Open now – closes at 16:00" in text(response)


def test_closed_status_names_the_next_opening_in_english(client, helpline):
    with time_machine.travel(SUNDAY_BEFORE_28_DEC, tick=False):
        page = text(client.get(english("pages:home")))
    assert "Closed – opens Monday 28 December at 09:00" in page
    assert "Urgent? Other numbers" in page


def test_closed_before_opening_says_today_in_english(client, helpline):
    with time_machine.travel(MONDAY_EARLY, tick=False):
        html = client.get(english("pages:about")).content.decode()
    assert '<span class="screen-only">Closed – opens today at 09:00</span>' in html
    assert (
        '<span class="print-only" hidden>Closed – opens Monday 23 November at 09:00</span>' in html
    )


def test_a_holiday_is_named_in_english(client, helpline):
    with time_machine.travel(CHRISTMAS_EVE_MORNING, tick=False):
        page = text(client.get(english("pages:home")))
        detail = text(client.get(english("helpline:detail")))
    assert "Closed – opens Monday 28 December at 09:00" in page
    assert "Today: Christmas Eve" in page
    assert "Julafton" not in page
    # The table of closed days: English weekdays, dates and holiday names.
    assert "Thursday 24 December Closed Christmas Eve" in detail
    assert "Friday 25 December Closed Christmas Day" in detail
    assert "Monday 09:00–16:00" in detail


def test_the_swedish_page_still_names_the_holiday_in_swedish(client, helpline):
    # English and Swedish requests in turn: the name follows each request's language.
    with time_machine.travel(CHRISTMAS_EVE_MORNING, tick=False):
        client.get(english("pages:home"))
        page = text(client.get(swedish("pages:home")))
    assert "I dag: Julafton" in page


def test_staffed_line_and_alternatives_in_english(client, helpline):
    with time_machine.travel(MONDAY_OPEN, tick=False):
        page = text(client.get(english("helpline:detail")))
    assert "Staffed weekdays 09:00–16:00." in page
    assert "Urgent: call the police on 114 14" in page
    assert "social services' on-call team" in page or "social services&#x27; on-call" in page
    assert "In immediate danger: call 112" in page


def test_an_alternative_without_english_text_shows_the_swedish_text_rather_than_nothing(
    client, helpline
):
    Alternative.objects.create(helpline=helpline, text="Ring jourhavande präst", order=9)
    page = text(client.get(english("helpline:detail")))
    assert "Ring jourhavande präst" in page


def test_an_exception_note_is_shown_in_english_when_written(client, helpline):
    day = MONDAY_OPEN.astimezone(TZ).date()
    HoursException.objects.create(
        helpline=helpline,
        start_date=day,
        kind=HoursException.CLOSED,
        note="Personalkonferens",
        note_en="Staff conference",
    )
    with time_machine.travel(MONDAY_OPEN, tick=False):
        english_page = text(client.get(english("pages:home")))
        swedish_page = text(client.get(swedish("pages:home")))
    assert "Closed – opens Tuesday 24 November at 09:00" in english_page
    assert "Today: Staff conference" in english_page
    assert "I dag: Personalkonferens" in swedish_page


def test_status_json_is_the_same_in_both_languages(client, helpline):
    with time_machine.travel(MONDAY_OPEN, tick=False):
        in_swedish = client.get(swedish("helpline:status_json"))
        in_english = client.get(english("helpline:status_json"))
    assert in_english.status_code == 200
    assert json.loads(in_swedish.content) == json.loads(in_english.content)
    assert json.loads(in_swedish.content)["closes_at"] == "2026-11-23T16:00:00+01:00"
