from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Building blocks every app may use: phone numbers, the client address, Markdown,
    form-field rendering, middleware and log formatting. Imports no other app of the project."""

    name = "common"
    verbose_name = "Gemensamt"

    def ready(self):
        from django.core.signals import request_finished

        from . import checks  # noqa: F401 - registers the system checks
        from .database import end_request

        request_finished.connect(end_request, dispatch_uid="common-database-end-request")
