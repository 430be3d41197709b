"""The seeded alternative "eller kontakta socialjouren i din kommun" stands alone in a list
(the footer, the helpline page): it becomes "Kontakta socialjouren i din kommun". A text an
editor has changed is left alone."""

from django.db import migrations

OLD = "eller kontakta socialjouren i din kommun"
NEW = "Kontakta socialjouren i din kommun"


def forwards(apps, schema_editor):
    apps.get_model("helpline", "Alternative").objects.filter(text=OLD).update(text=NEW)


def backwards(apps, schema_editor):
    apps.get_model("helpline", "Alternative").objects.filter(text=NEW).update(text=OLD)


class Migration(migrations.Migration):
    dependencies = [("helpline", "0002_seed_helpline")]
    operations = [migrations.RunPython(forwards, backwards)]
