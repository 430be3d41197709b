"""Forms follow the GOV.UK error pattern, reached by a real browser submission."""

import pytest

from tests.helpers import report, visit

pytestmark = pytest.mark.browser

# Every visible form control and how it is labelled.
CONTROLS = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter((el) => el.type !== "hidden" && el.type !== "submit" && el.type !== "button")
  .map((el) => {
    const byFor = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
    const wrapping = el.closest("label");
    const labelledBy = (el.getAttribute("aria-labelledby") || "").split(/\\s+/)
      .map((id) => id && document.getElementById(id)).filter(Boolean);
    const label = (byFor || wrapping || labelledBy[0]);
    const describedBy = (el.getAttribute("aria-describedby") || "").split(/\\s+/).filter(Boolean);
    return {
      name: el.name, id: el.id, type: el.type, value: el.value,
      label: label ? label.innerText.trim() : "",
      autocomplete: el.getAttribute("autocomplete"),
      invalid: el.getAttribute("aria-invalid"),
      describedBy: describedBy.map((id) => {
        const node = document.getElementById(id);
        return node ? node.innerText.trim() : `#${id} missing`;
      }),
    };
  })"""

SUMMARY_LINKS = """() => [...document.querySelectorAll(".error-summary a")].map((a) => {
  const id = decodeURIComponent(a.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  return {text: a.innerText.trim(), href: a.getAttribute("href"),
          target: target ? (target.name || target.id) : null,
          targetIsField: !!target && ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)};
})"""


def test_every_form_control_has_a_label_and_email_fields_autocomplete(new_context, public_pages):
    page = new_context().new_page()
    failures = []
    for entry, _response in visit(page, public_pages, failures):
        for control in page.evaluate(CONTROLS):
            where = f"{entry.label} {entry.path}: field {control['name'] or control['id']!r}"
            if not control["label"]:
                failures.append(f"{where} has no label")
            if control["type"] == "email" or control["name"] == "email":
                if control["type"] != "email":
                    failures.append(f"{where} is type={control['type']}, not type=email")
                if control["autocomplete"] != "email":
                    failures.append(f"{where} has autocomplete={control['autocomplete']!r}")
    assert not failures, report("form labels", failures)


ERROR_PREFIX = {"sv": "Fel: ", "en": "Error: "}


def test_form_errors_follow_the_govuk_pattern(new_context, public_pages):
    error_states = [entry for entry in public_pages if entry.form_error]
    assert error_states, "no form error state in the page list"
    page = new_context().new_page()
    failures = []
    for entry, _response in visit(page, error_states, failures):
        where = f"{entry.label} {entry.path}"
        prefix = ERROR_PREFIX[entry.language]
        if not page.title().startswith(prefix):
            failures.append(f"{where}: title {page.title()!r} does not start with {prefix!r}")
        if page.locator(".error-summary").count() != 1:
            failures.append(f"{where}: no error summary")
            continue
        if page.locator("h1").count() != 1:
            failures.append(f"{where}: {page.locator('h1').count()} h1 elements")
        # site.js moves focus to the summary so a screen reader reads it first.
        if not page.evaluate("() => !!document.activeElement.closest('.error-summary')"):
            failures.append(f"{where}: focus is not on the error summary")
        links = page.evaluate(SUMMARY_LINKS)
        controls = {c["name"]: c for c in page.evaluate(CONTROLS)}
        for name, typed in entry.typed.items():
            control = controls.get(name)
            if control is None:
                failures.append(f"{where}: field {name!r} is gone after the error")
                continue
            if control["value"] != typed:
                failures.append(f"{where}: {name!r} lost what was typed ({control['value']!r})")
            if control["invalid"] != "true":
                failures.append(f"{where}: {name!r} has aria-invalid={control['invalid']!r}")
            link = next((link for link in links if link["target"] in {name, control["id"]}), None)
            if link is None:
                failures.append(f"{where}: the error summary has no link to {name!r}: {links}")
                continue
            if not link["targetIsField"]:
                failures.append(f"{where}: the summary link {link['href']} is not to the field")
            if not any(link["text"] in text for text in control["describedBy"]):
                failures.append(
                    f"{where}: {name!r} is not aria-describedby its error message "
                    f"{link['text']!r} (describedby: {control['describedBy']})"
                )
    assert not failures, report("GOV.UK error pattern", failures)
