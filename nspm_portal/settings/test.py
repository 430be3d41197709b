"""Test settings: fast hashing, in-memory mail, isolated cache."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-9f1e2d"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://nspm-test")}
MEDIA_ROOT = env.path("MEDIA_ROOT", default="/tmp/nspm-test-media")  # noqa: S108
SITE_URL = "https://nspm.test"

# Serve static files straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
