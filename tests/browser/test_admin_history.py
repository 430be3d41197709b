"""A Redaktör reads what an edit changed, word by word, and puts a weekday's hours back.

Logged in through the real form with a one-time code.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from editors.testing import browser_login, make_staff

pytestmark = pytest.mark.browser

WEDNESDAY = datetime(2027, 3, 10, 10, 30, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def editor_page(new_context):
    with time_machine.travel(WEDNESDAY, tick=True):
        user, enrolment = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
        page = new_context().new_page()
        browser_login(page, user, enrolment)
        yield page


def test_the_history_shows_the_words_an_edit_inserted_and_deleted(editor_page):
    from pages.models import Page

    page = editor_page
    row = Page.objects.get(slug=Page.ABOUT)
    first_word = row.body.split()[0]
    page.goto(reverse("admin:pages_page_change", args=[row.pk]))
    body = page.get_by_label("Brödtext:", exact=True)
    body.fill(body.input_value().replace(first_word, "Nyskrivet", 1) + "\n\nEn helt ny mening.")
    page.get_by_role("button", name="Publicera", exact=True).click()
    page.wait_for_url("**" + reverse("admin:pages_page_changelist") + "**")

    page.goto(reverse("admin:pages_page_history", args=[row.pk]))
    latest = page.locator("#change-history tbody tr").first
    diff = latest.locator(".word-diff")
    assert diff.count() == 1
    inserted = " ".join(diff.locator("ins").all_inner_texts())
    deleted = " ".join(diff.locator("del").all_inner_texts())
    assert "Nyskrivet" in inserted and "En helt ny mening." in inserted
    assert first_word in deleted
    assert "Brödtext" in latest.inner_text()
    text = page.locator("main").inner_text()
    assert "None" not in text and "chars]" not in text

    # The list of all changes names the field and links to the same difference.
    page.goto(reverse("admin:change_log"))
    entry = page.locator(".change-log-table tbody tr").first
    assert "Brödtext" in entry.inner_text()
    diff_url = entry.get_by_role("link", name="Visa ändringen").get_attribute("href")
    with page.expect_navigation(url="**" + diff_url):
        entry.get_by_role("link", name="Visa ändringen").click()
    assert "Nyskrivet" in " ".join(page.locator(".word-diff ins").all_inner_texts())


def test_a_weekday_row_is_restored_from_the_helplines_history(editor_page):
    from helpline.models import Helpline

    page = editor_page
    helpline = Helpline.objects.current()
    page.goto(reverse("admin:helpline_helpline_change", args=[helpline.pk]))
    row = page.locator("tr", has_text="onsdag").filter(has=page.locator("input[name$='-closes']"))
    row.locator("input[name$='-closes']").fill("12.00")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.wait_for_url("**" + reverse("admin:helpline_helpline_changelist") + "**")
    wednesday = helpline.weekly_hours.get(weekday=2)
    assert wednesday.closes == time(12)

    page.goto(reverse("admin:helpline_helpline_history", args=[helpline.pk]))
    section = page.locator("section.row-history", has_text="Öppettider per veckodag")
    version = section.locator("tbody tr", has_text="onsdag: 09.00–16.00").first
    version.get_by_role("link", name="Återställ").click()
    assert "12.00" in page.locator(".field-changes del").first.inner_text()
    assert "16.00" in page.locator(".field-changes ins").first.inner_text()
    page.get_by_role("button", name="Ja, återställ raden").click()
    page.wait_for_url("**" + reverse("admin:helpline_helpline_history", args=[helpline.pk]))
    assert "Återställde" in page.locator(".messagelist").inner_text()
    wednesday.refresh_from_db()
    assert wednesday.closes == time(16)

    page.goto(reverse("helpline:detail"))
    assert "09.00–16.00" in page.locator("main").inner_text()
