"""A page's draft: its next text, previewed and published now or at a set time."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_swedish_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PageDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="rubrik")),
                ("description", models.CharField(max_length=300, verbose_name="beskrivning")),
                ("body", models.TextField(verbose_name="brödtext")),
                ("published_on", models.DateField(verbose_name="publiceringsdatum")),
                (
                    "publish_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="När utkastet ersätter sidan för besökarna. Tomt: inte schemalagt.",
                        null=True,
                        verbose_name="publiceras",
                    ),
                ),
                ("saved_at", models.DateTimeField(auto_now=True, verbose_name="sparat")),
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="draft",
                        to="pages.page",
                        verbose_name="sida",
                    ),
                ),
                (
                    "saved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="sparat av",
                    ),
                ),
            ],
            options={
                "verbose_name": "utkast till sida",
                "verbose_name_plural": "utkast till sidor",
            },
        ),
    ]
