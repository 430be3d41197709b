"""CSRF: every POST needs its token, with two exemptions that are checked another way."""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.helpers import report

ALLOWED_EXEMPT = {
    # RFC 8058: a mail client POSTs to the List-Unsubscribe URL with no cookies and no token.
    "newsletter:unsubscribe_one_click",
    # "Hjälpte sidan dig?" sits on cached pages that must set no cookie, so its form has no
    # token; the view accepts only same-origin requests (Sec-Fetch-Site/Origin/Referer),
    # proved in feedback/tests/test_views.py.
    "feedback:vote",
}


def _views(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", str(pattern.pattern), pattern.callback


def test_no_view_is_csrf_exempt_except_the_allowed_ones():
    exempt = {
        name: route
        for name, route, callback in _views(get_resolver().url_patterns)
        if getattr(callback, "csrf_exempt", False)
    }
    assert set(exempt) == ALLOWED_EXEMPT, f"CSRF-exempt views: {exempt}"


# The 403 page's heading, in the language of the page the form was on.
EXPLANATION = {"sv": "Formuläret kunde inte skickas", "en": "The form could not be sent"}


def test_a_post_without_a_csrf_token_is_refused_on_every_page(pages_for_client):
    client = Client(enforce_csrf_checks=True)
    failures = []
    for entry in [*pages_for_client, *_admin_login()]:
        if entry.status == 404:
            continue  # nothing answers there, so nothing checks a token
        response = client.post(entry.path, data=entry.submit or {"email": "a@example.se"})
        if response.status_code != 403:
            failures.append(f"{entry.label} {entry.path}: {response.status_code}, not 403")
        elif EXPLANATION[entry.language] not in response.content.decode():
            failures.append(f"{entry.label} {entry.path}: 403 without the site's explanation")
    assert not failures, report("POST without CSRF token", failures)


def _admin_login():
    from tests.public_pages import PublicPage

    return [PublicPage("Redaktionens inloggning", reverse("admin:login"), post_form=True)]
