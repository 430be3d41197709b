"""Drafts of pages: saved aside, previewed as visitors will see them, published now or at a
set time; visitors only ever see the published text."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from editors.testing import login_verified, make_staff
from pages.models import Page, PageDraft
from pages.services import page_draft_save, page_publish_due

pytestmark = pytest.mark.django_db

# Tuesday 8 December 2026, 10.00 in Stockholm.
MORNING = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
NEW_TEXT = "Den här meningen är ny i utkastet."


@pytest.fixture
def clock():
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def visitor():
    return Client()


def change_url(page):
    return reverse("admin:pages_page_change", args=[page.pk])


def preview_url(page):
    return reverse("admin:pages_page_preview", args=[page.pk])


def form_data(page, button="_draft", **changes):
    data = {
        "title": page.title,
        "description": page.description,
        "body": page.body,
        "published_on": page.published_on.isoformat(),
        "publish_at_0": "",
        "publish_at_1": "",
        # The English text is on the same form (and not part of a draft).
        "title_en": page.title_en,
        "description_en": page.description_en,
        "body_en": page.body_en,
        button: "1",
    }
    data.update(changes)
    return data


def about():
    return Page.objects.get(slug=Page.ABOUT)


def public_text(client, page=None) -> str:
    url = (page or about()).get_absolute_url()
    return client.get(url).content.decode()


def test_a_draft_is_kept_aside_and_visitors_see_the_published_page(clock, editor_client, visitor):
    page = about()
    before = (page.body, page.updated_on, page.history.count())
    response = editor_client.post(
        change_url(page), form_data(page, body=page.body + "\n\n" + NEW_TEXT)
    )
    assert response.status_code == 302
    assert response["Location"] == change_url(page)

    page.refresh_from_db()
    assert (page.body, page.updated_on, page.history.count()) == before
    assert NEW_TEXT in PageDraft.objects.get(page=page).body
    assert NEW_TEXT not in public_text(visitor)

    form = editor_client.get(change_url(page)).content.decode()
    assert NEW_TEXT in form  # the form edits the draft
    assert "Du redigerar ett utkast." in form
    listing = editor_client.get(reverse("admin:pages_page_changelist")).content.decode()
    assert "Utkast, inte schemalagt" in listing


def test_the_preview_shows_the_draft_exactly_as_visitors_will_see_it(clock, editor_client, visitor):
    page = about()
    published = public_text(visitor)
    editor_client.post(change_url(page), form_data(page, body=page.body + "\n\n" + NEW_TEXT))

    response = editor_client.get(preview_url(page))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    body = response.content.decode()
    assert "Förhandsvisning" in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert NEW_TEXT in body
    # The same page as the public one, plus the marker and the new sentence.
    assert published.split("<main")[1][:200] == body.split("<main")[1][:200]

    # Nothing of the preview reaches visitors, from the cache or otherwise.
    assert NEW_TEXT not in public_text(visitor)
    assert "Förhandsvisning" not in public_text(visitor)


@pytest.mark.parametrize(
    "slug", [Page.START, Page.HELPLINE, Page.NMT, Page.NEWSLETTER, Page.PRIVACY]
)
def test_every_page_can_be_previewed_with_its_own_layout(clock, editor, editor_client, slug):
    page = Page.objects.get(slug=slug)
    page_draft_save(
        page=page,
        title="Förhandsrubrik " + slug,
        description=page.description,
        body=page.body,
        published_on=page.published_on,
        publish_at=None,
        user=editor,
    )
    response = editor_client.get(preview_url(page))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Förhandsrubrik " + slug in body
    assert "Förhandsvisning" in body


def test_the_preview_is_for_verified_staff_with_page_permissions(clock, client, editor):
    page = about()
    assert client.get(preview_url(page)).status_code == 302  # not logged in
    client.force_login(editor)  # password only, no one-time code
    assert client.get(preview_url(page)).status_code == 302
    nobody, _ = make_staff("utan-behorighet")
    login_verified(client, nobody)
    assert client.get(preview_url(page)).status_code == 403
    editor_client = login_verified(Client(), editor)
    assert editor_client.post(preview_url(page)).status_code == 405
    missing = reverse("admin:pages_page_preview", args=[987654])
    assert editor_client.get(missing).status_code in (302, 404)


def test_publishing_now_makes_the_text_visible_and_moves_the_date(clock, editor_client, visitor):
    page = about()
    editor_client.post(change_url(page), form_data(page, body=page.body + "\n\n" + NEW_TEXT))
    assert NEW_TEXT not in public_text(visitor)
    draft = PageDraft.objects.get(page=page)

    response = editor_client.post(
        change_url(page), form_data(page, button="_save", body=draft.body)
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert NEW_TEXT in page.body
    assert page.updated_on == date(2026, 12, 8)
    assert not PageDraft.objects.filter(page=page).exists()
    assert NEW_TEXT in public_text(visitor)


def test_a_scheduled_text_goes_live_at_its_time_without_cron(clock, editor, editor_client, visitor):
    page = about()
    seeded_date = page.updated_on
    response = editor_client.post(
        change_url(page),
        form_data(
            page,
            button="_save",
            body=page.body + "\n\n" + NEW_TEXT,
            publish_at_0="8 december 2026",
            publish_at_1="10.02",
        ),
    )
    assert response.status_code == 302
    follow = editor_client.get(response["Location"]).content.decode()
    assert "Texten publiceras 8 december 2026 kl. 10.02." in follow

    # Before its time: the old text, from the page cache on the second request.
    assert NEW_TEXT not in public_text(visitor)
    clock.move_to(datetime(2026, 12, 8, 9, 1, 59, tzinfo=UTC))
    assert NEW_TEXT not in public_text(visitor)
    assert about().updated_on == seeded_date

    # Two seconds later (well inside the cache's ten minutes) the text is there.
    clock.move_to(datetime(2026, 12, 8, 9, 2, 1, tzinfo=UTC))  # 10.02.01 in Stockholm
    assert NEW_TEXT in public_text(visitor)
    page.refresh_from_db()
    assert NEW_TEXT in page.body
    assert page.updated_on == date(2026, 12, 8)
    assert not PageDraft.objects.filter(page=page).exists()
    record = page.history.latest()
    assert record.history_user == editor
    assert record.history_date == datetime(2026, 12, 8, 9, 2, tzinfo=UTC)
    assert record.history_change_reason == "Publicerad enligt schema 8 december 2026 kl. 10.02"


def test_a_publication_applied_after_midnight_keeps_its_own_date(editor):
    page = about()
    with time_machine.travel(MORNING, tick=False):
        page_draft_save(
            page=page,
            title=page.title,
            description=page.description,
            body=page.body + " " + NEW_TEXT,
            published_on=page.published_on,
            publish_at=datetime(2026, 12, 8, 22, 59, tzinfo=UTC),  # 23.59 in Stockholm
            user=editor,
        )
    with time_machine.travel(datetime(2026, 12, 9, 6, 0, tzinfo=UTC), tick=False):
        assert NEW_TEXT in public_text(Client())
    assert about().updated_on == date(2026, 12, 8)


def test_other_apps_pages_publish_their_scheduled_text_too(clock, editor):
    page = Page.objects.get(slug=Page.HELPLINE)
    page_draft_save(
        page=page,
        title="Ny rubrik för stödtelefonen",
        description=page.description,
        body=page.body,
        published_on=page.published_on,
        publish_at=MORNING + timedelta(minutes=5),
        user=editor,
    )
    visitor = Client()
    assert "Ny rubrik för stödtelefonen" not in public_text(visitor, page)
    clock.shift(timedelta(minutes=6))
    assert "Ny rubrik för stödtelefonen" in public_text(visitor, page)


def test_discarding_a_draft_leaves_the_published_page_untouched(clock, editor_client, visitor):
    page = about()
    before = (page.title, page.body, page.updated_on, page.history.count())
    editor_client.post(
        change_url(page), form_data(page, title="Utkastrubrik", body=page.body + NEW_TEXT)
    )
    response = editor_client.post(change_url(page), form_data(page, button="_discard"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.body, page.updated_on, page.history.count()) == before
    assert not PageDraft.objects.filter(page=page).exists()
    assert "Utkastrubrik" not in public_text(visitor)
    form = editor_client.get(response["Location"]).content.decode()
    assert "Utkastet slängdes." in form
    assert "Utkastrubrik" not in form


def test_reverting_from_the_history_keeps_a_colleagues_draft(clock, editor, editor_client):
    page = about()
    page_draft_save(
        page=page,
        title="Kollegans utkast",
        description=page.description,
        body=page.body,
        published_on=page.published_on,
        publish_at=None,
        user=editor,
    )
    first = page.history.earliest()
    revert = reverse("admin:pages_page_simple_history", args=[page.pk, first.history_id])
    data = form_data(page, button="_save")
    assert editor_client.post(revert, data).status_code == 302
    assert PageDraft.objects.get(page=page).title == "Kollegans utkast"


@pytest.mark.parametrize(
    ("date_text", "time_text", "message"),
    [
        ("7 december 2026", "09.00", "Den tiden har redan varit."),
        ("31 februari 2027", "12.00", "Skriv datumet som 7 december 2026 eller 2026-12-07."),
        ("<script>alert(1)</script>", "12.00", "Skriv datumet som"),
        ("9 december 2026", "25.61", "Skriv tiden som 12.00."),
        ("9 december 2026", "x" * 5000, "Skriv tiden som 12.00."),
        ("", "12.00", "Skriv datumet som"),
    ],
)
def test_bad_publication_times_are_refused_in_swedish_and_lose_nothing(
    clock, editor_client, date_text, time_text, message
):
    page = about()
    body = page.body + "\n\n" + NEW_TEXT
    response = editor_client.post(
        change_url(page),
        form_data(page, body=body, publish_at_0=date_text, publish_at_1=time_text),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "<script>alert(1)</script>" not in text
    assert NEW_TEXT in text  # what the editor wrote is still in the form
    assert not PageDraft.objects.filter(page=page).exists()


def test_due_drafts_are_published_once(clock, editor):
    page = about()
    page_draft_save(
        page=page,
        title="En gång",
        description=page.description,
        body=page.body,
        published_on=page.published_on,
        publish_at=MORNING,
        user=editor,
    )
    assert page_publish_due(now=MORNING) == 1
    assert page_publish_due(now=MORNING) == 0
    assert about().history.filter(title="En gång").count() == 1


def test_the_start_page_lists_scheduled_drafts(clock, editor, editor_client):
    page = about()
    page_draft_save(
        page=page,
        title=page.title,
        description=page.description,
        body=page.body + NEW_TEXT,
        published_on=page.published_on,
        publish_at=datetime(2026, 12, 9, 8, 0, tzinfo=UTC),
        user=editor,
    )
    body = editor_client.get(reverse("admin:index")).content.decode()
    assert "Utkast publiceras 9 december kl. 09.00" in body


def test_a_preview_without_a_draft_says_so(clock, editor_client):
    body = editor_client.get(preview_url(about())).content.decode()
    assert "sidan har inget utkast; så här ser besökarna den nu." in body
    assert "när utkastet publiceras" not in body
