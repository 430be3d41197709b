"""Enrol a staff user's first two-factor device from the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from editors.services import EnrolmentError, otp_device_enrol


class Command(BaseCommand):
    help = (
        "Skapar en bekräftad TOTP-enhet för användaren och skriver ut otpauth://-adressen, "
        "en QR-kod att skanna med appen för engångskoder och tio reservkoder."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Ersätt befintliga enheter och reservkoder (t.ex. efter en borttappad telefon).",
        )
        parser.add_argument(
            "--no-qr", action="store_true", help="Skriv inte ut QR-koden (bara adressen)."
        )

    def handle(self, *args, username, replace, no_qr, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"Det finns ingen användare {username!r}.") from None
        try:
            enrolment = otp_device_enrol(user=user, replace=replace)
        except EnrolmentError as error:
            raise CommandError(str(error)) from None

        write = self.stdout.write
        if not user.is_staff:
            self.stderr.write(
                self.style.WARNING(
                    f"Obs: {username} är inte personal (is_staff) och kan inte logga in "
                    "i redaktionen."
                )
            )
        write(f"Tvåstegsinloggning för {username} är klar.\n")
        write("Skanna QR-koden med appen för engångskoder (t.ex. FreeOTP, Google Authenticator):")
        if not no_qr:
            write(enrolment.qr_text())
        write("Eller lägg in adressen för hand:")
        write(enrolment.config_url)
        write(f"Hemlig nyckel: {enrolment.secret}\n")
        write("Reservkoder – varje kod fungerar en gång. Skriv ut eller spara dem säkert:")
        for code in enrolment.backup_codes:
            write(f"  {code}")
        write(
            "\nVisa inte den här utskriften för någon annan, och rensa terminalens historik "
            "om den sparas."
        )
