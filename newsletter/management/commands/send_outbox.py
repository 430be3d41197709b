from django.core.management.base import BaseCommand

from newsletter import services


class Command(BaseCommand):
    help = "Skickar bekräftelsemejl som väntar i utkorgen (t.ex. när e-postservern var nere)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit=1000, **options):
        # Signups a crash left unread before their mail was queued.
        services.signup_requests_process()
        report = services.outbox_deliver(limit=limit)
        self.stdout.write(
            f"{report.sent} skickade, {report.deferred} försöks igen senare, "
            f"{report.failed} misslyckades."
        )
        if report.stopped:
            self.stderr.write(f"Stoppade: {report.stopped}")
            raise SystemExit(1)
