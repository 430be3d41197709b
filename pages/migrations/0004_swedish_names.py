"""Help texts with a real example address (the admin shows help text as HTML, so "<adress>"
vanished and left "/dokument//")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_help_texts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="slug",
            field=models.SlugField(
                help_text="Del av länken: broschyr ger /dokument/broschyr/.",
                max_length=120,
                unique=True,
                verbose_name="adress",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldocument",
            name="slug",
            field=models.SlugField(
                help_text="Del av länken: broschyr ger /dokument/broschyr/.",
                max_length=120,
                verbose_name="adress",
            ),
        ),
    ]
