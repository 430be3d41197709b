"""Every public page runs the same number of SQL queries with 10 and with 1,000 rows of the
content behind it, and none at all when it comes from the page cache.

The app owners test their own pages at other sizes (contacts/tests/test_views.py,
nmt/tests/test_views.py, helpline/tests/test_views.py and test_loader.py); this is the one
place where every page is held to the same two sizes, with every kind of row behind it.
"""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pagecache import forget_local_copies

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # a Tuesday, the line open
SIZES = (10, 1000)
_serial = itertools.count(1)


def _documents(n):
    from pages.models import Document, Page

    page = Page.objects.by_slug(Page.ABOUT)
    Document.objects.bulk_create(
        Document(page=page, title=f"Rapport {i}", slug=f"rapport-{i}", order=i)
        for i in (next(_serial) for _ in range(n))
    )


def _contacts(n):
    from contacts.models import Municipality, Region
    from contacts.tests.builders import bulk_contacts

    malå = Region.objects.get(counties__municipalities__in=Municipality.objects.filter(name="Malå"))
    bulk_contacts(n, regions=[malå])


def _members(n):
    from contacts.tests.builders import bulk_contacts
    from nmt.models import Member

    people = bulk_contacts(n)
    members = Member.objects.bulk_create(
        Member(name=f"Myndighet {i}", slug=f"myndighet-{i}", description="Beskrivning.", order=i)
        for i in (next(_serial) for _ in range(n))
    )
    Member.contacts.through.objects.bulk_create(
        Member.contacts.through(member_id=m.pk, contact_id=c.pk)
        for m, c in zip(members, people, strict=True)
    )


def _issues(n):
    from newsletter.models import Issue

    last = Issue.objects.order_by("-number").values_list("number", flat=True).first() or 0
    Issue.objects.bulk_create(
        Issue(
            number=last + k,
            subject=f"Nyhetsbrev nr {last + k}",
            body="Text.",
            send_at=NOW - timedelta(days=2 * k),
            started_at=NOW - timedelta(days=2 * k),
            finished_at=NOW - timedelta(days=2 * k),
            state=Issue.State.SENT,
        )
        for k in range(1, n + 1)
    )


def _exceptions(n):
    from helpline.models import Helpline, HoursException

    helpline = Helpline.objects.current()
    first = HoursException.objects.order_by("-end_date").values_list("end_date", flat=True).first()
    start = max(first or date(2026, 3, 11), date(2026, 3, 11)) + timedelta(days=1)
    HoursException.objects.bulk_create(
        HoursException(
            helpline=helpline,
            start_date=start + timedelta(days=i),
            end_date=start + timedelta(days=i),
            kind=HoursException.CLOSED,
            note=f"Stängt {i}",
        )
        for i in range(n)
    )


ROWS = {
    "documents": _documents,
    "contacts": _contacts,
    "members": _members,
    "issues": _issues,
    "exceptions": _exceptions,
}

# Each public page and the rows behind it (the helpline status is on every page).
PAGES = [
    ("pages:home", "", ["exceptions"]),
    ("pages:about", "", ["documents", "exceptions"]),
    ("pages:privacy", "", ["exceptions"]),
    ("helpline:detail", "", ["exceptions"]),
    ("contacts:list", "", ["contacts", "exceptions"]),
    ("contacts:coordinators", "kommun=Mal%C3%A5", ["contacts", "exceptions"]),
    ("nmt:index", "", ["members", "exceptions"]),
    ("newsletter:signup", "", ["issues", "exceptions"]),
    ("newsletter:archive", "", ["issues", "exceptions"]),
    (
        "search:results",
        "q=nyhetsbrev",
        ["documents", "contacts", "members", "issues", "exceptions"],
    ),
    ("search:results", "q=Mal%C3%A5", ["contacts", "exceptions"]),
]


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


@pytest.mark.parametrize(("url_name", "query", "rows"), PAGES, ids=[p[0] for p in PAGES])
def test_queries_are_the_same_with_10_and_1000_rows(client, url_name, query, rows):
    url = reverse(url_name) + (f"?{query}" if query else "")
    counts = {}
    with time_machine.travel(NOW, tick=False):
        grown = 0
        for size in SIZES:
            for kind in rows:
                ROWS[kind](size - grown)
            grown = size
            cache.clear()  # a full render, with every cache (page, helpline) cold
            forget_local_copies()
            status, counts[size] = _queries(client, url)
            assert status == 200, url
    assert counts[10] == counts[1000], f"{url}: {counts}"


@pytest.mark.parametrize(("url_name", "query", "rows"), PAGES, ids=[p[0] for p in PAGES])
def test_a_cached_page_runs_no_queries_with_1000_rows(client, url_name, query, rows):
    url = reverse(url_name) + (f"?{query}" if query else "")
    with time_machine.travel(NOW, tick=False):
        for kind in rows:
            ROWS[kind](1000)
        client.get(url)
        status, count = _queries(client, url)
    assert status == 200
    assert count == 0, f"{url} ran {count} queries from the cache"
