"""Privacy in a real browser: no cookies or storage without a form, no request to any other host."""

import pytest
from django.conf import settings

from tests.helpers import report, visit

pytestmark = pytest.mark.browser

STORAGE = """() => ({
  local: window.localStorage.length,
  session: window.sessionStorage.length,
  cookie: document.cookie,
})"""


def test_pages_set_no_cookie_and_use_no_storage_except_the_csrf_cookie_on_forms(
    new_context, public_pages
):
    context = new_context()
    page = context.new_page()
    failures = []
    for candidate in public_pages:
        context.clear_cookies()
        for entry, response in visit(page, [candidate], failures):
            where = f"{entry.label} {entry.path}"
            names = sorted(cookie["name"] for cookie in context.cookies())
            allowed = [settings.CSRF_COOKIE_NAME] if entry.post_form else []
            if any(name not in allowed for name in names):
                failures.append(f"{where}: cookies {names}, allowed {allowed}")
            set_cookie = response.header_value("set-cookie")
            if set_cookie and not entry.post_form:
                failures.append(f"{where}: Set-Cookie: {set_cookie}")
            storage = page.evaluate(STORAGE)
            if storage["local"] or storage["session"]:
                failures.append(f"{where}: web storage used: {storage}")
            if storage["cookie"]:
                failures.append(f"{where}: document.cookie is {storage['cookie']!r}")
            # Storage outlives the page (same origin): empty it so the next page is judged
            # on what it does itself.
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    assert not failures, report("cookies and web storage", failures)


def test_pages_make_no_request_to_any_other_host_and_break_no_csp_rule(
    new_context, live_server, public_pages
):
    context = new_context()
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    failures = []
    for entry, _response in visit(page, public_pages, failures):
        # Let late requests (fonts, images, scripts that fetch) happen before moving on.
        page.wait_for_load_state("networkidle")
        foreign = [url for url in requests if not url.startswith(live_server.url + "/")]
        failures.extend(f"{entry.label} {entry.path}: request to {url}" for url in foreign)
        failures.extend(f"{entry.label} {entry.path}: CSP violation: {v}" for v in violations)
        requests.clear()
        violations.clear()
    failures.extend(f"refused request to {url}" for url in context.outside_requests)
    assert not failures, report("requests to other hosts and CSP violations", failures)
