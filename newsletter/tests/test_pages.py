"""Public newsletter pages: archive order, issue pages, constant queries at two sizes."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Issue

pytestmark = pytest.mark.django_db


def _published(numbers):
    now = timezone.now()
    Issue.objects.bulk_create(
        Issue(
            number=n,
            subject=f"Nummer {n} <i>kursiv</i>",
            body="## Rubrik\n\nText.",
            state=Issue.State.SENT,
            send_at=now - timedelta(days=n),
            started_at=now - timedelta(days=200 - n),
        )
        for n in numbers
    )


def test_archive_lists_published_issues_newest_first_and_escapes_subjects():
    _published([1, 2, 3])
    Issue.objects.create(number=4, subject="Utkast", body="x")
    html = Client().get(reverse("newsletter:archive")).content.decode()
    assert html.index("Nummer 3") < html.index("Nummer 2") < html.index("Nummer 1")
    assert "Utkast" not in html
    assert "<i>kursiv</i>" not in html and "&lt;i&gt;kursiv" in html


def test_a_draft_has_no_public_page():
    Issue.objects.create(number=9, subject="Utkast", body="x")
    assert Client().get(reverse("newsletter:issue", kwargs={"number": 9})).status_code == 404
    huge = reverse("newsletter:issue", kwargs={"number": 10**30})
    assert Client().get(huge).status_code == 404


@pytest.mark.parametrize("url_name", ["newsletter:archive", "newsletter:signup"])
def test_queries_do_not_grow_with_the_number_of_issues(url_name):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for numbers in (range(1, 3), range(3, 60)):
        _published(numbers)
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_issue_page_renders_markdown_safely():
    Issue.objects.create(
        number=5,
        subject="Hej",
        body="## Rubrik\n\n<script>alert(1)</script> [länk](https://example.org/)",
        state=Issue.State.SENT,
        started_at=timezone.now(),
    )
    html = Client().get(reverse("newsletter:issue", kwargs={"number": 5})).content.decode()
    assert "<h2>Rubrik</h2>" in html and 'href="https://example.org/"' in html
    assert "<script>alert" not in html
