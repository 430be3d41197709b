"""An editor logs in through the real form, changes the helpline's hours, and the site follows.

The clock is moved to a known Wednesday morning (time_machine moves it for the live server's
thread too). The date lies in the future, so the session cookie the server sets, which
expires nine hours after that moment, is still valid for the real browser.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from editors.testing import PASSWORD, current_code, make_staff

pytestmark = pytest.mark.browser

# Wednesday 10 March 2027, 10.30 in Stockholm: no holiday; the seeded hours are 09–16.
WEDNESDAY = datetime(2027, 3, 10, 10, 30, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=True) as traveller:
        yield traveller


def status_strip(page) -> str:
    return page.locator(".helpline-status__state").first.inner_text()


def test_editor_changes_helpline_hours_and_sees_the_public_status_change(wednesday, new_context):
    from helpline.models import Helpline

    user, enrolment = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
    context = new_context()
    page = context.new_page()

    # Before: open, as the seeded hours say.
    page.goto(reverse("pages:home"))
    assert "Öppet nu – stänger kl. 16.00" in status_strip(page)

    # Log in through the real form: username, password and the app's code.
    page.goto(reverse("admin:index"))
    assert "/redaktion/login/" in page.url
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Engångskod").fill(current_code(enrolment.device))
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**" + reverse("admin:index"))
    assert page.get_by_role("heading", name="Stödtelefonen").is_visible()

    # Close at 10.00 on Wednesdays instead of 16.00.
    helpline = Helpline.objects.current()
    page.goto(reverse("admin:helpline_helpline_change", args=[helpline.pk]))
    wednesday_row = page.locator("tr", has_text="onsdag").filter(
        has=page.locator("input[name$='-closes']")
    )
    closes = wednesday_row.locator("input[name$='-closes']")
    assert closes.input_value() == "16.00"
    closes.fill("10:00")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url("**" + reverse("admin:helpline_helpline_changelist") + "**")
    assert page.locator(".messagelist .success").count() == 1

    # After: the public site says closed, and when it opens again.
    page.goto(reverse("pages:home"))
    strip = status_strip(page)
    assert "Stängt – öppnar torsdag 11 mars kl. 09.00" in strip, strip
    page.goto(reverse("helpline:detail"))
    assert "Stängt" in page.locator("main").inner_text()

    # The change is in the history, with who made it.
    weekly = helpline.weekly_hours.get(weekday=2)
    latest = weekly.history.latest()
    assert latest.history_user == user
    assert latest.prev_record is not None and str(latest.prev_record.closes) == "16:00:00"
    assert not context.outside_requests
