"""WCAG 1.4.10 reflow and 1.4.4 resize text: 320 × 256 CSS px, and text at 200 %."""

import pytest

from tests.helpers import report, visit

pytestmark = pytest.mark.browser

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Elements whose content is cut off by overflow: hidden/clip, and elements sticking out of the
# viewport's right edge. Visually hidden helpers (1 px, clipped on purpose) are not content.
CLIPPED = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  for (const el of document.body.querySelectorAll("*")) {
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden") continue;
    if (el.closest(".visually-hidden, .skip-link")) continue;
    const r = el.getBoundingClientRect();
    // Nothing to see, or the 1 px visually-hidden technique (text for screen readers).
    if (r.width <= 1 && r.height <= 1) continue;
    const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : ""}`;
    const clips = ["hidden", "clip"];
    // A text field's value longer than the field scrolls inside it with the caret, as it
    // should; Chromium reports that as overflow "clip". Its box must still fit (below).
    const scrollsItsValue = el.matches("input, textarea");
    if (!scrollsItsValue && ((clips.includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (clips.includes(s.overflowY) && el.scrollHeight > el.clientHeight + 1))) {
      problems.push(`${name} clips its content (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
    }
    if (r.right > width + 1 && !el.closest(".table-wrap")) {
      problems.push(`${name} reaches ${Math.round(r.right)} px, past the ${width} px viewport`);
    }
  }
  return problems.slice(0, 5);
}"""


def _check(page, entry, failures, what):
    where = f"{entry.label} {entry.path} ({what})"
    sideways = page.evaluate(SIDEWAYS)
    if sideways > 0:
        failures.append(f"{where}: scrolls sideways by {sideways} px")
    for problem in page.evaluate(CLIPPED):
        failures.append(f"{where}: {problem}")


def test_no_page_scrolls_sideways_at_320_by_256_css_pixels(new_context, public_pages):
    page = new_context(viewport={"width": 320, "height": 256}).new_page()
    failures = []
    for entry, _response in visit(page, public_pages, failures):
        _check(page, entry, failures, "320 × 256")
    assert not failures, report("reflow at 320 × 256 CSS px", failures)


def test_text_zoomed_to_200_percent_neither_scrolls_sideways_nor_clips(
    new_context, public_pages, rebuild_public_pages
):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    failures = []
    for entry, _response in visit(page, public_pages, failures):
        # Text-only zoom, as a browser's "zoom text only" or a larger default font does:
        # the root font size doubles and every rem/em-based size with it. (Setting a style
        # property through the CSSOM is not an inline style attribute; CSP allows it.)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        _check(page, entry, failures, "text 200 %")
    # Full-page zoom to 200 % at 1280 px is the 640 px layout at twice the pixel density.
    zoomed = new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2).new_page()
    for entry, _response in visit(zoomed, rebuild_public_pages(), failures):
        _check(zoomed, entry, failures, "page zoom 200 %")
    assert not failures, report("text and page zoom to 200 %", failures)
