"""The helpline as NSPM publishes it (shared/seeds 000 and 002).

Runs once: when a helpline already exists nothing is touched, so editors' changes survive.
NSPM publishes "kontorstid på vardagar" and no clock times; 09:00–16:00 is a default that
editors replace with the real hours.
"""

from datetime import time

from django.db import migrations

WEEKDAY_HOURS = (time(9, 0), time(16, 0))
ALTERNATIVES = [
    ("Brådskande: ring polisen på", "114 14", "11414"),
    ("eller kontakta socialjouren i din kommun", "", ""),
    ("Vid akut fara: ring", "112", "112"),
]


def seed(apps, schema_editor):
    Helpline = apps.get_model("helpline", "Helpline")
    if Helpline.objects.exists():
        return
    helpline = Helpline.objects.create(
        name="Stödtelefon för yrkesverksamma",
        number_display="020-39 00 00",
        number_e164="+4620390000",
    )
    WeeklyHours = apps.get_model("helpline", "WeeklyHours")
    for weekday in range(7):
        opens, closes = WEEKDAY_HOURS if weekday < 5 else (None, None)
        WeeklyHours.objects.get_or_create(
            helpline=helpline, weekday=weekday, defaults={"opens": opens, "closes": closes}
        )
    Alternative = apps.get_model("helpline", "Alternative")
    for order, (text, number, tel) in enumerate(ALTERNATIVES, start=1):
        Alternative.objects.get_or_create(
            helpline=helpline, order=order, defaults={"text": text, "number": number, "tel": tel}
        )


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
