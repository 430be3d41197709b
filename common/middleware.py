import logging

from django.conf import settings
from django.db import DatabaseError
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)


def security_headers(get_response):
    """Headers Django's SecurityMiddleware does not set."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


class DatabaseUnavailableMiddleware:
    """Answer a clear 503 page in the site's layout when the database cannot be reached.

    Nothing crashes, and since connections are health-checked the next request after
    the database returns is served normally, without a restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        response = TemplateResponse(request, "503.html", status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response.render()
