"""Remove a user's two-factor devices after a lost phone; they must be enrolled again."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from editors.services import otp_devices_reset


class Command(BaseCommand):
    help = (
        "Tar bort användarens enheter för tvåstegsinloggning och reservkoder och loggar ut "
        "användaren. Kör sedan otp_enrol för att ge en ny."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(f"Det finns ingen användare {username!r}.") from None
        count = otp_devices_reset(user=user)
        self.stdout.write(
            f"Tog bort {count} enheter för {username}. Användaren kan inte logga in i "
            f"redaktionen förrän du kört: manage.py otp_enrol {username}"
        )
