"""The NMT member agencies' English names and descriptions; what an editor has written is
kept."""

from django.db import migrations

MEMBERS = {
    "polismyndigheten": (
        "Swedish Police Authority",
        "Prevents and investigates crimes such as human trafficking, human exploitation, "
        "procuring and the purchase of sexual services.",
    ),
    "aklagarmyndigheten": (
        "Swedish Prosecution Authority",
        "Leads preliminary investigations and prosecutes cases of, among other things, human "
        "trafficking, human exploitation and procuring.",
    ),
    "migrationsverket": (
        "Swedish Migration Agency",
        "Decides on residence permits, among others for people who may have been trafficked, "
        "and looks out for signs of human trafficking in its cases.",
    ),
    "skatteverket": (
        "Swedish Tax Agency",
        "Is responsible for population registration and taxation and can find signs of "
        "exploitation, for example of workers, in its checks.",
    ),
    "arbetsmiljoverket": (
        "Swedish Work Environment Authority",
        "Inspects working conditions and working hours at workplaces and can find signs of "
        "labour exploitation there.",
    ),
    "tullverket": (
        "Swedish Customs",
        "Checks the flow of goods across Sweden's borders and can find signs of human "
        "trafficking in its border controls.",
    ),
    "lansstyrelserna": (
        "County Administrative Boards",
        "Coordinate and support the regional work against men's violence against women, "
        "which includes the work against prostitution and human trafficking.",
    ),
    "socialtjansten": (
        "Social services",
        "Give support and protection to people exposed to prostitution, exploitation or "
        "human trafficking, and to children at risk.",
    ),
    "halso-och-sjukvarden": (
        "Health care",
        "Meets people who may be exposed, gives care and can notice signs of exploitation and "
        "human trafficking.",
    ),
}


def seed(apps, schema_editor):
    Member = apps.get_model("nmt", "Member")
    for slug, (name, description) in MEMBERS.items():
        Member.objects.filter(slug=slug, description_en="").update(
            name_en=name, description_en=description
        )


class Migration(migrations.Migration):
    dependencies = [("nmt", "0004_english_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
