"""The public page cache (nspm_portal/cache.py): what is stored, what never is, and when a
stored page stops being served."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nspm_portal import cache as page_cache
from pages.models import Document, Page
from tests.ops.urls import RENDERS

pytestmark = pytest.mark.django_db

OPS_URLS = "tests.ops.urls"
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def ops_urls(settings):
    settings.ROOT_URLCONF = OPS_URLS
    RENDERS["count"] = 0
    return RENDERS


@pytest.fixture
def no_status_change(monkeypatch):
    """Pages whose expiry does not depend on the helpline (for rules about storing)."""
    monkeypatch.setattr(page_cache, "next_status_change", lambda now: None)


def _queries(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, len(ctx.captured_queries)


def _max_age(response) -> int:
    match = re.search(r"max-age=(\d+)", response["Cache-Control"])
    assert match, response["Cache-Control"]
    return int(match.group(1))


# -- the real pages ----------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["pages:home", "pages:about", "pages:privacy"])
def test_second_visit_is_served_from_the_cache_without_sql(client, url_name):
    first, first_queries = _queries(client, reverse(url_name))
    second, second_queries = _queries(client, reverse(url_name))

    assert first.status_code == second.status_code == 200
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    # The headers the lower middleware adds (the CSP) are on the cached copy too.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "Set-Cookie" not in second


def test_an_editors_save_shows_on_the_next_request(client):
    url = reverse("pages:about")
    client.get(url)
    page = Page.objects.by_slug(Page.ABOUT)
    page.title = "Om oss, omskriven"
    page.save()

    response = client.get(url)
    assert "<h1>Om oss, omskriven</h1>" in response.content.decode()


def test_a_new_and_a_deleted_document_show_on_the_next_request(client):
    url = reverse("pages:about")
    client.get(url)
    doc = Document.objects.create(
        page=Page.objects.by_slug(Page.ABOUT), title="Årsrapport 2026", slug="arsrapport-2026"
    )
    assert "Årsrapport 2026" in client.get(url).content.decode()

    doc.delete()
    assert "Årsrapport 2026" not in client.get(url).content.decode()


def test_a_save_through_another_page_also_refreshes_every_page(client):
    # The layout (navigation, helpline box) is on every page, so one version covers all.
    home = reverse("pages:home")
    client.get(home)
    Page.objects.by_slug(Page.PRIVACY).save()
    _, queries = _queries(client, home)
    assert queries > 0


def test_a_logged_in_editor_always_gets_a_fresh_page(client, django_user_model):
    url = reverse("pages:about")
    client.get(url)  # stored for visitors
    staff = django_user_model.objects.create_user("redaktor", password="x" * 12, is_staff=True)
    client.force_login(staff)

    _, queries = _queries(client, url)
    assert queries > 0
    _, again = _queries(client, url)
    assert again > 0


def test_pages_are_kept_by_browsers_for_at_most_a_minute(client):
    response = client.get(reverse("pages:home"))
    assert 0 <= _max_age(response) <= page_cache.BROWSER_MAX_AGE
    cached = client.get(reverse("pages:home"))
    assert 0 <= _max_age(cached) <= page_cache.BROWSER_MAX_AGE
    assert "private" not in response["Cache-Control"]


def test_cache_is_not_used_when_switched_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(reverse("pages:home"))
    _, queries = _queries(client, reverse("pages:home"))
    assert queries > 0


def test_an_unknown_host_is_still_refused(client):
    response = client.get(reverse("pages:home"), HTTP_HOST="evil.example")
    assert response.status_code == 400


# -- expiry ----------------------------------------------------------------------------------


def test_a_page_expires_at_the_next_helpline_status_change(client, monkeypatch):
    start = datetime(2026, 3, 10, 14, 59, 30, tzinfo=UTC)  # 15:59:30 in Stockholm
    change = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    monkeypatch.setattr(
        page_cache, "next_status_change", lambda now: change if now < change else None
    )
    url = reverse("pages:home")
    with time_machine.travel(start, tick=False) as traveller:
        first = client.get(url)
        assert _max_age(first) <= 30
        _, queries = _queries(client, url)
        assert queries == 0

        traveller.move_to(change - timedelta(seconds=1))
        _, queries = _queries(client, url)
        assert queries == 0

        traveller.move_to(change)
        response, queries = _queries(client, url)
        assert queries > 0
        assert _max_age(response) == page_cache.BROWSER_MAX_AGE


def test_a_page_expires_at_local_midnight(client, no_status_change, settings):
    settings.PAGE_CACHE_SECONDS = 24 * 3600
    url = reverse("pages:home")
    with time_machine.travel(datetime(2026, 6, 1, 21, 59, 50, tzinfo=UTC), tick=False) as t:
        assert _max_age(client.get(url)) == 10  # 23:59:50 in Stockholm (summer time)
        t.move_to(datetime(2026, 6, 1, 22, 0, tzinfo=UTC))
        _, queries = _queries(client, url)
        assert queries > 0


def test_a_page_is_kept_no_longer_than_page_cache_seconds(client, no_status_change, settings):
    settings.PAGE_CACHE_SECONDS = 120
    url = reverse("pages:home")
    with time_machine.travel(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), tick=False) as t:
        client.get(url)
        t.shift(119)
        assert _queries(client, url)[1] == 0
        t.shift(1)
        assert _queries(client, url)[1] > 0


def test_a_page_stored_in_the_future_is_not_served_in_the_past(client, no_status_change):
    # Clocks (and tests) can go backwards; a page rendered later is not true earlier.
    url = reverse("pages:home")
    with time_machine.travel(datetime(2026, 6, 1, 8, 0, tzinfo=UTC), tick=False) as t:
        client.get(url)
        t.move_to(datetime(2026, 6, 1, 7, 59, tzinfo=UTC))
        assert _queries(client, url)[1] > 0


# -- what is never stored -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/ops/cookie/",
        "/ops/404/",
        "/ops/session/",
        "/ops/nonce/",
        "/ops/private/",
        "/ops/meta-token/",
        "/ops/uncached/",
    ],
)
def test_responses_that_are_not_safe_to_share_are_rendered_every_time(
    client, ops_urls, no_status_change, path
):
    client.get(path)
    client.get(path)
    assert ops_urls["count"] == 2


def test_a_view_that_set_its_own_cache_control_keeps_it(client, ops_urls, no_status_change):
    assert client.get("/ops/private/")["Cache-Control"] == "private, no-store"


def test_a_plain_page_is_stored_once(client, ops_urls, no_status_change):
    first = client.get("/ops/plain/")
    second = client.get("/ops/plain/")
    assert ops_urls["count"] == 1
    assert first.content == second.content


def test_query_strings_are_normalised_and_kept_apart(client, ops_urls, no_status_change):
    a = client.get("/ops/plain/?b=2&a=1")
    b = client.get("/ops/plain/?a=1&b=2")
    assert ops_urls["count"] == 1
    assert a.content == b.content
    c = client.get("/ops/plain/?a=1&b=3")
    assert ops_urls["count"] == 2
    assert c.content != a.content


def test_very_long_query_strings_are_not_stored(client, ops_urls, no_status_change):
    url = "/ops/plain/?q=" + "x" * 300
    client.get(url)
    client.get(url)
    assert ops_urls["count"] == 2


def test_post_is_never_answered_from_the_cache(client, ops_urls, no_status_change):
    page = client.get("/ops/form/")
    token = TOKEN_INPUT.search(page.content.decode()).group(1)
    response = client.post("/ops/form/", {"csrfmiddlewaretoken": token, "q": "hej"})
    assert response.content == b"posted hej"


def test_head_is_answered_from_a_stored_get(client, ops_urls, no_status_change):
    client.get("/ops/plain/")
    response = client.head("/ops/plain/")
    assert response.status_code == 200
    assert ops_urls["count"] == 1


# -- the CSRF token on a cached form --------------------------------------------------------


def test_each_visitor_gets_their_own_working_csrf_token_on_a_cached_form(
    ops_urls, no_status_change
):
    first_client = Client(enforce_csrf_checks=True)
    second_client = Client(enforce_csrf_checks=True)
    first = first_client.get("/ops/form/")
    second = second_client.get("/ops/form/")
    assert ops_urls["count"] == 1  # the second visitor was served the stored page

    tokens = [TOKEN_INPUT.search(r.content.decode()).group(1) for r in (first, second)]
    assert tokens[0] != tokens[1]
    assert page_cache.CSRF_PLACEHOLDER not in second.content.decode()
    assert settings.CSRF_COOKIE_NAME in second.cookies
    assert "Cookie" in second["Vary"]
    assert second["Cache-Control"].startswith("private")
    assert int(second["Content-Length"]) == len(second.content)

    posted = second_client.post("/ops/form/", {"csrfmiddlewaretoken": tokens[1], "q": "svar"})
    assert posted.status_code == 200
    assert posted.content == b"posted svar"


def test_a_visitor_who_already_has_a_csrf_cookie_keeps_it_working(ops_urls, no_status_change):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/ops/form/")
    cookie = visitor.cookies[settings.CSRF_COOKIE_NAME].value
    page = visitor.get("/ops/form/")  # from the cache
    assert ops_urls["count"] == 1
    token = TOKEN_INPUT.search(page.content.decode()).group(1)
    assert visitor.cookies[settings.CSRF_COOKIE_NAME].value == cookie
    posted = visitor.post("/ops/form/", {"csrfmiddlewaretoken": token, "q": "igen"})
    assert posted.content == b"posted igen"


def test_a_stale_token_from_another_visitor_is_refused(ops_urls, no_status_change):
    first = Client(enforce_csrf_checks=True)
    second = Client(enforce_csrf_checks=True)
    first_token = TOKEN_INPUT.search(first.get("/ops/form/").content.decode()).group(1)
    second.get("/ops/form/")
    response = second.post("/ops/form/", {"csrfmiddlewaretoken": first_token, "q": "x"})
    assert response.status_code == 403


# -- the cache backend failing -------------------------------------------------------------


def test_pages_are_served_when_the_cache_server_is_down(client, settings):
    # Redis on a port where nothing listens: every page is rendered, none fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    response = client.get(reverse("pages:home"))
    assert response.status_code == 200
    page = Page.objects.by_slug(Page.ABOUT)
    page.save()  # the bump fails quietly; the save does not
    assert client.get(reverse("pages:about")).status_code == 200


# -- with the real helpline schedule (seeded: weekdays 09.00–16.00, Europe/Stockholm) ---------

STOCKHOLM_1559 = datetime(2026, 3, 10, 14, 59, 30, tzinfo=UTC)  # Tuesday 15:59:30 local
STOCKHOLM_1600 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("url_name", ["pages:home", "helpline:detail"])
def test_the_open_status_is_never_served_after_the_line_closes(client, url_name):
    url = reverse(url_name)
    with time_machine.travel(STOCKHOLM_1559, tick=False) as traveller:
        open_page = client.get(url)
        assert "status-open" in open_page.content.decode()
        assert _max_age(open_page) <= 30  # browsers too must ask again by 16.00

        traveller.move_to(STOCKHOLM_1600 - timedelta(seconds=1))
        assert _queries(client, url)[1] == 0

        traveller.move_to(STOCKHOLM_1600)
        closed_page, queries = _queries(client, url)
        assert queries > 0
        assert "status-open" not in closed_page.content.decode()
        assert "status-closed" in closed_page.content.decode()


def test_an_editors_closed_day_shows_at_once(client):
    from helpline.models import Helpline, HoursException

    url = reverse("pages:home")
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=UTC), tick=False):
        assert "status-open" in client.get(url).content.decode()
        HoursException.objects.create(
            helpline=Helpline.objects.order_by("pk").first(),
            start_date=datetime(2026, 3, 10).date(),
            end_date=datetime(2026, 3, 10).date(),
            kind=HoursException.CLOSED,
            note="Personalmöte",
        )
        page = client.get(url).content.decode()
        assert "status-closed" in page


def test_a_page_rendered_across_the_closing_time_is_not_kept(client, monkeypatch):
    """The status is read while rendering; a render that ends after 16.00 may still say
    "open", so its expiry counts from when rendering began."""
    import pages.views

    url = reverse("pages:home")
    with time_machine.travel(STOCKHOLM_1600 - timedelta(milliseconds=500), tick=False) as t:
        real_render = pages.views.render

        def slow_render(*args, **kwargs):
            response = real_render(*args, **kwargs)
            t.move_to(STOCKHOLM_1600 + timedelta(milliseconds=500))
            return response

        monkeypatch.setattr(pages.views, "render", slow_render)
        assert "status-open" in client.get(url).content.decode()
        monkeypatch.setattr(pages.views, "render", real_render)

        after = client.get(url).content.decode()
        assert "status-open" not in after
        assert "status-closed" in after
