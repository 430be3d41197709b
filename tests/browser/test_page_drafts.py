"""A Redaktör saves a page edit as a draft, previews it, publishes it, and visitors see it.

Logged in through the real form with a one-time code, in a browser context of her own; the
visitor is another context without a session (so the page cache serves them as anyone).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from editors.testing import browser_login, make_staff

pytestmark = pytest.mark.browser

WEDNESDAY = datetime(2027, 3, 10, 10, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
NEW_SENTENCE = "Den här meningen skrevs i ett utkast."


@pytest.fixture
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=True) as traveller:
        yield traveller


def test_draft_preview_publish_then_visible(wednesday, new_context):
    from pages.models import Page

    page_row = Page.objects.get(slug=Page.ABOUT)
    public_url = page_row.get_absolute_url()
    user, enrolment = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
    editor = new_context().new_page()
    browser_login(editor, user, enrolment)
    visitor = new_context().new_page()
    visitor.goto(public_url)
    assert NEW_SENTENCE not in visitor.locator("main").inner_text()

    # Save the edit as a draft: the public page does not change.
    editor.goto(reverse("admin:pages_page_change", args=[page_row.pk]))
    body = editor.get_by_label("Brödtext:", exact=True)
    body.fill(body.input_value() + "\n\n" + NEW_SENTENCE)
    editor.get_by_role("button", name="Spara som utkast").click()
    editor.wait_for_load_state()
    assert "Utkastet sparades." in editor.locator(".messagelist").inner_text()
    assert "Du redigerar ett utkast." in editor.locator("#content").inner_text()
    visitor.goto(public_url)
    assert NEW_SENTENCE not in visitor.locator("main").inner_text()

    # Preview: the public layout with the draft, marked, not for search engines.
    with editor.expect_navigation() as navigation:
        editor.get_by_role("link", name="Förhandsgranska utkastet").click()
    response = navigation.value
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert "no-store" in response.headers["cache-control"]
    assert "Förhandsvisning" in editor.locator(".preview-banner").inner_text()
    assert NEW_SENTENCE in editor.locator("main").inner_text()
    assert editor.locator("header").count() == visitor.locator("header").count()

    # Publish: visitors see it at once (the cached copy is gone).
    editor.get_by_role("link", name="Tillbaka till redigeringen").click()
    editor.get_by_role("button", name="Publicera", exact=True).click()
    editor.wait_for_url("**" + reverse("admin:pages_page_changelist") + "**")
    visitor.goto(public_url)
    main = visitor.locator("main").inner_text()
    assert NEW_SENTENCE in main
    assert "Senast uppdaterad: 10 mars 2027" in main
    assert visitor.locator(".preview-banner").count() == 0
