import logging
import time

logger = logging.getLogger("pagecache")

_last_logged = 0.0


def log_cache_error(action: str) -> None:
    """Log a cache failure at most once a minute: an outage would otherwise log every request.

    The same rule as ``common.logging.warn_now_and_then``, kept here because this app
    imports no other app of the project (README, Layout)."""
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= 60:
        _last_logged = now
        logger.warning("page cache unavailable", extra={"action": action}, exc_info=True)
