"""Delete login records (django-axes) older than 30 days: run daily from cron or a timer."""

from django.core.management.base import BaseCommand, CommandError

from editors.services import LOGIN_RECORD_DAYS, login_records_purge


class Command(BaseCommand):
    help = (
        "Tar bort inloggningsförsök, misslyckade inloggningar och inloggningslogg som är "
        f"äldre än {LOGIN_RECORD_DAYS} dagar."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=LOGIN_RECORD_DAYS,
            help=f"Spara så här många dagar (standard {LOGIN_RECORD_DAYS}).",
        )

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days måste vara minst 1.")
        result = login_records_purge(days=days)
        self.stdout.write(
            f"Tog bort poster äldre än {days} dagar: {result.attempts} inloggningsförsök, "
            f"{result.failures} misslyckade inloggningar, {result.logins} inloggningar."
        )
