import logging

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
