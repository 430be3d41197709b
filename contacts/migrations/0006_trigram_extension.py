"""pg_trgm for the forgiving contact search ("paulson" finds Paulsson).

CreateExtension does nothing on SQLite, where the search falls back to difflib.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("contacts", "0005_seed_postal_codes")]
    operations = [TrigramExtension()]
