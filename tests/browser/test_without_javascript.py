"""With JavaScript off every page shows the same main content and the signup form works."""

import re

import pytest
from django.urls import reverse

from tests.helpers import report, visit

pytestmark = pytest.mark.browser

MAIN_TEXT = "() => document.querySelector('main') ? document.querySelector('main').innerText : null"


def _normalise(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text).strip() if text is not None else None


def test_every_page_shows_the_same_main_content_without_javascript(
    new_context, public_pages, rebuild_public_pages
):
    with_js = new_context().new_page()
    without_js = new_context(java_script_enabled=False).new_page()
    failures = []
    texts = {}
    for entry, _response in visit(with_js, public_pages, failures):
        texts[entry.label] = _normalise(with_js.evaluate(MAIN_TEXT))
    for entry, _response in visit(without_js, rebuild_public_pages(), failures):
        text = _normalise(without_js.evaluate(MAIN_TEXT))
        where = f"{entry.label} {entry.path}"
        if not text:
            failures.append(f"{where}: no <main> text without JavaScript")
        elif entry.label in texts and text != texts[entry.label]:
            failures.append(
                f"{where}: <main> differs without JavaScript:\n"
                f"    with:    {texts[entry.label][:300]}\n    without: {text[:300]}"
            )
    assert not failures, report("main content without JavaScript", failures)


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_a_real_browser_signs_up_for_the_newsletter(new_context, javascript):
    # A real form POST from Chromium: the CSRF cookie, the token, the Origin/Referer check
    # (Referrer-Policy same-origin) all have to work together for this to pass.
    page = new_context(java_script_enabled=javascript).new_page()
    form_page = page.goto(reverse("newsletter:signup"))
    assert form_page.status == 200
    form_heading = page.locator("h1").inner_text()
    field = page.locator("form[method='post' i] [name='email']")
    assert field.count() == 1, "the signup page has no POST form with an email field"

    # A mistake first: the GOV.UK error pattern is server-rendered, no script needed.
    field.fill("namn@exempel")
    with page.expect_navigation() as navigation:
        field.press("Enter")
    assert navigation.value.status in {200, 400, 422}
    assert page.title().startswith("Fel: ")
    assert page.locator(".error-summary a").count() >= 1
    assert page.locator("[name='email']").input_value() == "namn@exempel", "what was typed is lost"

    page.locator("[name='email']").fill("ny.lasare@example.se")
    with page.expect_navigation() as navigation:
        page.locator("[name='email']").press("Enter")
    assert navigation.value.status == 200
    assert not page.title().startswith("Fel: ")
    assert page.locator(".error-summary").count() == 0
    assert page.locator("h1").inner_text() != form_heading, "no response page after signing up"
