import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_create
from contacts.tests.builders import bulk_contacts, login_editor
from nmt.models import Member, NmtContact

pytestmark = pytest.mark.django_db

SEEDED = [
    "Polismyndigheten",
    "Åklagarmyndigheten",
    "Migrationsverket",
    "Skatteverket",
    "Arbetsmiljöverket",
    "Tullverket",
    "Länsstyrelserna",
    "Verksamheter inom socialtjänsten",
    "Verksamheter inom hälso- och sjukvården",
]


def _page():
    from django.test import Client

    return Client().get(reverse("nmt:index")).content.decode()


def test_seeded_members_in_the_order_of_seed_002():
    assert list(Member.objects.published().values_list("name", flat=True)) == SEEDED
    assert all(m.description for m in Member.objects.all())


def test_page_lists_members_in_order_with_stable_anchors(client):
    html = client.get(reverse("nmt:index")).content.decode()
    positions = [html.index(f"<h3>{name}</h3>") for name in SEEDED]
    assert positions == sorted(positions)
    assert 'id="medlem-polismyndigheten"' in html
    assert 'href="https://polisen.se/"' in html
    assert html.count("<h1") == 1


def test_anchor_does_not_change_when_the_name_is_edited(client):
    member = Member.objects.get(slug="tullverket")
    member.name = "Tullverket (Sverige)"
    member.save()
    html = client.get(reverse("nmt:index")).content.decode()
    assert 'id="medlem-tullverket"' in html
    assert "Tullverket (Sverige)" in html
    assert member.get_absolute_url() == "/nmt/#medlem-tullverket"


def test_new_member_gets_a_unique_anchor():
    a = Member.objects.create(name="Kustbevakningen", description="Övervakar havet.")
    b = Member.objects.create(name="Kustbevakningen", description="Dubblett.")
    assert (a.slug, b.slug) == ("kustbevakningen", "kustbevakningen-2")


def test_reordering_changes_the_page(client):
    member = Member.objects.get(slug="tullverket")
    member.order = 0
    member.save()
    html = client.get(reverse("nmt:index")).content.decode()
    assert html.index("<h3>Tullverket</h3>") < html.index("<h3>Polismyndigheten</h3>")


def test_unpublished_member_disappears_at_once(client):
    client.get(reverse("nmt:index"))  # cached with the member shown
    member = Member.objects.get(slug="skatteverket")
    member.published = False
    member.save()
    html = client.get(reverse("nmt:index")).content.decode()
    assert "Skatteverket" not in html.split('id="medlemmar"')[1].split('id="na-nmt"')[0]
    assert 'id="medlem-skatteverket"' not in html


def test_page_has_body_dates_convenor_helpline_and_nmtsverige_note(client):
    html = client.get(reverse("nmt:index")).content.decode()
    assert "operativ och strategisk resurs" in html
    assert "nmtsverige.se" in html and "flytta över" in html
    assert '<a href="https://nmtsverige.se/">nmtsverige.se</a>' in html
    assert "Jämställdhetsmyndigheten" in html and "(NSPM)" in html
    assert 'href="tel:+4620390000"' in html
    assert reverse("helpline:detail") in html
    assert reverse("contacts:coordinators") in html
    assert '<time datetime="2021-11-12">' in html
    assert '<time datetime="2023-01-09">' in html


def test_nspm_contact_people_are_the_directory_records(client):
    assert [c.contact.slug for c in NmtContact.objects.for_page()] == [
        "mats-paulsson",
        "catrin-sandman",
        "yvonne-karlsson",
    ]
    html = client.get(reverse("nmt:index")).content.decode()
    section = html.split('id="kontaktpersoner"')[1]
    for name in ["Mats Paulsson", "Catrin Sandman", "Yvonne Karlsson"]:
        assert name in section
    assert 'href="tel:+46730568779">073-056 87 79</a>' in section
    assert 'href="/kontakt/mats-paulsson.vcf"' in section
    # One record: an edit in the directory shows on NMT, no copy to keep in step.
    catrin = Contact.objects.get(slug="catrin-sandman")
    catrin.title = "Enhetschef"
    catrin.save()
    assert "Enhetschef" in client.get(reverse("nmt:index")).content.decode()
    yvonne = Contact.objects.get(slug="yvonne-karlsson")
    yvonne.published = False
    yvonne.save()
    assert "Yvonne Karlsson" not in client.get(reverse("nmt:index")).content.decode()


def test_member_contact_people_come_from_the_directory(client):
    person = contact_create(
        name="Paula Polis",
        title="Kommissarie",
        is_nspm=False,
        organisation="Polismyndigheten",
        email="paula@example.se",
        phones=["010-563 00 00"],
    )
    Member.objects.get(slug="polismyndigheten").contacts.add(person)
    html = client.get(reverse("nmt:index")).content.decode()
    member = html.split('id="medlem-polismyndigheten"')[1].split("</li>")[0]
    assert "Paula Polis" in member and 'href="tel:+46105630000"' in member


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_members_and_contacts(client, django_assert_num_queries):
    url = reverse("nmt:index")
    few = bulk_contacts(5)
    Member.objects.get(slug="tullverket").contacts.add(*few)
    client.get(url + "?warm=1")
    small = _count(client, url + "?n=1")
    people = bulk_contacts(495) + few
    members = Member.objects.bulk_create(
        Member(name=f"Myndighet {i}", slug=f"myndighet-{i}", description="Text.", order=100 + i)
        for i in range(200)
    )
    through = Member.contacts.through
    through.objects.bulk_create(
        through(member_id=m.pk, contact_id=people[(i * 3 + k) % 500].pk)
        for i, m in enumerate(members)
        for k in range(3)
    )
    NmtContact.objects.bulk_create(
        NmtContact(contact=p, order=10 + i) for i, p in enumerate(people[:100])
    )
    with django_assert_num_queries(small):
        response = client.get(url + "?n=2")
    html = response.content.decode()
    assert html.count('id="medlem-') == 209
    assert html.count("Person Nummer") >= 100


def test_page_rejects_post(client):
    assert client.post(reverse("nmt:index")).status_code == 405


def test_editor_reorders_and_unpublishes_in_the_admin_list(client, django_user_model):
    login_editor(client, django_user_model)
    members = list(Member.objects.all())
    data = {
        "form-TOTAL_FORMS": str(len(members)),
        "form-INITIAL_FORMS": str(len(members)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Spara",
    }
    for i, m in enumerate(members):
        data[f"form-{i}-id"] = str(m.pk)
        data[f"form-{i}-order"] = str(100 - m.order)  # reverse the order
        if m.slug != "migrationsverket":
            data[f"form-{i}-published"] = "on"
    response = client.post(reverse("admin:nmt_member_changelist"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("nmt:index")).content.decode()
    shown = sorted(
        (n for n in SEEDED if f"<h3>{n}</h3>" in html), key=lambda n: html.index(f"<h3>{n}</h3>")
    )
    assert shown == [n for n in reversed(SEEDED) if n != "Migrationsverket"]
    assert Member.objects.get(slug="migrationsverket").history.count() >= 2


def test_admin_pages_open(client, django_user_model):
    login_editor(client, django_user_model)
    member = Member.objects.get(slug="polismyndigheten")
    for url in [
        reverse("admin:nmt_member_changelist") + "?q=polis",
        reverse("admin:nmt_member_change", args=[member.pk]),
        reverse("admin:nmt_member_history", args=[member.pk]),
        reverse("admin:nmt_nmtcontact_changelist"),
        reverse("admin:nmt_member_add"),
    ]:
        assert client.get(url).status_code == 200, url
