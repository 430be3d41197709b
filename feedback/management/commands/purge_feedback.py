from django.core.management.base import BaseCommand, CommandError

from feedback import services


class Command(BaseCommand):
    help = "Raderar svar och kommentarer på ”Hjälpte sidan dig?” som är äldre än tolv månader."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=services.KEEP_MONTHS,
            help=f"Antal månader att spara svaren (standard: {services.KEEP_MONTHS}).",
        )

    def handle(self, *args, months: int, **options):
        if months < 1:
            raise CommandError("--months måste vara minst 1.")
        count = services.feedback_purge(months=months)
        self.stdout.write(f"Raderade {count} svar äldre än {months} månader.")
