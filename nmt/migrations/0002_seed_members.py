"""NMT's members as named in seed 002, in that order, and NSPM's three contact people.

Descriptions are short, neutral and factual; editors review them. Rows that already exist
(same slug) are left as editors left them.
"""

from django.db import migrations

MEMBERS = [
    (
        "polismyndigheten",
        "Polismyndigheten",
        "Förebygger och utreder brott som människohandel, människoexploatering, koppleri och "
        "köp av sexuell tjänst.",
        "https://polisen.se/",
    ),
    (
        "aklagarmyndigheten",
        "Åklagarmyndigheten",
        "Leder förundersökningar och väcker åtal i mål om bland annat människohandel, "
        "människoexploatering och koppleri.",
        "https://www.aklagare.se/",
    ),
    (
        "migrationsverket",
        "Migrationsverket",
        "Prövar frågor om uppehållstillstånd, bland annat för personer som kan ha utsatts för "
        "människohandel, och uppmärksammar tecken på människohandel i sina ärenden.",
        "https://www.migrationsverket.se/",
    ),
    (
        "skatteverket",
        "Skatteverket",
        "Ansvarar för folkbokföring och beskattning och kan i sina kontroller upptäcka tecken "
        "på exploatering, till exempel av arbetskraft.",
        "https://www.skatteverket.se/",
    ),
    (
        "arbetsmiljoverket",
        "Arbetsmiljöverket",
        "Har tillsyn över arbetsmiljö och arbetstider på arbetsplatser och kan där upptäcka "
        "tecken på arbetskraftsexploatering.",
        "https://www.av.se/",
    ),
    (
        "tullverket",
        "Tullverket",
        "Kontrollerar flödet av varor över Sveriges gränser och kan i sin gränskontroll "
        "upptäcka tecken på människohandel.",
        "https://www.tullverket.se/",
    ),
    (
        "lansstyrelserna",
        "Länsstyrelserna",
        "Samordnar och stödjer det regionala arbetet mot mäns våld mot kvinnor, där arbetet mot "
        "prostitution och människohandel ingår.",
        "https://www.lansstyrelsen.se/",
    ),
    (
        "socialtjansten",
        "Verksamheter inom socialtjänsten",
        "Ger stöd och skydd till personer som utsatts för prostitution, exploatering eller "
        "människohandel, och till barn som far illa.",
        "",
    ),
    (
        "halso-och-sjukvarden",
        "Verksamheter inom hälso- och sjukvården",
        "Möter personer som kan vara utsatta, ger vård och kan uppmärksamma tecken på "
        "exploatering och människohandel.",
        "",
    ),
]

NMT_CONTACT_SLUGS = ["mats-paulsson", "catrin-sandman", "yvonne-karlsson"]


def seed(apps, schema_editor):
    Member = apps.get_model("nmt", "Member")
    NmtContact = apps.get_model("nmt", "NmtContact")
    Contact = apps.get_model("contacts", "Contact")
    for order, (slug, name, description, website) in enumerate(MEMBERS, start=1):
        Member.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "website": website,
                "order": order,
                "published": True,
            },
        )
    for order, slug in enumerate(NMT_CONTACT_SLUGS, start=1):
        contact = Contact.objects.filter(slug=slug).first()
        if contact is not None:
            NmtContact.objects.get_or_create(contact=contact, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("nmt", "0001_initial"), ("contacts", "0003_seed_contacts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
