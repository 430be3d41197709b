"""Production: behind a TLS-terminating proxy, served by gunicorn + whitenoise.

Refuses to start without the values it cannot guess.
"""

import os

from django.core.exceptions import ImproperlyConfigured

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL"):
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(
            f"Environment variable {_name} is required in production (nspm_portal.settings.prod)."
        )
# Several processes must share one cache: rate limits, the page cache and the helpline
# cache live there, and a per-process cache would keep an editor's save from the others.
if not os.environ["CACHE_URL"].strip().startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "CACHE_URL must point at Redis (redis:// or rediss://) in production: every "
        "process must share the cache (nspm_portal.settings.prod)."
    )

# Django would take X-Forwarded-Proto from any client that reaches gunicorn past the proxy;
# gunicorn takes it only from FORWARDED_ALLOW_IPS (gunicorn.conf.py). Refused, not ignored,
# so a deployment that still sets it learns why.
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER is not used: it would let any client claim HTTPS. Remove it; "
        "gunicorn reads X-Forwarded-Proto from the proxies in FORWARDED_ALLOW_IPS only "
        "(nspm_portal.settings.prod)."
    )

from .base import *  # noqa: E402, F403
from .base import STORAGES, env  # noqa: E402

DEBUG = False

# django-ratelimit lists only memcached and django-redis as supported and warns (W001) about
# any other backend, Django's own Redis backend included, which ours extends and which
# increments atomically as well. Its error for a cache that is not shared (E003) stays on.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The load balancer probes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# __Host- cookies are only accepted over HTTPS, for the exact host, with Path=/.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
