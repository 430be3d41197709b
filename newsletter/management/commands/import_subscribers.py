import csv

from django.core.management.base import BaseCommand, CommandError

from newsletter import services


class Command(BaseCommand):
    help = (
        "Importerar en befintlig lista som bekräftade prenumeranter (grund: import). "
        "CSV med rubrikraden email och valfri kolumn subscribed_at. Skickar inga mejl."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV-fil (UTF-8)")

    def handle(self, *args, file, **options):
        try:
            handle = open(file, newline="", encoding="utf-8-sig")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Kan inte läsa filen: {exc.strerror}") from exc
        with handle:
            try:
                sample = handle.read(4096)
                handle.seek(0)
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else "excel"
            except csv.Error:
                dialect = "excel"
            reader = csv.DictReader(handle, dialect=dialect)
            fields = [f.strip().lower() for f in (reader.fieldnames or [])]
            if "email" not in fields:
                raise CommandError("Filen saknar kolumnen email på första raden.")
            reader.fieldnames = fields
            try:
                report = services.subscribers_import(rows=reader)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise CommandError(f"Filen kan inte läsas som CSV i UTF-8: {exc}") from exc
        for problem in report.problems[:50]:
            self.stdout.write(f"  {problem}")
        self.stdout.write(
            f"Importerade {report.imported}. Hoppade över {report.duplicates} dubbletter, "
            f"{report.suppressed} spärrade och {report.invalid} ogiltiga rader."
        )
