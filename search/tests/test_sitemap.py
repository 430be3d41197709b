"""/sitemap.xml parsed back with a real XML parser, and robots.txt pointing at it."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from newsletter.models import Issue
from pages.models import URL_NAMES, Page

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client) -> dict[str, str | None]:
    """{path: lastmod or None} from the sitemap the site serves."""
    response = client.get(reverse("search:sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        parts = urlsplit(loc)
        assert parts.scheme in {"http", "https"} and parts.netloc, loc
        assert parts.path not in entries, f"{parts.path} listed twice"
        entries[parts.path] = url.findtext("sm:lastmod", namespaces=NS)
    return entries


def _issue(number: int, *, started: datetime | None) -> Issue:
    return Issue.objects.create(
        number=number,
        subject=f"Nummer {number}",
        body="Text.",
        send_at=started or timezone.now() + timedelta(days=3),
        started_at=started,
        state=Issue.State.SENT if started else Issue.State.SCHEDULED,
    )


def test_every_content_page_is_listed_with_the_date_its_text_changed(client):
    Page.objects.filter(slug=Page.ABOUT).update(updated_on=date(2025, 4, 11))
    entries = sitemap(client)
    for page in Page.objects.filter(slug__in=list(URL_NAMES)):
        assert page.get_absolute_url() in entries, page.slug
        assert entries[page.get_absolute_url()] == page.updated_on.isoformat()
    assert entries[reverse("pages:about")] == "2025-04-11"


def test_the_contact_pages_are_listed_with_the_last_change_to_a_contact(client):
    contact = Contact.objects.published().people().first()
    with time_machine.travel(datetime(2031, 5, 6, 22, 30, tzinfo=UTC), tick=False):
        contact.title = "Ny titel"
        contact.save()
    entries = sitemap(client)
    for name in ("contacts:list", "contacts:coordinators"):
        # 22.30 UTC is already 7 May in Stockholm.
        assert entries[reverse(name)] == "2031-05-07", name


def test_archive_issues_are_listed_and_planned_ones_are_not(client):
    sent = _issue(41, started=datetime(2026, 2, 3, 8, 0, tzinfo=UTC))
    planned = _issue(42, started=None)
    entries = sitemap(client)
    assert sent.get_absolute_url() in entries
    assert planned.get_absolute_url() not in entries
    assert entries[sent.get_absolute_url()] == timezone.localdate(sent.updated_at).isoformat()
    assert reverse("newsletter:archive") in entries


def test_nothing_private_or_personal_is_listed(client):
    paths = set(sitemap(client))
    for prefix in ("/redaktion/", "/nyhetsbrev/bekrafta/", "/nyhetsbrev/avsluta/", "/sok/"):
        assert not any(path.startswith(prefix) for path in paths), prefix
    assert not any(path.startswith("/synpunkter/") for path in paths)


def test_robots_txt_names_the_sitemap(client):
    body = client.get(reverse("pages:robots")).content.decode()
    lines = body.splitlines()
    assert f"Sitemap: {settings.SITE_URL}{reverse('search:sitemap')}" in lines
    assert f"Disallow: {reverse('search:results')}" in lines
