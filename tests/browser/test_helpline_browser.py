"""The helpline status in a real Chromium: visible, readable at 320 px, no CSP violation.

The JSON-LD block is data, not script: Chromium must not report it under the strict
`script-src 'self'` policy, and must parse it.
"""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from editors.testing import login_verified, make_staff
from helpline.models import Helpline

pytestmark = pytest.mark.browser

CLOSED = datetime(2026, 12, 23, 17, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
OPEN = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def csp_messages(page) -> list[str]:
    found = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (OPEN, "Öppet nu – stänger kl. 16.00"),
        (CLOSED, "Stängt – öppnar måndag 28 december kl. 09.00"),
    ],
)
def test_status_and_jsonld_without_csp_violations(new_context, moment, status):
    with time_machine.travel(moment, tick=True):
        context = new_context(viewport={"width": 320, "height": 800})
        page = context.new_page()
        violations = csp_messages(page)
        for path in (reverse("pages:home"), reverse("helpline:detail"), reverse("pages:about")):
            page.goto(path)
            assert page.get_by_text(status).first.is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
            if moment is CLOSED:
                assert page.locator("a[href='tel:11414']").first.is_visible()
                assert page.locator("a[href='tel:112']").first.is_visible()
        page.goto(reverse("helpline:detail"))
        data = json.loads(page.locator("script[type='application/ld+json']").text_content())
        assert data["contactPoint"]["telephone"] == "+4620390000"
    assert violations == []
    assert context.outside_requests == []


def test_helpline_admin_runs_under_the_csp(new_context, live_server, client):
    user, _ = make_staff("helplinecsp", superuser=True)
    login_verified(client, user)  # a session that has passed the one-time code
    context = new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    violations = csp_messages(page)
    helpline = Helpline.objects.current()
    for path in (
        reverse("admin:helpline_helpline_change", args=[helpline.pk]),
        reverse("admin:helpline_hoursexception_add"),
        reverse("admin:helpline_hoursexception_changelist"),
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert "/redaktion/login" not in page.url
    assert violations == []
