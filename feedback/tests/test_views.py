"""'Hjälpte sidan dig?': the question on every content page, the answer, the comment, limits."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import models
from django.urls import reverse

from feedback import services
from feedback.models import PageFeedback
from pages.models import URL_NAMES, Page

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


def vote(client, slug="om-nspm", answer="nej", **headers):
    return client.post(
        reverse("feedback:vote", kwargs={"slug": slug}),
        {"svar": answer},
        **(headers or SAME_ORIGIN),
    )


def comment_url(response) -> str:
    assert response.status_code == 302, response.status_code
    path = urlsplit(response["Location"]).path
    assert path.startswith("/synpunkter/kommentar/"), path
    return path


@pytest.mark.parametrize("slug", sorted(URL_NAMES))
def test_every_content_page_asks_without_a_cookie_or_a_token(client, slug):
    page = Page.objects.by_slug(slug)
    response = client.get(page.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    form = re.search(r'<section class="page-feedback".*?</section>', html, re.S)
    assert form, f"no 'Hjälpte sidan dig?' on {page.get_absolute_url()}"
    assert "Hjälpte sidan dig?" in form.group(0)
    assert f'action="{reverse("feedback:vote", kwargs={"slug": slug})}"' in form.group(0)
    assert 'name="svar" value="ja"' in form.group(0) and 'name="svar" value="nej"' in form.group(0)
    assert "csrfmiddlewaretoken" not in form.group(0)
    # The signup page has a CSRF-protected form of its own; the question adds no cookie.
    allowed = {django_settings.CSRF_COOKIE_NAME} if slug == Page.NEWSLETTER else set()
    assert set(response.cookies) <= allowed
    # The page is still cached: the second request runs no SQL.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        again = client.get(page.get_absolute_url())
    assert again.status_code == 200 and len(queries) == 0
    assert set(again.cookies) <= allowed


def test_yes_is_stored_with_the_page_and_the_date_only(client):
    # 00.30 in Stockholm is still the day before in UTC: the day stored is the Swedish one.
    with time_machine.travel(datetime(2026, 6, 2, 0, 30, tzinfo=STOCKHOLM), tick=False):
        response = vote(client, "stodtelefon", "ja", **SAME_ORIGIN, HTTP_USER_AGENT="Hemlig/1.0")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse(
        "feedback:thanks", kwargs={"slug": "stodtelefon"}
    )
    assert not response.cookies
    row = PageFeedback.objects.values().get()
    assert row["helpful"] is True and row["comment"] == "" and row["handled"] is False
    assert row["page_id"] == Page.objects.by_slug("stodtelefon").pk
    assert str(row["created_on"]) == "2026-06-02"
    # What the table can hold at all: nothing about the visitor, not even a time of day.
    fields = {f.name for f in PageFeedback._meta.get_fields()}
    assert fields == {"id", "page", "created_on", "helpful", "comment", "handled"}
    assert isinstance(PageFeedback._meta.get_field("created_on"), models.DateField)
    assert not isinstance(PageFeedback._meta.get_field("created_on"), models.DateTimeField)


def test_thanks_page_thanks_and_links_back(client):
    vote(client, "nmt", "ja")
    response = client.get(reverse("feedback:thanks", kwargs={"slug": "nmt"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tack för ditt svar" in html
    assert f'href="{reverse("nmt:index")}"' in html
    assert not response.cookies


def test_no_leads_to_an_optional_comment_with_a_warning(client):
    url = comment_url(vote(client, "om-nspm", "nej"))
    assert PageFeedback.objects.get().helpful is False
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Skriv inga namn eller uppgifter om ett ärende" in html
    assert "Skriv inte namn, personnummer" in html
    assert re.search(
        r'<textarea name="kommentar"[^>]*aria-describedby="id_kommentar_helptext"', html
    )
    assert "maxlength" not in html
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    response = client.post(url, {"kommentar": "  Öppettiderna i juli saknas.  "})
    assert urlsplit(response["Location"]).path == reverse(
        "feedback:thanks", kwargs={"slug": "om-nspm"}
    )
    assert PageFeedback.objects.get().comment == "Öppettiderna i juli saknas."


def test_an_empty_comment_keeps_the_no_and_stores_nothing_more(client):
    url = comment_url(vote(client))
    response = client.post(url, {"kommentar": "   "})
    assert response.status_code == 302
    row = PageFeedback.objects.get()
    assert row.helpful is False and row.comment == ""


def test_a_comment_over_500_characters_is_refused_and_kept_in_the_box(client):
    url = comment_url(vote(client))
    text = "å" * 501
    response = client.post(url, {"kommentar": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Fel: " in html
    assert 'class="error-summary"' in html
    assert "Skriv högst 500 tecken. Du har skrivit 501 tecken." in html
    assert text in html
    assert 'aria-invalid="true"' in html
    assert PageFeedback.objects.get().comment == ""
    ok = client.post(url, {"kommentar": "å" * 500})
    assert ok.status_code == 302
    assert PageFeedback.objects.get().comment == "å" * 500


def test_a_comment_link_works_once(client):
    url = comment_url(vote(client))
    client.post(url, {"kommentar": "Första"})
    second = client.post(url, {"kommentar": "Andra"})
    assert second.status_code == 404
    assert "Länken fungerar inte längre" in second.content.decode()
    assert PageFeedback.objects.get().comment == "Första"
    assert client.get(url).status_code == 404


def test_a_comment_link_expires(client):
    url = comment_url(vote(client))
    with time_machine.travel(datetime.now().astimezone() + timedelta(hours=3)):
        response = client.post(url, {"kommentar": "För sent"})
    assert response.status_code == 404
    assert PageFeedback.objects.get().comment == ""


@pytest.mark.parametrize(
    "token",
    ["x", "MQ:1xXwzd:forged", "MQ", "' OR 1=1 --", "<script>alert(1)<script>", "a" * 3000],
)
def test_forged_comment_links_change_nothing(client, token):
    feedback = services.feedback_record(page=Page.objects.by_slug(Page.ABOUT), helpful=False)
    for response in (
        client.get(reverse("feedback:comment", kwargs={"token": token})),
        client.post(reverse("feedback:comment", kwargs={"token": token}), {"kommentar": "x"}),
    ):
        assert response.status_code == 404
        assert "<script>alert(1)" not in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.comment == ""


def test_a_yes_cannot_get_a_comment(client):
    yes = services.feedback_record(page=Page.objects.by_slug(Page.ABOUT), helpful=True)
    token = services.feedback_comment_token(feedback=yes)
    response = client.post(reverse("feedback:comment", kwargs={"token": token}), {"kommentar": "x"})
    assert response.status_code == 404
    yes.refresh_from_db()
    assert yes.comment == ""


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://angripare.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_REFERER": "https://angripare.example/"},
        {"HTTP_REFERER": "http://testserver.angripare.example/"},
        {"HTTP_USER_AGENT": "curl/8"},
    ],
)
def test_an_answer_from_another_site_is_refused(client, headers):
    response = client.post(
        reverse("feedback:vote", kwargs={"slug": "om-nspm"}), {"svar": "nej"}, **headers
    )
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.content.decode()
    assert not PageFeedback.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/om-nspm/"},
    ],
)
def test_an_answer_from_this_site_is_accepted_by_any_one_of_the_headers(client, headers):
    assert vote(client, **headers).status_code == 302
    assert PageFeedback.objects.count() == 1


@pytest.mark.parametrize("answer", ["", "kanske", "JA ", "<script>", "\x00", "nej" * 1000])
def test_a_strange_answer_stores_nothing_and_explains(client, answer):
    response = vote(client, answer=answer)
    assert response.status_code == 400
    assert "Välj Ja eller Nej" in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_unknown_pages_and_other_methods_are_refused(client):
    assert vote(client, slug="finns-inte").status_code == 404
    assert client.get(reverse("feedback:vote", kwargs={"slug": "om-nspm"})).status_code == 405
    assert client.get(reverse("feedback:thanks", kwargs={"slug": "finns-inte"})).status_code == 404
    assert not PageFeedback.objects.exists()


def test_too_many_answers_from_one_address_get_a_friendly_message(client, settings):
    settings.FEEDBACK_RATE_PER_IP = "3/h"
    for _ in range(3):
        assert vote(client, answer="ja").status_code == 302
    response = vote(client, answer="ja")
    assert response.status_code == 429
    assert "För många svar på kort tid" in response.content.decode()
    assert PageFeedback.objects.count() == 3
    other = client.post(
        reverse("feedback:vote", kwargs={"slug": "om-nspm"}),
        {"svar": "ja"},
        REMOTE_ADDR="192.0.2.77",
        **SAME_ORIGIN,
    )
    assert other.status_code == 302


def test_comments_count_against_the_same_limit(client, settings):
    settings.FEEDBACK_RATE_PER_IP = "2/h"
    url = comment_url(vote(client))
    assert vote(client, answer="ja").status_code == 302
    response = client.post(url, {"kommentar": "En kommentar"})
    assert response.status_code == 429
    assert PageFeedback.objects.filter(helpful=False).get().comment == ""


def test_when_the_rate_limit_cache_is_down_nothing_is_stored_and_the_visitor_is_told(
    client, settings
):
    url = comment_url(vote(client))
    # A Redis nobody listens on: every counter call fails at once.
    settings.CACHES = {
        **settings.CACHES,
        "broken": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.RATELIMIT_USE_CACHE = "broken"
    for response in (vote(client, answer="ja"), client.post(url, {"kommentar": "Text"})):
        assert response.status_code == 503
        assert "inget du har skrivit har sparats" in response.content.decode()
    assert list(PageFeedback.objects.values_list("helpful", "comment")) == [(False, "")]
