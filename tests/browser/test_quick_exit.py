"""Quick exit: on every page, by keyboard, without JavaScript, and leaving no way Back."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import report, visit

pytestmark = pytest.mark.browser

NAME = "Lämna sidan snabbt"
NEUTRAL_PAGE = "<!doctype html><title>Väder</title><h1>Väder</h1>"


def _neutral_site(context) -> str:
    """Answer for the neutral site inside the browser: no request leaves the machine."""
    exit_url = settings.QUICK_EXIT_URL
    parts = urlsplit(exit_url)
    context.route(
        f"{parts.scheme}://{parts.netloc}/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_PAGE
        ),
    )
    return exit_url


# The link's name in each page's language.
NAMES = {"sv": NAME, "en": "Exit this page"}


def test_every_page_has_the_quick_exit_link_at_the_top(
    new_context, public_pages, rebuild_public_pages
):
    failures = []
    for width, pages in ((1280, public_pages), (320, rebuild_public_pages())):
        page = new_context(viewport={"width": width, "height": 600}).new_page()
        for entry, _response in visit(page, pages, failures):
            where = f"{entry.label} {entry.path} at {width} px"
            # The accessible name a screen reader announces, role link.
            name = NAMES[entry.language]
            link = page.get_by_role("link", name=name, exact=True)
            if link.count() != 1:
                failures.append(f"{where}: {link.count()} links named {name!r}")
                continue
            if link.get_attribute("href") != settings.QUICK_EXIT_URL:
                failures.append(f"{where}: links to {link.get_attribute('href')}")
            box = link.bounding_box()
            if not box or box["y"] > 120 or box["x"] + box["width"] > width:
                failures.append(f"{where}: not at the top of the page ({box})")
    assert not failures, report("quick exit on every page", failures)


def test_without_javascript_the_quick_exit_is_a_plain_link_that_works(new_context):
    context = new_context(java_script_enabled=False)
    exit_url = _neutral_site(context)
    page = context.new_page()
    page.goto(reverse("pages:about"))
    page.get_by_role("link", name=NAME, exact=True).click()
    page.wait_for_url(exit_url)
    assert page.locator("h1").inner_text() == "Väder"
    assert context.outside_requests == []


def test_with_javascript_the_quick_exit_replaces_the_page_in_history(new_context):
    context = new_context()
    exit_url = _neutral_site(context)
    page = context.new_page()
    page.goto(reverse("pages:home"))
    page.goto(reverse("pages:about"))
    before = page.evaluate("() => history.length")
    page.get_by_role("link", name=NAME, exact=True).click()
    page.wait_for_url(exit_url)
    assert page.evaluate("() => history.length") == before, "the exit added a history entry"
    page.go_back()
    # Back skips the page the visitor left: it was replaced, not pushed.
    assert urlsplit(page.url).path == reverse("pages:home")


def test_pressing_shift_three_times_leaves_but_typing_capitals_does_not(new_context):
    context = new_context()
    exit_url = _neutral_site(context)
    page = context.new_page()
    page.goto(reverse("pages:privacy"))
    # Capitals are typed with Shift held down together with another key: not an exit.
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'probe';"
        " i.setAttribute('aria-label', 'prov'); document.querySelector('main').append(i); }"
    )
    page.locator("#probe").press_sequentially("ABC DEF")
    assert urlsplit(page.url).path == reverse("pages:privacy")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(exit_url)
    page.go_back()
    assert urlsplit(page.url).path != reverse("pages:privacy"), "Back returned to the page"


def test_the_quick_exit_is_reached_by_keyboard_and_enter_leaves(new_context):
    context = new_context()
    exit_url = _neutral_site(context)
    page = context.new_page()
    page.goto(reverse("pages:home"))
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.hasAttribute('data-quick-exit')")
    page.keyboard.press("Enter")
    page.wait_for_url(exit_url)
