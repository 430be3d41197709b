from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """ "Hjälpte sidan dig?" under every content page: answers and comments for the editors."""

    name = "feedback"
    verbose_name = _("Synpunkter på sidorna")
