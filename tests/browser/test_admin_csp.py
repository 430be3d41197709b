"""The admin under the site's strict Content-Security-Policy, in a real Chromium.

Django's admin, django-simple-history's history pages and our own admin templates must run
with `script-src 'self'` and `style-src 'self'`: no inline script, no style attribute. Any
violation Chromium reports on these pages fails the test, with the page and the message.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from editors.testing import PASSWORD, current_code, make_staff
from pages.models import Page

pytestmark = pytest.mark.browser


def log_in(page, username: str, code: str):
    page.goto(reverse("admin:login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_label("Engångskod").fill(code)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**" + reverse("admin:index"))


def csp_messages(page) -> list[str]:
    found = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            found.append(text)

    page.on("console", on_console)
    return found


def admin_pages_to_check() -> list[tuple[str, str]]:
    """Our own admin pages, then every registered model's list, add form and change form."""
    about = Page.objects.by_slug(Page.ABOUT)
    pages = [
        ("start page", reverse("admin:index")),
        ("all changes", reverse("admin:change_log")),
        ("page list, searched", reverse("admin:pages_page_changelist") + "?q=NSPM"),
        ("page history", reverse("admin:pages_page_history", args=[about.pk])),
        ("page password change", reverse("admin:password_change")),
    ]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        label = ".".join(info)
        pages.append((f"{label} list", reverse("admin:{}_{}_changelist".format(*info))))
        pages.append((f"{label} add", reverse("admin:{}_{}_add".format(*info))))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            pages.append(
                (f"{label} change", reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            )
    return pages


def test_admin_pages_run_without_csp_violations(new_context):
    user, enrolment = make_staff("chef", superuser=True)
    context = new_context()
    page = context.new_page()
    violations = csp_messages(page)

    page.goto(reverse("admin:login"))
    assert not violations, f"login page: {violations}"
    log_in(page, user.username, current_code(enrolment.device))

    failures = []
    for label, url in admin_pages_to_check():
        violations.clear()
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        # Some add pages are closed by design (403); they must still be CSP-clean.
        assert response.status in (200, 403), f"{label} {url}: {response.status}"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        failures.extend(f"{label} {url}: {v}" for v in violations)
    # The page change form's JavaScript (prepopulate, collapse, actions) must also run.
    violations.clear()
    page.goto(reverse("admin:pages_document_add"))
    page.get_by_label("Titel").press_sequentially("Årsrapport 2026")
    assert page.get_by_label("Adress").input_value() == "arsrapport-2026"
    failures.extend(f"document add form after typing: {v}" for v in violations)
    assert not failures, "\n".join(failures)
    assert not context.outside_requests


def test_lockout_page_runs_without_csp_violations(new_context):
    from django.conf import settings

    user, _ = make_staff("lisa")
    context = new_context()
    page = context.new_page()
    violations = csp_messages(page)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(reverse("admin:login"))
        page.get_by_label("Användarnamn").fill(user.username)
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_label("Engångskod").fill("123456")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Logga in").click()
    assert navigation.value.status == 429
    assert page.get_by_role("heading", name="Inloggningen är tillfälligt spärrad").is_visible()
    assert not violations, violations
