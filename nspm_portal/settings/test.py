"""Test settings: fast hashing, in-memory mail, isolated cache."""

from .base import *  # noqa: F403
from .base import DATABASES, env, postgres_options

DEBUG = False
SECRET_KEY = "test-only-not-secret-9f1e2d"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://nspm-test")}
# The suite runs in one process with a local-memory cache (django-ratelimit warns about it).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Each test is one long transaction, idle while the test thinks and sometimes waiting on
    # a lock a test holds on purpose: no server-side limits here. The production values are
    # exercised under gunicorn by tests/ops.
    DATABASES["default"]["OPTIONS"].update(postgres_options(statement=0, lock=0, idle=0))
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/nspm-test-media")  # noqa: S108
SITE_URL = "https://nspm.test"

# Serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
