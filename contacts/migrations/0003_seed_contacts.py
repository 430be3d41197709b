"""NSPM's contact people (seed 002) and functional mailbox (seed 000).

Phone numbers are stored in E.164; the pages show them in Swedish national format.
A contact that already exists (same slug) is left as editors left it.
"""

from django.db import migrations

from contacts.text import search_key

UNIT = "Nationella samordningen mot prostitution och människohandel"
ORG = "Jämställdhetsmyndigheten"

CONTACTS = [
    # slug, kind, name, title, email, phones [(e164, kind)], order
    (
        "nspm",
        "mailbox",
        "NSPM",
        "Funktionsadress för Nationella samordningen mot prostitution och människohandel",
        "nspm@jamstalldhetsmyndigheten.se",
        [],
        0,
    ),
    (
        "mats-paulsson",
        "person",
        "Mats Paulsson",
        "Senior utredare, prostitution och människohandel",
        "mats.paulsson@jamstalldhetsmyndigheten.se",
        [("+46313929031", "work"), ("+46730568779", "cell")],
        1,
    ),
    (
        "catrin-sandman",
        "person",
        "Catrin Sandman",
        "Kvalificerad utredare, prostitution och människohandel",
        "catrin.sandman@jamstalldhetsmyndigheten.se",
        [("+46720847559", "cell")],
        2,
    ),
    (
        "yvonne-karlsson",
        "person",
        "Yvonne Karlsson",
        "Kvalificerad utredare, prostitution och människohandel",
        "yvonne.karlsson@jamstalldhetsmyndigheten.se",
        [("+46707847486", "cell")],
        3,
    ),
]


def seed(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    Phone = apps.get_model("contacts", "Phone")
    for slug, kind, name, title, email, phones, order in CONTACTS:
        contact, created = Contact.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "name": name,
                "title": title,
                "organisation": ORG,
                "unit": UNIT,
                "is_nspm": True,
                "email": email,
                "order": order,
                "published": True,
                "search_text": search_key(f"{name} {title} {ORG}, {UNIT}"),
            },
        )
        if created:
            for position, (number, phone_kind) in enumerate(phones):
                Phone.objects.create(
                    contact=contact, number=number, kind=phone_kind, order=position
                )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0002_seed_geography")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
