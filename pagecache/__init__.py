"""The public page cache: whole rendered pages, shared by every app server.

The pieces: ``decorators`` (views opt in and declare their query parameters), ``keys``,
``middleware`` (serve and store), ``version`` (one content version, bumped once per
committed change), ``registry`` (what apps register), ``expiry``, ``local`` (each process's
copies, dropped over Redis pub/sub), ``staff`` (which session cookies are staff),
``store`` (Redis or any Django cache), ``breaker`` and ``backends`` (Redis behind a circuit
breaker). It imports no other app of the project.
"""

from .decorators import cache_public_page
from .registry import register_models, register_next_change
from .version import current_version

__all__ = [
    "cache_public_page",
    "current_version",
    "forget_local_copies",
    "register_models",
    "register_next_change",
]


def forget_local_copies() -> None:
    """Drop this process's copies and this thread's uncommitted-change mark (tests that
    empty the cache by hand, between tests whose transactions are rolled back)."""
    from .local import copies
    from .version import forget_uncommitted_change

    copies.forget()
    forget_uncommitted_change()
