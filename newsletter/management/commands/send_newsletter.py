from django.core.management.base import BaseCommand

from newsletter import services


class Command(BaseCommand):
    help = (
        "Skickar varje nyhetsbrev vars tid har kommit, och sedan väntande bekräftelsemejl. "
        "Säker att köra från cron varje minut: en andra körning medan en skickar gör ingenting. "
        "Avslutar med 1 bara när e-postservern inte går att nå eller vägrar avsändaren; "
        "ett nummer eller mejl som inte kan skickas får sitt skäl antecknat och resten skickas."
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
        server_down = False
        for report in reports:
            if report.skipped:
                self.stdout.write(f"Nr {report.number}: hoppar över, {report.skipped}.")
            elif report.stop and report.stop.ends_run:
                server_down = True
                self.stderr.write(f"Nr {report.number}: stoppade, {report.stopped}.")
            elif report.stop:
                self.stdout.write(f"Nr {report.number}: stoppade, {report.stopped}.")
        # Signups a crash left unread before their mail was queued.
        services.signup_requests_process()
        outbox = services.outbox_deliver()
        if outbox.sent or outbox.deferred or outbox.failed:
            self.stdout.write(
                f"Utgående mejl: {outbox.sent} skickade, {outbox.deferred} försöks igen, "
                f"{outbox.failed} misslyckades."
            )
        if outbox.stopped:
            server_down = True
            self.stderr.write(f"Utgående mejl: stoppade, {outbox.stopped}.")
        if not reports:
            self.stdout.write("Inget nyhetsbrev att skicka just nu.")
        if server_down:
            raise SystemExit(1)
