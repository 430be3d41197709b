"""Adds searchable rows for bench/search.sh until there are TOTAL extra rows each of NMT members,
sent newsletter issues, documents and contact people, with text like the real content.

    python bench/search_rows.py TOTAL
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nspm_portal.settings.prod")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from contacts.models import Contact, Region  # noqa: E402
from newsletter.models import Issue  # noqa: E402
from nmt.models import Member  # noqa: E402
from pages.models import Document, Page  # noqa: E402

TEXT = (
    "Samordningen av arbetet mot prostitution och människohandel i regionerna. Rapporten "
    "beskriver sexuell exploatering av barn, stödet till yrkesverksamma och hur "
    "regionkoordinatorerna arbetar tillsammans med polisen och socialtjänsten. "
)


def main(total: int) -> None:
    start = Member.objects.filter(slug__startswith="bench-").count()
    rows = range(start, total)
    now = timezone.now()
    page = Page.objects.by_slug(Page.ABOUT)
    Member.objects.bulk_create(
        Member(name=f"Myndighet {i}", slug=f"bench-{i}", description=TEXT[: 200 + i % 300])
        for i in rows
    )
    Issue.objects.bulk_create(
        Issue(
            number=10_000 + i,
            subject=f"Nyhetsbrev om arbetet, del {i}",
            body=TEXT * 12,
            send_at=now - timedelta(days=i),
            started_at=now - timedelta(days=i),
            state=Issue.State.SENT,
        )
        for i in rows
    )
    Document.objects.bulk_create(
        Document(page=page, title=f"Rapport {i}", slug=f"bench-{i}", description=TEXT) for i in rows
    )
    people = Contact.objects.bulk_create(
        Contact(name=f"Person Benchsson{i}", slug=f"bench-{i}", title="Regionkoordinator")
        for i in rows
    )
    regions = list(Region.objects.all())
    Contact.regions.through.objects.bulk_create(
        Contact.regions.through(contact_id=p.pk, region_id=regions[i % len(regions)].pk)
        for i, p in enumerate(people)
    )
    print(f"{total} extra members, issues, documents and contact people")


if __name__ == "__main__":
    main(int(sys.argv[1]))
