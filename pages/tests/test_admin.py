"""Editing pages and documents in /redaktion/: dates, what may be deleted, history."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from pages.models import Document, Page

pytestmark = pytest.mark.django_db

# 22.30 UTC on 10 June is 00.30 on 11 June in Stockholm: "today" is the Swedish date.
LATE_EVENING_UTC = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)


def form_data(page: Page, **changes) -> dict:
    data = {
        "title": page.title,
        "description": page.description,
        "body": page.body,
        "published_on": page.published_on.isoformat(),
        "title_en": page.title_en,
        "description_en": page.description_en,
        "body_en": page.body_en,
    }
    data.update(changes)
    return data


def change_url(page: Page) -> str:
    return reverse("admin:pages_page_change", args=[page.pk])


@time_machine.travel(LATE_EVENING_UTC, tick=False)
@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_changing_the_text_moves_updated_on_to_today_in_stockholm(admin_client, field):
    page = Page.objects.by_slug(Page.ABOUT)
    seeded = page.updated_on
    assert seeded != date(2026, 6, 11)
    value = getattr(page, field) + " Ny mening."
    response = admin_client.post(change_url(page), form_data(page, **{field: value}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.updated_on == date(2026, 6, 11)


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_saving_without_changes_keeps_the_seeded_date(admin_client):
    page = Page.objects.by_slug(Page.PRIVACY)
    seeded = page.updated_on
    response = admin_client.post(change_url(page), form_data(page))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.updated_on == seeded


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_changing_only_the_publication_date_keeps_updated_on(admin_client):
    page = Page.objects.by_slug(Page.PRIVACY)
    seeded = page.updated_on
    admin_client.post(change_url(page), form_data(page, published_on="2020-01-02"))
    page.refresh_from_db()
    assert page.published_on == date(2020, 1, 2)
    assert page.updated_on == seeded


def test_updated_on_and_slug_cannot_be_typed_in(admin_client):
    page = Page.objects.by_slug(Page.ABOUT)
    admin_client.post(change_url(page), form_data(page, updated_on="1999-01-01", slug="hackad"))
    page.refresh_from_db()
    assert page.slug == Page.ABOUT
    assert page.updated_on != date(1999, 1, 1)


def test_pages_the_site_needs_cannot_be_deleted_or_added(admin_client):
    page = Page.objects.by_slug(Page.START)
    assert admin_client.get(reverse("admin:pages_page_delete", args=[page.pk])).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:pages_page_delete", args=[page.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Page.objects.filter(pk=page.pk).exists()
    assert admin_client.get(reverse("admin:pages_page_add")).status_code == 403


def test_page_list_is_oldest_update_first_and_links_to_the_site(admin_client):
    response = admin_client.get(reverse("admin:pages_page_changelist"))
    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert [p.updated_on for p in listed] == sorted(p.updated_on for p in listed)
    change = admin_client.get(change_url(Page.objects.by_slug(Page.ABOUT)))
    assert "Visa på webbplats" in change.content.decode()


def test_history_shows_who_when_and_the_previous_text_and_can_revert(admin_client):
    page = Page.objects.by_slug(Page.ABOUT)
    old_title = page.title
    admin_client.post(change_url(page), form_data(page, title="Om oss – ny rubrik"))
    history = admin_client.get(reverse("admin:pages_page_history", args=[page.pk]))
    body = history.content.decode()
    assert history.status_code == 200
    assert "chef" in body  # who
    assert "Rubrik" in body and old_title in body and "Om oss – ny rubrik" in body
    assert "Vem" in body and "Ändrade fält" in body  # in Swedish
    assert 'style="' not in body

    first = page.history.order_by("history_date").first()
    revert_url = reverse("admin:pages_page_simple_history", args=[page.pk, first.history_id])
    form = admin_client.get(revert_url)
    assert form.status_code == 200
    assert "Återställ" in form.content.decode()
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        admin_client.post(revert_url, form_data(page, title=old_title))
    page.refresh_from_db()
    assert page.title == old_title
    assert page.updated_on == date(2026, 6, 11)  # a revert changes the text, so the date moves
    assert page.history.count() == 3
    assert page.history.latest().history_user.username == "chef"


def test_document_admin_list_and_view_on_site(admin_client):
    doc = Document.objects.get(slug="sa-gor-vi")
    listing = admin_client.get(reverse("admin:pages_document_changelist"))
    assert listing.status_code == 200
    assert "928 kB" in listing.content.decode()
    change = admin_client.get(reverse("admin:pages_document_change", args=[doc.pk]))
    # The seeded brochure has no file yet, so there is nothing to show on the site.
    assert "Visa på webbplats" not in change.content.decode()


def test_reverting_to_a_version_with_the_same_text_keeps_the_date(admin_client):
    page = Page.objects.by_slug(Page.ABOUT)
    first = page.history.order_by("history_date").first()
    Page.objects.filter(pk=page.pk).update(updated_on=date(2025, 2, 3))
    revert_url = reverse("admin:pages_page_simple_history", args=[page.pk, first.history_id])
    admin_client.post(revert_url, form_data(page))
    page.refresh_from_db()
    assert page.updated_on == date(2025, 2, 3)
