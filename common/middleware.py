import logging

from django.conf import settings
from django.db import DatabaseError

from .database import begin_request, current_activity, gate, needs_gate, service_unavailable
from .ratelimit import RateLimitUnavailable

logger = logging.getLogger(__name__)


def security_headers(get_response):
    """Headers Django's SecurityMiddleware does not set."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


class ServiceUnavailableMiddleware:
    """Answer a clear 503 page in the site's layout when the database (or the rate-limit
    counters in the cache) cannot be reached, and time every query of the request (the
    watchdog in ``common/database.py``).

    Nothing crashes, and since connections are health-checked (or, by default, opened per
    request) the next request after the database returns is served normally, without a
    restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        begin_request()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimitUnavailable):
            return service_unavailable(request)  # logged where it was raised
        if not isinstance(exception, DatabaseError):
            return None
        logger.error("database unavailable: %s", type(exception).__name__)
        return service_unavailable(request)


class DatabaseGateMiddleware:
    """At most ``DB_CONCURRENT_REQUESTS`` requests per process use the database at once;
    the others get the 503 page after ``DB_SLOT_WAIT`` (see ``common/database.py``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not needs_gate(request):
            return self.get_response(request)
        places = gate()
        activity = current_activity()
        if not places.enter(activity):
            return service_unavailable(request)
        try:
            return self.get_response(request)
        finally:
            places.leave(activity)
