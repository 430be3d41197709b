"""The coordinator lookup, the contact filter and NMT's anchors in a real Chromium."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [False, True])
def test_lookup_by_typing_a_municipality_and_pressing_enter(new_context, javascript):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(reverse("contacts:coordinators"))
    field = page.get_by_label("Kommun, ort eller postnummer")
    assert field.get_attribute("list") == "kommuner"
    assert page.locator("datalist#kommuner option").count() == 290
    field.fill("  MALÅ kommun ")
    with page.expect_navigation():
        field.press("Enter")
    heading = page.locator("#svar")
    assert heading.inner_text() == "Malå hör till Region Nord"
    assert "Det finns ingen regionkoordinator inlagd för Region Nord ännu." in page.inner_text(
        "main"
    )
    assert page.locator("svg.region-map .is-county").count() == 1
    assert page.title().startswith("Regionkoordinator för Malå")


def test_unknown_municipality_offers_suggestions_that_work(new_context):
    page = new_context(java_script_enabled=False, viewport={"width": 320, "height": 640}).new_page()
    page.goto(reverse("contacts:coordinators") + "?kommun=Goteborj")
    assert page.title().startswith("Fel: ")
    page.get_by_role("link", name="Göteborg").first.click()
    assert page.locator("#svar").inner_text() == "Göteborg hör till Region Väst"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


def test_contact_filter_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(reverse("contacts:list"))
    page.get_by_label("Namn, titel eller region").fill("sandman")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sök").click()
    cards = page.locator(".contact-card__name")
    assert cards.all_inner_texts() == ["Catrin Sandman"]


def test_nmt_member_anchor_is_reachable(new_context):
    page = new_context().new_page()
    page.goto(reverse("nmt:index") + "#medlem-tullverket")
    assert page.locator("#medlem-tullverket h3").inner_text() == "Tullverket"
    assert page.locator("#medlem-tullverket").is_visible()
