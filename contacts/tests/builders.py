"""Small builders for contact tests: real rows, no mocks."""

import itertools

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from contacts.models import Contact, Phone, Region
from contacts.text import search_key

_counter = itertools.count(1)


def bulk_contacts(n: int, *, regions=(), phones_each: int = 2, is_nspm: bool = False) -> list:
    """Create ``n`` published people quickly, each with phones and the given regions."""
    contacts = []
    for _ in range(n):
        i = next(_counter)
        name = f"Person Nummer{i}"
        title = "Regionkoordinator"
        contacts.append(
            Contact(
                name=name,
                slug=f"person-{i}",
                title=title,
                organisation="Länsstyrelsen",
                unit="",
                is_nspm=is_nspm,
                email=f"person{i}@example.se",
                order=i,
                search_text=search_key(f"{name} {title} Länsstyrelsen"),
            )
        )
    Contact.objects.bulk_create(contacts)
    contacts = list(Contact.objects.filter(slug__in=[c.slug for c in contacts]))
    Phone.objects.bulk_create(
        Phone(contact=c, number=f"+467012{(c.pk * 10 + k) % 100000:05d}", kind="cell", order=k)
        for c in contacts
        for k in range(phones_each)
    )
    through = Contact.regions.through
    through.objects.bulk_create(
        through(contact_id=c.pk, region_id=r.pk) for c in contacts for r in regions
    )
    return contacts


def region(slug: str) -> Region:
    return Region.objects.get(slug=slug)


def login_editor(client, django_user_model):
    """A staff superuser signed in with a verified second factor, as the admin requires."""
    user = django_user_model.objects.create_superuser(
        username="redaktor", email="redaktor@example.se", password="ett-langt-losenord-123"
    )
    device = StaticDevice.objects.create(user=user, name="backup")
    client.force_login(user)
    session = client.session
    # What django_otp.login() stores once a token is verified.
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user


def contact_form_data(**overrides) -> dict:
    """What the admin's add-contact form posts: a coordinator in Region Väst, two phones."""
    data = {
        "kind": "person",
        "name": "Vera Västergård",
        "title": "Regionkoordinator mot människohandel",
        "organisation": "Göteborgs stad",
        "unit": "",
        "email": "vera.vastergard@example.se",
        "regions": [str(region("vast").pk)],
        "slug": "",
        "order": "10",
        "published": "on",
        "phones-TOTAL_FORMS": "2",
        "phones-INITIAL_FORMS": "0",
        "phones-MIN_NUM_FORMS": "0",
        "phones-MAX_NUM_FORMS": "1000",
        "phones-0-number": "031 365 00 00",
        "phones-0-kind": "",
        "phones-0-order": "0",
        "phones-1-number": "0701234567",
        "phones-1-kind": "",
        "phones-1-order": "1",
    }
    data.update(overrides)
    return data
