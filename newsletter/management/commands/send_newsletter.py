from django.core.management.base import BaseCommand

from newsletter import services


class Command(BaseCommand):
    help = (
        "Skickar varje nyhetsbrev vars tid har kommit, och sedan väntande bekräftelsemejl. "
        "Säker att köra från cron varje minut: en andra körning medan en skickar gör ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rate",
            type=float,
            default=None,
            help="Mejl per sekund (standard: NEWSLETTER_SEND_RATE; 0 = utan paus).",
        )

    def handle(self, *args, rate=None, **options):
        reports = services.newsletter_send_due(rate=rate, progress=self.stdout.write)
        failed = False
        for report in reports:
            if report.skipped:
                self.stdout.write(f"Nr {report.number}: hoppar över, {report.skipped}.")
            elif report.stopped:
                failed = True
                self.stderr.write(f"Nr {report.number}: stoppade, {report.stopped}.")
        # Signups a crash left unread before their mail was queued.
        services.signup_requests_process()
        outbox = services.outbox_deliver()
        if outbox.sent or outbox.deferred or outbox.failed:
            self.stdout.write(
                f"Utgående mejl: {outbox.sent} skickade, {outbox.deferred} försöks igen, "
                f"{outbox.failed} misslyckades."
            )
        if not reports:
            self.stdout.write("Inget nyhetsbrev att skicka just nu.")
        if failed:
            raise SystemExit(1)
