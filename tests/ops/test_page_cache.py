"""The page cache (pagecache/) on the site's real pages: served without SQL, refreshed by
every editor's save with one version bump, and never showing an open helpline after it has
closed. The cache's own rules are tested with test views in pagecache/tests."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editors.testing import login_verified, make_staff
from pages.models import Document, Page

pytestmark = pytest.mark.django_db


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


def test_the_coordinator_lookup_answers_by_the_last_kommun_whatever_the_order(client):
    url = reverse("contacts:coordinators")
    lund_last = client.get(url + "?kommun=Ume%C3%A5&kommun=Lund").content.decode()
    umea_last = client.get(url + "?kommun=Lund&kommun=Ume%C3%A5").content.decode()
    assert lund_last != umea_last
    # Stored apart, and each served again to the same question.
    assert client.get(url + "?kommun=Ume%C3%A5&kommun=Lund").content.decode() == lund_last
    assert _queries(client, url + "?kommun=Lund&kommun=Ume%C3%A5")[1] == 0


def test_tracking_parameters_are_served_the_stored_page(client):
    url = reverse("contacts:list")
    first = client.get(url)
    for query in ("?utm_source=nyhetsbrev", "?x=2", "?fbclid=1&utm_campaign=v"):
        response, queries = _queries(client, url + query)
        assert queries == 0
        assert response.content == first.content


def test_a_made_up_session_cookie_is_served_the_stored_page(client):
    url = reverse("contacts:list")
    client.get(url)
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "x"
    assert _queries(visitor, url)[1] == 0
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "abcdefghijklmnopqrstuvwxyz012345"
    assert _queries(visitor, url)[1] == 0


def test_a_logged_in_editor_gets_fresh_public_pages(client):
    url = reverse("pages:about")
    Client().get(url)  # stored for visitors
    user, _enrolment = make_staff("chef", superuser=True)
    login_verified(client, user)
    assert _queries(client, url)[1] > 0


# -- one editor save, one bump ---------------------------------------------------------------


@pytest.fixture
def bumps(redis_cache, django_capture_on_commit_callbacks):
    """Count the versions the page cache publishes on Redis while an editor saves."""
    from pagecache.store import get_store

    raw = redis_cache
    pubsub = raw.pubsub()
    pubsub.subscribe(get_store().channel)
    pubsub.get_message(timeout=1)  # the confirmation

    def count() -> int:
        seen = 0
        while (message := pubsub.get_message(timeout=0.3)) is not None:
            seen += message["type"] == "message"
        return seen

    yield count
    pubsub.close()


@pytest.fixture
def editor(client):
    user, _enrolment = make_staff("chef", superuser=True)
    return login_verified(client, user)


def test_an_editors_save_of_a_page_bumps_the_version_once(
    editor, bumps, django_capture_on_commit_callbacks
):
    page = Page.objects.by_slug(Page.ABOUT)
    form = {
        "title": "Om NSPM, ny rubrik",
        "description": page.description,
        "body": page.body,
        "published_on": page.published_on.isoformat(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("admin:pages_page_change", args=[page.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert page.history.count() >= 2  # the page, and its history row, were written
    assert bumps() == 1


def test_an_editors_new_contact_with_regions_and_phones_bumps_once(
    editor, bumps, django_capture_on_commit_callbacks
):
    from contacts.models import Contact, Region
    from contacts.tests.builders import contact_form_data

    form = contact_form_data(
        title="Regionkoordinator", regions=[str(r.pk) for r in Region.objects.all()[:2]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(reverse("admin:contacts_contact_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = Contact.objects.get(name="Vera Västergård")
    assert contact.regions.count() == 2 and contact.phones.count() == 2
    assert bumps() == 1


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
