"""Site search from the header and "Hjälpte sidan dig?" in a real Chromium, with and without
JavaScript: real form submissions, no cookie until the comment page."""

import pytest
from django.conf import settings
from django.urls import reverse

from feedback.models import PageFeedback

pytestmark = pytest.mark.browser

BOTH = pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])


@BOTH
def test_searching_from_the_header_finds_pages_and_highlights_words(new_context, javascript):
    page = new_context(java_script_enabled=javascript, viewport={"width": 320, "height": 640})
    page = page.new_page()
    page.goto(reverse("pages:about"))
    field = page.locator(".site-nav").get_by_role("searchbox", name="Sök på webbplatsen")
    field.fill("stödtelefonen")
    with page.expect_navigation():
        field.press("Enter")
    assert page.url.split("?")[0].endswith(reverse("search:results"))
    assert page.locator("main .helpline-status--large").count() == 1
    first = page.locator(".search-result__title a").first
    assert first.get_attribute("href") == reverse("helpline:detail")
    assert page.locator(".search-result mark").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    first.click()
    assert page.url.endswith(reverse("helpline:detail"))


@BOTH
def test_answering_no_and_leaving_a_comment(new_context, javascript):
    context = new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(reverse("pages:about"))
    assert context.cookies() == []
    question = page.locator("section.page-feedback")
    assert question.get_by_role("heading").inner_text() == "Hjälpte sidan dig?"
    with page.expect_navigation():
        question.get_by_role("button", name="Nej").click()
    assert page.locator("h1").inner_text() == "Vad kan vi göra bättre?"
    assert page.locator(".warning-text").is_visible()
    # Only the comment page, with its POST form, sets the CSRF cookie.
    assert [c["name"] for c in context.cookies()] == [settings.CSRF_COOKIE_NAME]
    box = page.get_by_label("Vad saknades eller var fel på sidan? (frivilligt)")
    box.fill("För lång text. " * 40)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Skicka").click()
    assert page.title().startswith("Fel: ")
    assert page.locator(".error-summary a").inner_text().startswith("Skriv högst 500 tecken")
    box = page.get_by_label("Vad saknades eller var fel på sidan? (frivilligt)")
    assert box.input_value() == "För lång text. " * 40
    box.fill("Det saknas uppgifter om\nregionkoordinatorerna.")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Skicka").click()
    assert page.locator("h1").inner_text() == "Tack för ditt svar"
    answer = PageFeedback.objects.get()
    assert answer.page.slug == "om-nspm"
    assert answer.helpful is False
    assert answer.comment == "Det saknas uppgifter om\nregionkoordinatorerna."
    page.get_by_role("link", name="Tillbaka till").click()
    assert page.url.endswith(reverse("pages:about"))


@BOTH
def test_answering_yes_sets_no_cookie(new_context, javascript):
    context = new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(reverse("helpline:detail"))
    with page.expect_navigation() as navigation:
        page.locator("section.page-feedback").get_by_role("button", name="Ja").click()
    assert navigation.value.status == 200
    assert page.locator("h1").inner_text() == "Tack för ditt svar"
    assert context.cookies() == []
    assert list(PageFeedback.objects.values_list("helpful", flat=True)) == [True]
