from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelplineConfig(AppConfig):
    name = "helpline"
    verbose_name = _("Stödtelefon")

    def ready(self):
        import pagecache

        from . import signals
        from .loader import next_status_change
        from .models import Alternative, Helpline, HoursException, WeeklyHours

        signals.connect()
        pagecache.register_models(Helpline, WeeklyHours, HoursException, Alternative)
        # Every page shows whether the line is open: a stored page expires when that changes.
        pagecache.register_next_change(next_status_change)
