import json

import pytest
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, County

from .builders import contact_form_data, login_editor, region

pytestmark = pytest.mark.django_db


def test_admin_requires_a_verified_second_factor(client, django_user_model):
    user = django_user_model.objects.create_superuser("utan-otp", "u@example.se", "x" * 20)
    client.force_login(user)
    response = client.get(reverse("admin:contacts_contact_changelist"))
    assert response.status_code == 302


def test_editor_adds_a_coordinator_and_the_lookup_shows_it_at_once(client, django_user_model):
    # The public side is a separate, anonymous visitor: the page cache serves them.
    visitor = Client()
    login_editor(client, django_user_model)
    visitor.get("/kontakt/regionkoordinatorer/?kommun=bor%C3%A5s")  # now in the page cache
    before = json.loads(visitor.get("/kontakt/regionkoordinatorer.json?kommun=Borås").content)
    assert before["coordinators"] == []

    response = client.post(reverse("admin:contacts_contact_add"), contact_form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = Contact.objects.get(name="Vera Västergård")
    assert contact.slug == "vera-vastergard"
    assert [p.number for p in contact.phones.all()] == ["+46313650000", "+46701234567"]
    assert [p.kind for p in contact.phones.all()] == ["work", "cell"]
    assert contact.history.count() == 1

    after = json.loads(visitor.get("/kontakt/regionkoordinatorer.json?kommun=Borås").content)
    assert after["coordinators"] == [
        {
            "name": "Vera Västergård",
            "title": "Regionkoordinator mot människohandel",
            "phones": ["+46313650000", "+46701234567"],
            "email": "vera.vastergard@example.se",
        }
    ]
    html = visitor.get("/kontakt/regionkoordinatorer/?kommun=bor%C3%A5s").content.decode()
    assert "Vera Västergård" in html
    assert "031-365 00 00" in html


def test_admin_refuses_an_invalid_phone_number_in_swedish(client, django_user_model):
    login_editor(client, django_user_model)
    response = client.post(
        reverse("admin:contacts_contact_add"), contact_form_data(**{"phones-0-number": "12345"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "”12345” är inte ett giltigt telefonnummer" in html
    assert not Contact.objects.filter(name="Vera Västergård").exists()


def test_admin_derives_nspm_email_when_left_empty(client, django_user_model):
    login_editor(client, django_user_model)
    data = contact_form_data(name="Anna Karin Ågren", email="", is_nspm="on", regions=[])
    response = client.post(reverse("admin:contacts_contact_add"), data)
    assert response.status_code == 302
    assert Contact.objects.get(name="Anna Karin Ågren").email == (
        "anna-karin.agren@jamstalldhetsmyndigheten.se"
    )


def test_editor_moves_a_county_to_another_region(client, django_user_model):
    login_editor(client, django_user_model)
    vast, syd = region("vast"), region("syd")
    halland = County.objects.get(code="13")
    assert halland.region == vast
    counties = [str(c.pk) for c in syd.counties.all()] + [str(halland.pk)]
    response = client.post(
        reverse("admin:contacts_region_change", args=[syd.pk]),
        {"name": "Syd", "slug": "syd", "order": syd.order, "counties": counties},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    halland.refresh_from_db()
    assert halland.region == syd
    data = json.loads(Client().get("/kontakt/regionkoordinatorer.json?kommun=Halmstad").content)
    assert data["region"] == "Syd"


def test_admin_lists_open_for_every_model(client, django_user_model):
    login_editor(client, django_user_model)
    for model in ["contact", "region", "county", "municipality"]:
        response = client.get(reverse(f"admin:contacts_{model}_changelist") + "?q=mal")
        assert response.status_code == 200, model
    contact = Contact.objects.get(slug="mats-paulsson")
    response = client.get(reverse("admin:contacts_contact_change", args=[contact.pk]))
    assert response.status_code == 200
    assert 'value="031-392 90 31"' in response.content.decode()
    response = client.get(reverse("admin:contacts_contact_history", args=[contact.pk]))
    assert response.status_code == 200
