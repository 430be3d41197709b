"""English for the contacts the English pages show: the police regions' names (as the
Swedish Police Authority writes them in English), NSPM's titles and the agency's name.
What an editor has written is kept."""

from django.db import migrations

REGIONS = {
    "nord": "North",
    "mitt": "Central",
    "stockholm": "Stockholm",
    "ost": "East",
    "vast": "West",
    "syd": "South",
    "bergslagen": "Bergslagen",
}
TITLES = {
    "Funktionsadress för Nationella samordningen mot prostitution och människohandel": (
        "Shared mailbox of the National Coordination against Prostitution and Human Trafficking"
    ),
    "Senior utredare, prostitution och människohandel": (
        "Senior Analyst, Prostitution and Human Trafficking"
    ),
    "Kvalificerad utredare, prostitution och människohandel": (
        "Specialist Analyst, Prostitution and Human Trafficking"
    ),
}
AGENCY = "Jämställdhetsmyndigheten"
UNIT = "Nationella samordningen mot prostitution och människohandel"


def seed(apps, schema_editor):
    Region = apps.get_model("contacts", "Region")
    Contact = apps.get_model("contacts", "Contact")
    for slug, name in REGIONS.items():
        Region.objects.filter(slug=slug, name_en="").update(name_en=name)
    for swedish, english in TITLES.items():
        Contact.objects.filter(title=swedish, title_en="").update(title_en=english)
    Contact.objects.filter(organisation=AGENCY, organisation_en="").update(
        organisation_en="Swedish Gender Equality Agency"
    )
    Contact.objects.filter(unit=UNIT, unit_en="").update(
        unit_en="National Coordination against Prostitution and Human Trafficking"
    )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0008_english_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
