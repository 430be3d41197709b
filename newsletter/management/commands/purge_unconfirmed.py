from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsletter import services


class Command(BaseCommand):
    help = "Raderar anmälningar som inte har bekräftats inom det angivna antalet dagar."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Antal dagar (standard: NEWSLETTER_PURGE_DAYS, 30).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.NEWSLETTER_PURGE_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days måste vara minst 1.")
        count = services.subscribers_purge_unconfirmed(days=days)
        self.stdout.write(f"Raderade {count} obekräftade anmälningar äldre än {days} dagar.")
