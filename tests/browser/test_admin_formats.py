"""A Redaktör types dates and times the Swedish way in the admin, and the login form is even.

Logged in through the real form with a one-time code. The clock is a future Wednesday (so
the session cookie the server sets is still valid for the real browser); "7 december"
without a year is then 7 December 2027.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from editors.testing import browser_login, make_staff

pytestmark = pytest.mark.browser

WEDNESDAY = datetime(2027, 3, 10, 10, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
DECEMBER_7 = date(2027, 12, 7)

# Each accepted date form with one of the accepted time forms (every one of both is used).
ACCEPTED = [
    ("2027-12-07", "12.00"),
    ("7/12 2027", "12:00"),
    ("7.12.2027", "1200"),
    ("7 december 2027", "12"),
    ("7 dec 2027", "12.00"),
    ("7 december", "12:00"),
]


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=True) as traveller:
        yield traveller


@pytest.fixture
def editor_page(wednesday, new_context):
    user, enrolment = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
    page = new_context().new_page()
    browser_login(page, user, enrolment)
    return page


def add_exception(page, start: str, opens: str, closes: str = "23.00"):
    page.goto(reverse("admin:helpline_hoursexception_add"))
    page.get_by_label("Från och med").fill(start)
    page.get_by_label("Typ").select_option("special")
    page.get_by_label("Öppnar").fill(opens)
    page.get_by_label("Stänger").fill(closes)
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_load_state()


def test_every_swedish_date_and_time_form_is_accepted(editor_page):
    from helpline.models import HoursException

    page = editor_page
    for start, opens in ACCEPTED:
        add_exception(page, start, opens)
        assert page.locator(".errornote").count() == 0, (start, opens, page.content()[:3000])
        saved = HoursException.objects.get()
        assert (saved.start_date, saved.opens) == (DECEMBER_7, time(12)), (start, opens)
        saved.delete()


def test_a_refused_date_and_time_say_which_form_is_wanted_and_keep_what_was_typed(editor_page):
    from helpline.models import HoursException

    page = editor_page
    add_exception(page, "31/2 2027", "12,5")
    date_errors = page.locator(".field-start_date .errorlist").inner_text()
    time_errors = page.locator(".field-opens .errorlist").inner_text()
    assert date_errors == "Skriv datumet som 7 december 2026 eller 2026-12-07."
    assert time_errors.startswith("Skriv tiden som 12.00.")
    assert page.get_by_label("Från och med").input_value() == "31/2 2027"
    assert page.get_by_label("Öppnar").input_value() == "12,5"
    assert not HoursException.objects.exists()


def test_weekly_hours_show_and_take_the_public_sites_clock_style(editor_page):
    from helpline.models import Helpline

    page = editor_page
    helpline = Helpline.objects.current()
    page.goto(reverse("admin:helpline_helpline_change", args=[helpline.pk]))
    row = page.locator("tr", has_text="onsdag").filter(has=page.locator("input[name$='-closes']"))
    closes = row.locator("input[name$='-closes']")
    assert closes.input_value() == "16.00"
    closes.fill("1430")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url("**" + reverse("admin:helpline_helpline_changelist") + "**")
    assert helpline.weekly_hours.get(weekday=2).closes == time(14, 30)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_login_forms_boxes_are_equally_wide(new_context, width):
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(reverse("admin:login"))
    widths = {
        name: page.locator(f"#id_{name}").bounding_box()["width"]
        for name in ("username", "password", "otp_token")
    }
    assert len(set(widths.values())) == 1, widths
