"""The archive's Atom feed, parsed back with a real XML parser."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Issue

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _issue(number: int, subject: str, body: str, *, started: datetime | None) -> Issue:
    return Issue.objects.create(
        number=number,
        subject=subject,
        body=body,
        send_at=started or timezone.now() + timedelta(days=3),
        started_at=started,
        state=Issue.State.SENT if started else Issue.State.SCHEDULED,
    )


def feed(client) -> ET.Element:
    response = client.get(reverse("newsletter:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def test_the_feed_lists_sent_issues_newest_first_and_not_planned_ones(client):
    _issue(7, "Vårens nummer", "Text.", started=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    _issue(8, "Sommarens nummer", "Text.", started=datetime(2026, 5, 4, 8, 0, tzinfo=UTC))
    _issue(9, "Planerat nummer", "Text.", started=None)
    root = feed(client)
    assert root.findtext(f"{ATOM}title") == "NSPM:s nyhetsbrev"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Nr 8: Sommarens nummer",
        "Nr 7: Vårens nummer",
    ]
    first = entries[0]
    link = first.find(f"{ATOM}link").get("href")
    assert link.endswith(reverse("newsletter:issue", kwargs={"number": 8}))
    assert first.findtext(f"{ATOM}published").startswith("2026-05-04T")
    assert first.findtext(f"{ATOM}id")


def test_the_feed_carries_the_cleaned_html_of_each_issue(client):
    _issue(
        3,
        "Med länk",
        "Läs [rapporten](https://example.se/r).\n\n<script>alert(1)</script>",
        started=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
    )
    entry = feed(client).find(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert '<a href="https://example.se/r">rapporten</a>' in summary.text
    assert "<script>" not in summary.text


def test_the_archive_and_every_page_link_to_the_feed(client):
    _issue(5, "Ett nummer", "Text.", started=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    alternate = (
        f'<link rel="alternate" type="application/atom+xml" title="NSPM:s nyhetsbrev" '
        f'href="{reverse("newsletter:feed")}" hreflang="sv">'
    )
    for name in ("newsletter:archive", "pages:home", "contacts:list"):
        assert alternate in client.get(reverse(name)).content.decode(), name
    archive = client.get(reverse("newsletter:archive")).content.decode()
    assert f'<a href="{reverse("newsletter:feed")}"' in archive
