import pytest
from django.core.exceptions import ValidationError

from contacts.models import Contact, Phone
from contacts.services import contact_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "display", "e164", "kind"),
    [
        ("031 392 90 31", "031-392 90 31", "+46313929031", "work"),
        ("0313929031", "031-392 90 31", "+46313929031", "work"),
        ("+46 31 392 90 31", "031-392 90 31", "+46313929031", "work"),
        ("0046313929031", "031-392 90 31", "+46313929031", "work"),
        ("073 056 87 79", "073-056 87 79", "+46730568779", "cell"),
        ("08-123 456 78", "08-123 456 78", "+46812345678", "work"),
        ("020-39 00 00", "020-39 00 00", "+4620390000", "work"),
        ("+45 32 12 34 56", "+45 32 12 34 56", "+4532123456", "work"),
    ],
)
def test_phone_numbers_are_stored_e164_and_shown_in_swedish_format(typed, display, e164, kind):
    contact = contact_create(name="Test Person", phones=[typed])
    phone = contact.phones.get()
    assert phone.number == e164
    assert phone.e164 == e164
    assert phone.display == display
    assert phone.kind == kind


@pytest.mark.parametrize("typed", ["123", "abc", "031", "070 12", "+46 00 000", "<script>"])
def test_an_invalid_phone_number_is_refused_with_a_swedish_message(typed):
    with pytest.raises(ValidationError) as error:
        contact_create(name="Test Person", phones=[typed])
    message = error.value.message_dict["number"][0]
    assert "inte ett giltigt telefonnummer" in message
    assert not Contact.objects.filter(name="Test Person").exists()


def test_nspm_person_without_email_gets_the_derived_address():
    contact = contact_create(name="Anna Karin Öhman")
    assert contact.email == "anna-karin.ohman@jamstalldhetsmyndigheten.se"


def test_an_editor_typed_address_is_kept():
    contact = contact_create(name="Anna Karin Öhman", email="ak.ohman@jamstalldhetsmyndigheten.se")
    assert contact.email == "ak.ohman@jamstalldhetsmyndigheten.se"
    contact.name = "Anna Karin Berg"
    contact.save()
    contact.refresh_from_db()
    assert contact.email == "ak.ohman@jamstalldhetsmyndigheten.se"


def test_a_cleared_address_is_derived_again_from_the_current_name():
    contact = contact_create(name="Anna Öhman")
    contact.name, contact.email = "Anna Berg", ""
    contact.save()
    assert contact.email == "anna.berg@jamstalldhetsmyndigheten.se"


def test_people_outside_nspm_get_no_derived_address():
    contact = contact_create(name="Kim Koordinator", is_nspm=False, organisation="Länsstyrelsen")
    assert contact.email == ""


def test_slug_is_unique_and_stays_when_the_name_changes():
    first = contact_create(name="Åsa Öberg")
    second = contact_create(name="Åsa Öberg")
    assert first.slug == "asa-oberg"
    assert second.slug == "asa-oberg-2"
    first.name = "Åsa Lind"
    first.save()
    first.refresh_from_db()
    assert first.slug == "asa-oberg"


def test_a_functional_mailbox_needs_an_email():
    with pytest.raises(ValidationError) as error:
        contact_create(name="Växeln", kind=Contact.Kind.MAILBOX)
    assert "email" in error.value.message_dict


def test_seed_has_the_three_nspm_people_and_the_mailbox():
    people = {c.name: c for c in Contact.objects.people().with_phones()}
    assert set(people) == {"Mats Paulsson", "Catrin Sandman", "Yvonne Karlsson"}
    mats = people["Mats Paulsson"]
    assert [p.display for p in mats.phones.all()] == ["031-392 90 31", "073-056 87 79"]
    assert mats.title == "Senior utredare, prostitution och människohandel"
    assert mats.email == "mats.paulsson@jamstalldhetsmyndigheten.se"
    assert [p.display for p in people["Catrin Sandman"].phones.all()] == ["072-084 75 59"]
    assert [p.display for p in people["Yvonne Karlsson"].phones.all()] == ["070-784 74 86"]
    assert (
        people["Yvonne Karlsson"].title == "Kvalificerad utredare, prostitution och människohandel"
    )
    # Seeded addresses follow the same rule the editors get.
    for contact in people.values():
        assert contact.email == contact.derived_email
    mailbox = Contact.objects.mailboxes().get()
    assert mailbox.email == "nspm@jamstalldhetsmyndigheten.se"


def test_seeded_numbers_are_valid_e164():
    for phone in Phone.objects.all():
        phone.full_clean()
        assert phone.number == phone.e164
