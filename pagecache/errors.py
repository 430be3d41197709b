import logging

from common.logging import warn_now_and_then

logger = logging.getLogger("pagecache")


def log_cache_error(action: str) -> None:
    """Log a cache failure at most once a minute: an outage would otherwise log every request."""
    warn_now_and_then(logger, "page cache unavailable", action=action)
