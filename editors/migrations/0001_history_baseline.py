"""Give seeded content a first history record, so its first edit shows the previous values.

Data migrations save through historical models, which django-simple-history does not
follow; without this, the history of a seeded page starts with the editor's first change
and the text it replaced is nowhere. Runs for every model that has history, and only for
objects that have none yet, so running it again (or after an editor's change) adds nothing.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Innehållet när webbplatsen byggdes"


def add_baseline(apps, schema_editor):
    now = timezone.now()
    for historical in apps.get_models():
        name = historical.__name__
        if not name.startswith("Historical") or not hasattr(historical, "history_type"):
            continue
        try:
            model = apps.get_model(historical._meta.app_label, name.removeprefix("Historical"))
        except LookupError:
            continue
        # A historical model may leave fields out (excluded_fields).
        kept = {f.attname for f in historical._meta.concrete_fields}
        attnames = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
        pk = model._meta.pk.attname
        has_history = set(historical.objects.values_list(pk, flat=True).distinct())
        records = [
            historical(
                **{a: getattr(obj, a) for a in attnames},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for obj in model.objects.exclude(pk__in=has_history).iterator()
        ]
        historical.objects.bulk_create(records, batch_size=500)


class Migration(migrations.Migration):
    # The latest migration of every app with content (seeded rows must exist by now).
    dependencies = [
        ("contacts", "0003_seed_contacts"),
        ("helpline", "0002_seed_helpline"),
        ("newsletter", "0001_initial"),
        ("nmt", "0002_seed_members"),
        ("pages", "0002_seed_initial_content"),
    ]
    operations = [migrations.RunPython(add_baseline, migrations.RunPython.noop)]
