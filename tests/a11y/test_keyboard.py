"""Keyboard use: skip link first, quick exit second, a visible focus everywhere, no trap."""

import pytest

from tests.helpers import report, visit

pytestmark = pytest.mark.browser

FOCUSABLE = (
    "a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, "
    "iframe, [tabindex], [contenteditable]"
)

REMEMBER_UNFOCUSED = """(selector) => {
  window.__unfocused = new Map();
  for (const el of document.querySelectorAll(selector)) {
    const s = getComputedStyle(el);
    window.__unfocused.set(el, {
      outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow,
    });
  }
  return window.__unfocused.size;
}"""

DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const now = {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow};
  const before = window.__unfocused.get(el);
  const outlined = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
  const shadowed = s.boxShadow !== "none";
  const changed = !before || before.outline !== now.outline || before.shadow !== now.shadow;
  const r = el.getBoundingClientRect();
  const text = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "").trim();
  return {
    desc: `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.classList.length ? "." + [...el.classList].join(".") : ""} "${text.slice(0, 40)}"`,
    skip: el.classList.contains("skip-link"),
    quickExit: el.hasAttribute("data-quick-exit"),
    indicator: (outlined || shadowed) && changed,
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
      && r.top < window.innerHeight && r.left < window.innerWidth,
  };
}"""


# Put the keyboard back at the top of the document: the place Tab starts from (the
# "sequential focus navigation starting point") at the start of <body>.
TO_THE_TOP = """() => {
  // Focusing <body> (made focusable for a moment) moves the place Tab starts from there.
  document.body.tabIndex = -1;
  document.body.focus();
  document.body.removeAttribute("tabindex");
}"""

# Where focus is when the page has loaded: nowhere, (GOV.UK pattern) the error summary, or
# the answer to a lookup, so the visitor lands on what she asked for.
FOCUS_ON_LOAD = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  if (el.closest(".error-summary, [role=alert]")) return "error-summary";
  if (el.matches("[data-lookup-result]")) return "lookup-result";
  return el.outerHTML.slice(0, 80);
}"""


def test_first_tab_is_the_skip_link_and_enter_moves_focus_into_main(new_context, public_pages):
    page = new_context().new_page()
    failures = []
    for entry, _response in visit(page, public_pages, failures):
        where = f"{entry.label} {entry.path}"
        on_load = page.evaluate(FOCUS_ON_LOAD)
        if on_load == "error-summary" and not entry.form_error:
            failures.append(f"{where}: focus is on an error summary on a page without an error")
        elif on_load == "lookup-result" and "kommun=" not in entry.path:
            failures.append(f"{where}: focus is on a lookup answer on a page without a lookup")
        elif on_load not in {"", "error-summary", "lookup-result"}:
            failures.append(f"{where}: focus was moved on load to {on_load}")
        # From the top of the document, as a visitor arriving on the page (after an error
        # summary has taken focus, the first Tab rightly goes to its first link).
        page.evaluate(TO_THE_TOP)
        page.evaluate(REMEMBER_UNFOCUSED, FOCUSABLE)
        page.keyboard.press("Tab")
        first = page.evaluate(DESCRIBE_FOCUS)
        if not first or not first["skip"]:
            failures.append(
                f"{where}: first Tab reached {first and first['desc']}, not the skip link"
            )
            continue
        if not first["onScreen"]:
            failures.append(f"{where}: the focused skip link is not visible on screen")
        page.keyboard.press("Tab")
        second = page.evaluate(DESCRIBE_FOCUS)
        if not second or not second["quickExit"]:
            failures.append(
                f"{where}: second Tab reached {second and second['desc']}, not the quick exit"
            )
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        focused = page.evaluate("() => document.activeElement && document.activeElement.id")
        if focused != "main":
            failures.append(f"{where}: Enter on the skip link left focus on #{focused}, not <main>")
    assert not failures, report("skip link and quick exit order", failures)


def test_every_focusable_element_shows_focus_and_tabbing_returns_to_the_start(
    new_context, public_pages
):
    page = new_context().new_page()
    failures = []
    for entry, _response in visit(page, public_pages, failures):
        where = f"{entry.label} {entry.path}"
        page.evaluate(TO_THE_TOP)
        candidates = page.evaluate(REMEMBER_UNFOCUSED, FOCUSABLE)
        stops = []
        returned = False
        # Every stop once, past the end of the page (focus leaves the document) and back to
        # the skip link: anything that keeps focus from getting there is a trap.
        for _ in range(candidates + 5):
            page.keyboard.press("Tab")
            focus = page.evaluate(DESCRIBE_FOCUS)
            if focus is None:
                continue
            if focus["skip"] and stops:
                returned = True
                break
            stops.append(focus["desc"])
            if not focus["indicator"]:
                failures.append(f"{where}: no visible focus indicator on {focus['desc']}")
            if not focus["onScreen"]:
                failures.append(f"{where}: focused element is not on screen: {focus['desc']}")
        if not returned:
            failures.append(
                f"{where}: after {candidates + 5} Tabs focus never came back to the skip link "
                f"(keyboard trap?); last stops: {stops[-3:]}"
            )
    assert not failures, report("focus indicator and keyboard trap", failures)
