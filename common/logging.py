import logging
import threading
import time

# One JSON object a line, for the application and gunicorn alike. The time is ISO 8601 in
# UTC: local times without an offset are ambiguous at the DST switch.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s",
    "timestamp": "time",
    "rename_fields": {"levelname": "level", "name": "logger"},
}


class DropRequestFilter(logging.Filter):
    """Strip the request object Django attaches to log records.

    Formatters that serialise extra fields would otherwise write the client's
    IP, user agent and query string into the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.name.startswith("django.security."):
            # A refused Host header or CSRF token is the client's doing: one line is
            # enough, a traceback per scanner request would flood the log.
            record.exc_info = None
            record.exc_text = None
        if record.name == "django.request" and record.args:
            # Keep the status code, drop the path (it may carry tokens).
            record.msg = "%s"
            record.args = (getattr(record, "status_code", ""),)
        elif record.name == "django.security.csrf" and len(record.args or ()) == 2:
            # "Forbidden (reason): path": the path may be a confirm or unsubscribe link.
            record.msg = "Forbidden (%s)"
            record.args = (record.args[0],)
        return True


_last_warned: dict[tuple[str, str], float] = {}
_warned_lock = threading.Lock()


def warn_now_and_then(logger: logging.Logger, message: str, *, every: float = 60, **extra):
    """Log ``message`` as a warning, with the exception being handled, at most once every
    ``every`` seconds per logger and message: a dependency that is down or hanging would
    otherwise write the same line, traceback and all, for every request. True if it logged."""
    key = (logger.name, message)
    now = time.monotonic()
    with _warned_lock:
        last = _last_warned.get(key)
        if last is not None and now - last < every:
            return False
        _last_warned[key] = now
    logger.warning(message, exc_info=True, extra=extra or None)
    return True


def forget_warnings() -> None:
    """Let every message be logged again at once (tests)."""
    with _warned_lock:
        _last_warned.clear()
