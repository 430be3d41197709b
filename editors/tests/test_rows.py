"""Rows edited inside another form (a weekday's hours, a phone number): their history on the
parent's history page, and restoring one version, with confirmation and permission checks."""

from datetime import time

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from editors.testing import login_verified, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def wednesday(editor):
    """Wednesday's hours changed from 09.00–16.00 to 09.00–12.00 by the editor."""
    from helpline.models import Helpline

    row = Helpline.objects.current().weekly_hours.get(weekday=2)
    assert row.closes == time(16)
    row.closes = time(12)
    row._history_user = editor
    row.save()
    return row


def history_url(row):
    return reverse("admin:helpline_helpline_history", args=[row.helpline_id])


def test_helpline_history_lists_weekday_versions_with_restore_buttons(editor_client, wednesday):
    body = editor_client.get(history_url(wednesday)).content.decode()
    assert "Öppettider per veckodag" in body
    assert "<del>16.00</del> → <ins>12.00</ins>" in body
    first = wednesday.history.earliest()
    restore = reverse("admin:restore_row", args=["helpline.weeklyhours", first.history_id])
    assert restore in body
    # The version that is the row as it is now cannot be "restored".
    latest = wednesday.history.latest()
    now = reverse("admin:restore_row", args=["helpline.weeklyhours", latest.history_id])
    assert now not in body


def test_restoring_asks_first_then_puts_the_row_back(editor_client, editor, wednesday):
    first = wednesday.history.earliest()
    url = reverse("admin:restore_row", args=["helpline.weeklyhours", first.history_id])

    confirm = editor_client.get(url)
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "<del>12.00</del> → <ins>16.00</ins>" in text
    assert "Ja, återställ raden" in text
    wednesday.refresh_from_db()
    assert wednesday.closes == time(12)  # nothing changes before the POST

    response = editor_client.post(url)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == history_url(wednesday)
    wednesday.refresh_from_db()
    assert wednesday.closes == time(16)
    latest = wednesday.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Återställd till versionen från ")

    # The public site follows at once.
    page = editor_client.get(reverse("helpline:detail")).content.decode()
    assert "09.00–16.00" in page


def test_restoring_needs_permission_to_change_the_rows(client, wednesday):
    viewer, _ = make_staff("lasare")
    viewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_helpline", "change_helpline", "view_weeklyhours"]
        )
    )
    login_verified(client, viewer)
    first = wednesday.history.earliest()
    url = reverse("admin:restore_row", args=["helpline.weeklyhours", first.history_id])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    wednesday.refresh_from_db()
    assert wednesday.closes == time(12)
    body = client.get(history_url(wednesday)).content.decode()
    assert url not in body


def test_restoring_needs_a_verified_login(client, wednesday):
    user, _ = make_staff("chef", superuser=True)
    client.force_login(user)  # password only, no code
    first = wednesday.history.earliest()
    url = reverse("admin:restore_row", args=["helpline.weeklyhours", first.history_id])
    assert client.post(url).status_code == 302
    wednesday.refresh_from_db()
    assert wednesday.closes == time(12)


@pytest.mark.parametrize(
    "key",
    ["helpline.nope", "pages.page", "newsletter.subscriber", "<script>", "a" * 500, "auth.user"],
)
def test_restore_refuses_anything_but_an_inline_row(editor_client, wednesday, key):
    first = wednesday.history.earliest()
    response = editor_client.get(reverse("admin:restore_row", args=[key, first.history_id]))
    assert response.status_code == 404


def test_restore_of_an_unknown_version_is_404(editor_client):
    url = reverse("admin:restore_row", args=["helpline.weeklyhours", 987654321])
    assert editor_client.post(url).status_code == 404


def test_restore_answers_other_methods_with_405(editor_client, wednesday):
    first = wednesday.history.earliest()
    url = reverse("admin:restore_row", args=["helpline.weeklyhours", first.history_id])
    assert editor_client.put(url).status_code == 405


def test_a_deleted_phone_number_can_be_put_back_from_the_contacts_history(editor_client, editor):
    from contacts.models import Contact, Phone

    contact = Contact.objects.filter(phones__isnull=False).first()
    phone = contact.phones.first()
    number, phone_id = phone.number, phone.pk
    phone._history_user = editor
    phone.delete()

    body = editor_client.get(
        reverse("admin:contacts_contact_history", args=[contact.pk])
    ).content.decode()
    assert "Telefonnummer" in body
    version = Phone.history.filter(id=phone_id).exclude(history_type="-").latest()
    url = reverse("admin:restore_row", args=["contacts.phone", version.history_id])
    assert url in body
    assert "Raden är borttagen" in editor_client.get(url).content.decode()
    assert editor_client.post(url).status_code == 302
    assert contact.phones.filter(number=number).exists()
