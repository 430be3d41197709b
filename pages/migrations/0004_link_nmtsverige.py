"""Make the NMT page's mention of nmtsverige.se a link. Only the seeded sentence is changed;
a text an editor has rewritten is left alone, and the page's dates stay as they are (the
wording did not change)."""

from django.db import migrations

OLD = "På webbplatsen nmtsverige.se finns"
NEW = "På webbplatsen [nmtsverige.se](https://nmtsverige.se/) finns"


def forwards(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for page in Page.objects.filter(slug="nmt", body__contains=OLD):
        Page.objects.filter(pk=page.pk).update(body=page.body.replace(OLD, NEW))


def backwards(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for page in Page.objects.filter(slug="nmt", body__contains=NEW):
        Page.objects.filter(pk=page.pk).update(body=page.body.replace(NEW, OLD))


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_help_texts")]
    operations = [migrations.RunPython(forwards, backwards)]
