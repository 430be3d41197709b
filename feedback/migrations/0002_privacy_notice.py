"""The privacy notice says what "Hjälpte sidan dig?" stores and for how long.

Adds one section before the cookie section of the privacy page, once; the rest of the text is
left as the editors have it. Nothing happens if the section is already there or the page has
no cookie section to place it before.
"""

from django.db import migrations
from django.utils import timezone

HEADING = "## Svar på frågan ”Hjälpte sidan dig?”"
BEFORE = "## Kakor (cookies)"
SECTION = f"""{HEADING}

Under sidorna kan du svara Ja eller Nej på om sidan hjälpte dig, och efter Nej skriva en \
kommentar. Vi sparar bara vilken sida svaret gäller, datumet, svaret och kommentaren, inte din \
IP-adress, din webbläsare eller klockslaget. Skriv inga namn eller uppgifter om ärenden i \
kommentaren. Svaren och kommentarerna raderas efter tolv månader.

"""


def add_section(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    page = Page.objects.filter(slug="personuppgifter").first()
    if page is None or HEADING in page.body or BEFORE not in page.body:
        return
    page.body = page.body.replace(BEFORE, SECTION + BEFORE, 1)
    page.updated_on = timezone.localdate()
    page.save(update_fields=["body", "updated_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("pages", "0002_seed_initial_content"),
    ]
    operations = [migrations.RunPython(add_section, migrations.RunPython.noop)]
