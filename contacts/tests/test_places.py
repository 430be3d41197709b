"""The lookup's data and the HTML that depends only on content: built once per content
version, rebuilt after an editor's save, and still answering when the cache is down."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts import memo
from contacts.models import County, Region
from contacts.services import contact_create
from pagecache.version import bump
from tests.builders import CACHE_REFUSED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # The view itself answers every lookup here, never a stored page; bumping the content
    # version to make stored pages stale would also drop what these tests watch being kept.
    settings.PAGE_CACHE_SECONDS = 0


def _lookup(client, typed: str, n: int = 0) -> str:
    response = client.get(reverse("contacts:coordinators"), {"kommun": typed, "n": n})
    assert response.status_code == 200
    return response.content.decode()


def _sql(client, typed: str, n: int) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        _lookup(client, typed, n)
    return [q["sql"] for q in ctx.captured_queries]


def test_the_index_is_read_once_per_content_version(client):
    first = _sql(client, "Visby", 1)
    assert any("contacts_postalcode" in sql for sql in first)
    again = _sql(client, "621 41", 2) + _sql(client, "Jämtland", 3) + _sql(client, "Malå", 4)
    assert not any("contacts_postalcode" in sql or "contacts_municipality" in sql for sql in again)


def test_an_editors_save_is_seen_by_the_next_lookup(client):
    assert "Malå hör till Region Nord" in _lookup(client, "Malå", 1)
    county = County.objects.get(code="24")
    county.region = Region.objects.get(slug="syd")
    county.save()
    assert "Malå hör till Region Syd" in _lookup(client, "Malå", 2)
    contact_create(
        name="Nora Norrman",
        title="Regionkoordinator",
        is_nspm=False,
        email="nora@example.se",
        regions=[Region.objects.get(slug="syd")],
    )
    assert "Nora Norrman" in _lookup(client, "Malå", 3)


def test_content_only_html_is_rendered_once_per_content_version(client):
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        for n, typed in enumerate(["Malå", "Lycksele", "2418", "", "Visby"]):
            _lookup(client, typed, n)
        bump()  # what an editor's committed save does
        _lookup(client, "Malå", 9)
    finally:
        template_rendered.disconnect(record)
    # Malå, Lycksele and 2418 share one map (Västerbottens län highlighted); "" and Visby
    # (Gotland) one each; after the bump Malå's is drawn again.
    assert rendered.count("contacts/includes/region_map.svg") == 4
    assert rendered.count("contacts/includes/municipality_datalist.html") == 2
    assert rendered.count("contacts/includes/region_table.html") == 2


@override_settings(CACHES=CACHE_REFUSED)
def test_with_the_cache_down_the_lookup_still_answers(client):
    memo.forget()
    assert memo.content_version() is None
    assert "Visby hör till Region Stockholm" in _lookup(client, "Visby", 1)


def test_pages_say_when_what_they_show_last_changed(client):
    with time_machine.travel(datetime(2027, 3, 4, 10, 0, tzinfo=UTC)):
        contact_create(name="Ny Person", title="Utredare")
    for url in (reverse("contacts:list"), reverse("contacts:coordinators")):
        html = client.get(url).content.decode()
        assert 'Senast uppdaterad: <time datetime="2027-03-04">4 mars 2027</time>' in html
