"""Record the content as the English seed left it in each object's history.

The English fields were added and filled by data migrations (and the privacy notice's text
changed by one), which save past django-simple-history (as 0001_history_baseline explains). Without a record of that, the
first editor to save a page afterwards would appear in the history to have written its
whole English text. Adds one record for every object whose current values differ from its
latest history record, so running it again, or on content an editor changed, adds nothing.
"""

from django.db import migrations
from django.utils import timezone

REASON = "Innehållet när den engelska webbplatsen byggdes"


def record_english_seed(apps, schema_editor):
    now = timezone.now()
    for historical in apps.get_models():
        name = historical.__name__
        if not name.startswith("Historical") or not hasattr(historical, "history_type"):
            continue
        try:
            model = apps.get_model(historical._meta.app_label, name.removeprefix("Historical"))
        except LookupError:
            continue
        kept = {f.attname for f in historical._meta.concrete_fields}
        attnames = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
        pk = model._meta.pk.attname
        latest = {}
        for record in historical.objects.order_by(pk, "-history_date", "-history_id"):
            latest.setdefault(getattr(record, pk), record)
        records = []
        for obj in model.objects.iterator():
            before = latest.get(getattr(obj, pk))
            values = {a: getattr(obj, a) for a in attnames}
            if before is not None and all(getattr(before, a) == v for a, v in values.items()):
                continue
            records.append(
                historical(
                    **values,
                    history_date=now,
                    history_type="~" if before is not None else "+",
                    history_change_reason=REASON,
                )
            )
        historical.objects.bulk_create(records, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("editors", "0004_merge_0003_feedback_permissions_0003_swedish_names"),
        # The latest data migration of every app that changes content (seeded rows as they
        # stand now): the English seeds, and the privacy notice's text about feedback.
        ("contacts", "0009_seed_english"),
        ("feedback", "0002_privacy_notice"),
        ("helpline", "0006_seed_english"),
        ("nmt", "0005_seed_english"),
        ("pages", "0010_seed_english"),
    ]
    operations = [migrations.RunPython(record_english_seed, migrations.RunPython.noop)]
