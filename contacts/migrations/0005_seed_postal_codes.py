"""Swedish postal codes with their postal town and municipality, from contacts/data/.

Source: the sjbrg/swedish-geodata data set (CC0 1.0), a September 2024 extract: 15,463 codes,
about 82 % of all (box and company codes are missing). See the README. Codes already in the
table are left alone, so running it again adds only what is missing.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "postnummer.csv"


def seed(apps, schema_editor):
    Municipality = apps.get_model("contacts", "Municipality")
    PostalCode = apps.get_model("contacts", "PostalCode")
    municipality_ids = dict(Municipality.objects.values_list("code", "pk"))
    existing = set(PostalCode.objects.values_list("code", flat=True))
    with open(DATA, encoding="utf-8", newline="") as f:
        rows = [
            PostalCode(
                code=row["postal_code"],
                locality=row["locality"],
                municipality_id=municipality_ids[row["municipality_code"]],
            )
            for row in csv.DictReader(f)
            if row["postal_code"] not in existing and row["municipality_code"] in municipality_ids
        ]
    PostalCode.objects.bulk_create(rows, batch_size=2000)


def unseed(apps, schema_editor):
    apps.get_model("contacts", "PostalCode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0004_postal_codes")]
    operations = [migrations.RunPython(seed, unseed)]
