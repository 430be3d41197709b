"""The practitioner on a phone: on every public page, at 320 × 640 and 375 × 667, with and
without JavaScript, the helpline number, its status and the page's heading are on the first
screen; the quick exit can be reached wherever the page is scrolled; a lookup's answer is
what the visitor sees."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from contacts.models import Region
from helpline.hours import TZ
from helpline.models import Helpline, HoursException
from tests.helpers import report, visit

pytestmark = pytest.mark.browser

PHONES = [(320, 640), (375, 667)]

# "" when `el` is wholly inside the window and nothing (the sticky banner) lies over it. An
# inline element that wraps is several boxes: each is checked.
FULLY_VISIBLE = """(el) => {
  if (!el) return "missing";
  const boxes = [...el.getClientRects()].filter(r => r.width >= 1 && r.height >= 1);
  if (!boxes.length) return "not shown";
  for (const r of boxes) {
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) {
      return `not on the screen (top ${Math.round(r.top)}, bottom ${Math.round(r.bottom)} of ${window.innerHeight})`;
    }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && !el.contains(hit) && !hit.contains(el)) {
      return `covered by ${hit.tagName.toLowerCase()}.${hit.className}`;
    }
  }
  return "";
}"""


@pytest.fixture
def closed_today_with_a_note(public_pages):
    """The longest status strip there is: closed all day by an editor, with a note."""
    helpline = Helpline.objects.current()
    today = datetime.now(TZ).date()
    HoursException.objects.create(
        helpline=helpline, start_date=today, kind=HoursException.CLOSED, note="Personalkonferens"
    )
    return helpline


def _check_first_screen(page, where, number_e164, failures):
    checks = {
        "the helpline number": page.locator(f'a[href="tel:{number_e164}"]').first,
        "its status": page.locator(".helpline-status__state").first,
        "the h1": page.locator("h1").first,
    }
    for what, locator in checks.items():
        problem = page.evaluate(
            FULLY_VISIBLE, locator.element_handle() if locator.count() else None
        )
        if problem:
            failures.append(f"{where}: {what} {problem}")


def _check_quick_exit_at_the_bottom(page, where, failures):
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    link = page.locator("[data-quick-exit]")
    problem = page.evaluate(FULLY_VISIBLE, link.element_handle())
    if problem:
        failures.append(f"{where}: after scrolling to the bottom the quick exit is {problem}")
    box = link.bounding_box()
    if box and (box["width"] < 44 or box["height"] < 44):
        failures.append(f"{where}: the quick exit is {box['width']:.0f} × {box['height']:.0f} px")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_number_status_and_heading_on_the_first_screen_and_the_exit_always_reachable(
    new_context, public_pages, rebuild_public_pages, closed_today_with_a_note, javascript
):
    number = closed_today_with_a_note.number_e164
    failures = []
    for n, (width, height) in enumerate(PHONES):
        context = new_context(
            viewport={"width": width, "height": height}, java_script_enabled=javascript
        )
        page = context.new_page()
        pages = public_pages if n == 0 else rebuild_public_pages()
        for entry, _response in visit(page, pages, failures):
            where = f"{entry.label} {entry.path} at {width}×{height}"
            page.evaluate("() => window.scrollTo(0, 0)")
            _check_first_screen(page, where, number, failures)
            _check_quick_exit_at_the_bottom(page, where, failures)
    assert not failures, report("first screen on a phone", failures)


LOOKUPS = ["Malå", "Visby", "621 41", "Jämtland", "Region Väst", "Farsta"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("width", "height"), PHONES, ids=["320x640", "375x667"])
def test_after_a_lookup_the_answer_is_on_the_first_screen(new_context, javascript, width, height):
    page = new_context(
        viewport={"width": width, "height": height}, java_script_enabled=javascript
    ).new_page()
    failures = []
    for typed in LOOKUPS:
        page.goto(reverse("contacts:coordinators"))
        field = page.get_by_label("Kommun, ort eller postnummer")
        field.fill(typed)
        with page.expect_navigation():
            field.press("Enter")
        answer = page.locator("#svar")
        problem = page.evaluate(FULLY_VISIBLE, answer.element_handle())
        if problem:
            failures.append(f"{typed!r}: the answer's heading is {problem}")
        focused = page.evaluate("() => document.activeElement && document.activeElement.id")
        if javascript and focused != "svar":
            failures.append(f"{typed!r}: focus is on #{focused}, not on the answer")
        if not javascript and focused == "svar":
            failures.append(f"{typed!r}: focus moved without JavaScript?")
    assert not failures, report(f"lookup answer at {width}×{height}", failures)


def test_the_shift_hint_shows_only_with_a_keyboard_likely_and_javascript(new_context):
    hint = ".quick-exit__hint"
    desktop = new_context(viewport={"width": 1280, "height": 800}).new_page()
    desktop.goto(reverse("pages:about"))
    assert desktop.locator(hint).is_visible()
    no_js = new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = no_js.new_page()
    page.goto(reverse("pages:about"))
    assert not page.locator(hint).is_visible()
    assert page.get_by_role("link", name="Lämna sidan snabbt", exact=True).is_visible()
    phone = new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(reverse("pages:about"))
    assert not phone.locator(hint).is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_region_table_stacks_on_a_phone_and_nothing_is_cut_off(new_context, javascript):
    page = new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=javascript
    ).new_page()
    page.goto(reverse("contacts:coordinators"))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    cells = page.locator(".region-table th, .region-table td")
    # One header row and one row per region, three columns each.
    assert cells.count() == (Region.objects.count() + 1) * 3
    for box in (cells.nth(i).bounding_box() for i in range(cells.count())):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    # Each cell names its column when the table's header row is not shown.
    assert page.locator(".region-table td").first.inner_text().startswith("Län:")


def test_printing_shows_the_number_dated_status_and_content_without_chrome(new_context):
    page = new_context(viewport={"width": 800, "height": 1000}).new_page()
    page.goto(reverse("contacts:coordinators") + "?kommun=Mal%C3%A5")
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-nav", ".site-footer", ".region-map-figure", "form"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator(".helpline-status .phone").is_visible()
    printed = page.locator(".helpline-status .print-only")
    assert printed.is_visible() and not page.locator(".helpline-status .screen-only").is_visible()
    # "öppnar måndag 7 december kl. 09.00" or "stänger måndag 7 december kl. 16.00": a date.
    assert re.search(r"dag \d{1,2} \w+ kl\. \d\d\.\d\d", printed.inner_text())
    assert page.locator("#svar").is_visible()
