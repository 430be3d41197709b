"""The helpline's name and the alternatives (police 114 14, the social services' on-call
team, 112) in English, for the English pages; what an editor has written is kept."""

from django.db import migrations

ALTERNATIVES = {
    "Brådskande: ring polisen på": "Urgent: call the police on",
    "Kontakta socialjouren i din kommun": (
        "Contact the social services' on-call team (socialjouren) in your municipality"
    ),
    "Vid akut fara: ring": "In immediate danger: call",
}


def seed(apps, schema_editor):
    Helpline = apps.get_model("helpline", "Helpline")
    Alternative = apps.get_model("helpline", "Alternative")
    Helpline.objects.filter(name_en="").update(name_en="Helpline for professionals")
    for swedish, english in ALTERNATIVES.items():
        Alternative.objects.filter(text=swedish, text_en="").update(text_en=english)


class Migration(migrations.Migration):
    dependencies = [("helpline", "0005_english_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
