"""Third-party parts of the admin under Swedish names: apps, devices, login records,
permissions, and Django's own Swedish where it is wrong."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from editors.admin import permission_label
from editors.testing import login_verified, make_staff

pytestmark = pytest.mark.django_db


def label(app_label: str, codename: str) -> str:
    return permission_label(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def test_permissions_are_listed_by_swedish_labels():
    assert label("pages", "change_page") == "Sidor och dokument | Sidor | Kan ändra sidor"
    assert label("pages", "view_historicalpage") == (
        "Sidor och dokument | Historik för sidor | Kan se historik för sidor"
    )
    assert label("otp_totp", "delete_totpdevice") == (
        "Tvåstegsinloggning: appar | Appar för engångskoder | Kan ta bort appar för engångskoder"
    )
    assert label("newsletter", "export_subscriber") == (
        "Nyhetsbrev | Prenumeranter | Kan exportera prenumeranter (CSV)"
    )


def test_a_superuser_reads_swedish_names_for_devices_and_login_records(client):
    user, _ = make_staff("chef", superuser=True)
    login_verified(client, user)
    index = client.get(reverse("admin:index")).content.decode()
    for swedish in (
        "Appar för engångskoder",
        "Uppsättningar reservkoder",
        "Misslyckade inloggningar",
        "Senaste händelser",
    ):
        assert swedish in index
    for english in ("TOTP devices", "Static devices", "AXES", "Otp_Totp", "Senaste Händelser"):
        assert english not in index
    backup = client.get(reverse("admin:editors_backupcodes_changelist")).content.decode()
    assert "10 oanvända koder" in backup


def test_the_admins_list_box_strings_are_corrected(client):
    user, _ = make_staff("redaktor")
    login_verified(client, user)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    assert '"Chosen %s": "Valda %s"' in script
    assert '"6 p.m.": "18.00"' in script
