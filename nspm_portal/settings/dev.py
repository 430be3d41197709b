"""Development: `make run`. SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-3c5f0d8a1b")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# django-ratelimit warns about every backend but memcached and django-redis (W001; see
# prod.py), and that a local-memory cache is not shared between processes (E003): true, and
# harmless for `runserver` (one process). NSPM_MULTI_PROCESS=1 keeps E003 on.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if CACHES["default"]["BACKEND"].endswith("LocMemCache") and not env.bool(
    "NSPM_MULTI_PROCESS", default=False
):
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003"]

# Serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
