"""Settings shared by every environment; read from the environment through django-environ."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from common.logging import JSON_FORMATTER

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is a convenience for development; production passes real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "editors.apps.NspmAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram search (contacts); on SQLite it registers nothing and the migration is a no-op.
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "crispy_forms",
    "csp",
    # Third-party apps under Swedish names (editors/apps.py).
    "editors.apps.AxesConfig",
    # Installed for its system checks: they refuse a cache the processes do not share.
    "django_ratelimit",
    "django_otp",
    "editors.apps.OtpTotpConfig",
    "editors.apps.OtpStaticConfig",
    "simple_history",
    "common",
    "pagecache",
    "pages",
    "helpline",
    "contacts",
    "nmt",
    "newsletter",
    "feedback",
    "search",
    "editors",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language comes from the path alone (/en/… or Swedish at the root; the URLs are
    # i18n_patterns without a default prefix), never from a cookie or Accept-Language, and it
    # is part of the page cache's key: so it is decided here, before the cache is asked.
    "django.middleware.locale.LocaleMiddleware",
    # Cached public pages are answered here, before sessions, CSRF, auth, the view and
    # anything else that could touch the database.
    "pagecache.middleware.PageCacheMiddleware",
    # Times every query of the request (common/database.py) and answers a DatabaseError
    # with the 503 page; above the session middleware, whose saves it must time too.
    "common.middleware.ServiceUnavailableMiddleware",
    # Django's, but a session save the database fails (after the view) gets the 503 page.
    "common.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A cap on the requests that may wait on the database at once, so cached pages and
    # /healthz always find a free thread. Below CSP and X-Frame-Options, so its 503 page
    # gets the same headers as every other page.
    "common.middleware.DatabaseGateMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so it sees the outcome of the login views above it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nspm_portal.urls"
WSGI_APPLICATION = "nspm_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.site",
                "helpline.context_processors.helpline",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Every wait on PostgreSQL is bounded (README, "When something fails"). A refused
# connection fails at once; a database that hangs (a held lock, a stalled network or proxy)
# gives no error at all, so each kind of wait has its own limit:
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=3)  # s; libpq's minimum is 2
DB_STATEMENT_TIMEOUT = env.float("DB_STATEMENT_TIMEOUT", default=5)  # s; 0: none
DB_LOCK_TIMEOUT = env.float("DB_LOCK_TIMEOUT", default=2)  # s; 0: none
DB_IDLE_IN_TRANSACTION_TIMEOUT = env.float("DB_IDLE_IN_TRANSACTION_TIMEOUT", default=30)
# The server's timeouts never fire when the network or a proxy in between stalls: a query
# that has not answered after this long has its connection cut by the app (0: never; also
# the default when statements may run for ever, so that choice is not undone here).
DB_QUERY_WATCHDOG = env.float(
    "DB_QUERY_WATCHDOG", default=DB_STATEMENT_TIMEOUT + 2 if DB_STATEMENT_TIMEOUT else 0
)
# Requests per process that may use the database at once; one thread of each gunicorn
# worker stays free for cached pages, /healthz and the 503 page.
DB_CONCURRENT_REQUESTS = env.int(
    "DB_CONCURRENT_REQUESTS", default=max(1, env.int("GUNICORN_THREADS", default=4) - 1)
)
# How long a request waits for one of those places before it gets the 503 page (not at
# all while every place is held by a request that has waited this long on the database).
DB_SLOT_WAIT = env.float("DB_SLOT_WAIT", default=0.25)


def postgres_options(*, statement: float, lock: float, idle: float) -> dict:
    """libpq connection parameters: the timeouts above and TCP keepalives."""
    server = [
        f"-c statement_timeout={int(statement * 1000)}",
        f"-c lock_timeout={int(lock * 1000)}",
        f"-c idle_in_transaction_session_timeout={int(idle * 1000)}",
    ]
    return {
        "connect_timeout": DB_CONNECT_TIMEOUT,
        "options": " ".join(server),
        # A dead peer is noticed within ~25 s of silence, and unacknowledged data is
        # given up after 10 s, instead of the kernel's default of many minutes.
        "keepalives": 1,
        "keepalives_idle": env.int("DB_KEEPALIVES_IDLE", default=10),
        "keepalives_interval": env.int("DB_KEEPALIVES_INTERVAL", default=5),
        "keepalives_count": env.int("DB_KEEPALIVES_COUNT", default=3),
        "tcp_user_timeout": env.int("DB_TCP_USER_TIMEOUT", default=10) * 1000,
    }


if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Django's backend, with COMMIT and ROLLBACK timed by the watchdog like queries.
    DATABASES["default"]["ENGINE"] = "common.postgresql"
    # A new connection for each request (0): a connection that stalled can never be handed
    # to the next request, and opening one is bounded by DB_CONNECT_TIMEOUT.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        postgres_options(
            statement=DB_STATEMENT_TIMEOUT,
            lock=DB_LOCK_TIMEOUT,
            idle=DB_IDLE_IN_TRANSACTION_TIMEOUT,
        )
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://nspm")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Short socket timeouts and a circuit breaker: a Redis that hangs costs a page a
    # quarter of a second a call, and after a few failures nothing until it answers again.
    CACHES["default"]["BACKEND"] = "pagecache.backends.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.25),
            "socket_timeout": env.float("CACHE_TIMEOUT", default=0.25),
            "BREAKER_FAILURES": env.int("CACHE_BREAKER_FAILURES", default=3),
            "BREAKER_SECONDS": env.float("CACHE_BREAKER_SECONDS", default=10),
        }
    )

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a login lands when its `next` is missing or unsafe (another host, a scheme, "//…"):
# Django's LoginView checks `next` with url_has_allowed_host_and_scheme and otherwise
# goes here, instead of its default /accounts/profile/, which does not exist.
LOGIN_REDIRECT_URL = "admin:index"

LANGUAGE_CODE = "sv"
# Swedish at the root URLs, English under /en/ (nspm_portal/urls.py). The staff side stays
# Swedish: outside i18n_patterns, LocaleMiddleware gives it LANGUAGE_CODE.
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True
# Corrections of third-party Swedish (Django admin's "Senaste Händelser", django-axes and
# django-simple-history, which have none). Listed here so they win over the apps' catalogues,
# which otherwise take precedence over an app listed after them.
# The project's own catalogue (English, locale/en) comes first, so `makemessages` run at the
# root writes every app's strings there.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "editors" / "locale"]
# Swedish date and time formats, shown and accepted ("12.00", "7/12 2026"); Django's own
# Swedish module reads 7/12/2026 as 12 July.
FORMAT_MODULE_PATH = ["common.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Uploaded documents: local files by default; an S3-compatible store shared by every
# app server when STORAGE_BACKEND=s3 (settings read by django-storages: AWS_*).
if env("STORAGE_BACKEND", default="local") == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            # "path" for S3-compatible stores without per-bucket host names (MinIO, Ceph).
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

# Mail: console by default, SMTP when EMAIL_URL=smtp://… is set.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="NSPM <nspm@jamstalldhetsmyndigheten.se>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The "Lämna sidan snabbt" button goes here: a neutral site a visitor can be seen on.
QUICK_EXIT_URL = env("QUICK_EXIT_URL", default="https://www.smhi.se/")

# Behind a TLS-terminating proxy: how many proxies in front of us append to
# X-Forwarded-For (0: trust none). Whether a request came in over HTTPS is gunicorn's to say
# (wsgi.url_scheme, from X-Forwarded-Proto of FORWARDED_ALLOW_IPS peers only): Django's
# SECURE_PROXY_SSL_HEADER would believe the header from any peer, so it stays unset.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The peers whose X-Forwarded-For is read at all (addresses, networks, or "*" for any).
# The same variable gunicorn reads for X-Forwarded-Proto, so the two cannot disagree; a
# client that reaches the app server past the proxy is counted by its own address.
TRUSTED_PROXY_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])

# Security headers (also in development, so problems show up early).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
# Staff sessions end after a working day without activity.
SESSION_COOKIE_AGE = 9 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True

# Login lockout: per username *and* network together, so nobody can lock a colleague out
# by guessing their username from elsewhere. A "network" is what
# common.clientip.client_network returns: an IPv4 address, or an IPv6 address's /64.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HTTP_RESPONSE_CODE = 429
# One page for both locks (the username lock here, the network lock below).
AXES_LOCKOUT_CALLABLE = "editors.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_network"
AXES_RESET_ON_SUCCESS = True
# The network limit below counts these records: keep it on.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False  # axes would otherwise log IP addresses and user agents
# Masked in the stored attempt records and in axes' own log lines; a backup code typed
# with a wrong password would otherwise sit in the database in clear text.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1000
# Beside the lock per username: this many failed logins from one network within the
# window, whatever the usernames, refuse every login from there (429) until the oldest
# of them is older than the window. Stops one address spraying many usernames. 0: off.
LOGIN_NETWORK_FAILURE_LIMIT = env.int("LOGIN_NETWORK_FAILURE_LIMIT", default=20)
LOGIN_NETWORK_WINDOW = timedelta(minutes=env.int("LOGIN_NETWORK_WINDOW_MINUTES", default=60))

# Rate limits count by the same network as the lockout (django-ratelimit's own IPv6 /64
# mask then changes nothing).
RATELIMIT_IP_META_KEY = "common.clientip.client_network"
RATELIMIT_USE_CACHE = "default"

OTP_TOTP_ISSUER = "NSPM redaktion"

# Public form fields are rendered one way: {{ form.field|as_crispy_field }} with the
# pack in common/templates/nspm/ (the GOV.UK error pattern).
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nspm",)
CRISPY_TEMPLATE_PACK = "nspm"

# How long rendered public pages may live in the server cache (they are dropped
# on every editor save; anything showing the helpline status expires at its next change).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# The longest a process with a private (local-memory) cache may keep the helpline schedule
# after another process saved a change; a shared cache (Redis) drops it at once on a save.
HELPLINE_CACHE_SECONDS = env.int("HELPLINE_CACHE_SECONDS", default=300)

# Structured logs: one JSON object a line; no IP, user agent or query string.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "filters": {"no_request": {"()": "common.logging.DropRequestFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["no_request"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's request logger writes every 404 path; we keep only server errors.
        "django.request": {"level": "ERROR"},
        "django.server": {
            "level": "ERROR" if not env.bool("ACCESS_LOG", default=False) else "INFO"
        },
        "django.security.DisallowedHost": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# --- Newsletter (newsletter app) -------------------------------------------------------
# Messages per second while sending an issue (0: as fast as the mail server accepts).
NEWSLETTER_SEND_RATE = env.float("NEWSLETTER_SEND_RATE", default=10.0)
# Deliveries claimed in one commit before sending and recorded in one after (and at most
# one second's worth at the rate above): what a crash mid-send can leave uncertain.
NEWSLETTER_SEND_BATCH = env.int("NEWSLETTER_SEND_BATCH", default=100)
# A sending run stops, and says why, after this many connection errors in a row.
NEWSLETTER_MAX_CONNECTION_ERRORS = env.int("NEWSLETTER_MAX_CONNECTION_ERRORS", default=3)
# Signups nobody confirmed are deleted by `purge_unconfirmed` after this many days.
NEWSLETTER_PURGE_DAYS = env.int("NEWSLETTER_PURGE_DAYS", default=30)
# Recorded with each signup as evidence of what the person was shown; change it when the
# signup page's text or the privacy notice changes meaningfully.
NEWSLETTER_SIGNUP_TEXT_VERSION = env("NEWSLETTER_SIGNUP_TEXT_VERSION", default="2026-11-23")
# How long a confirmation link works.
NEWSLETTER_TOKEN_MAX_AGE = timedelta(days=env.int("NEWSLETTER_TOKEN_MAX_AGE_DAYS", default=7))
# Key for the suppression list's hashes. Set it in production: when empty it is derived
# from SECRET_KEY, and rotating SECRET_KEY would then make erased addresses importable again.
NEWSLETTER_HASH_KEY = env("NEWSLETTER_HASH_KEY", default="")
# Signup attempts allowed (django-ratelimit rate strings), all with the same answer to the
# visitor: per client IP; per mailbox ("name+tag@x.se" counts as "name@x.se", any case);
# and, for attempts within those two, per recipient domain and in total, which caps how
# many confirmation mails the form can make the site send to strangers in an hour.
NEWSLETTER_RATE_PER_IP = env("NEWSLETTER_RATE_PER_IP", default="20/h")
NEWSLETTER_RATE_PER_ADDRESS = env("NEWSLETTER_RATE_PER_ADDRESS", default="5/d")
NEWSLETTER_RATE_PER_DOMAIN = env("NEWSLETTER_RATE_PER_DOMAIN", default="40/h")
NEWSLETTER_RATE_TOTAL = env("NEWSLETTER_RATE_TOTAL", default="200/h")
# A new confirmation mail to the same address when the last one is at least this old.
NEWSLETTER_RESEND_AFTER = timedelta(minutes=env.int("NEWSLETTER_RESEND_AFTER_MINUTES", default=15))
# The functional mailbox the signup pages and mails name for help.
NEWSLETTER_CONTACT_EMAIL = env(
    "NEWSLETTER_CONTACT_EMAIL", default="nspm@jamstalldhetsmyndigheten.se"
)
# List-Id header and Message-ID domain; default: the host name of SITE_URL.
NEWSLETTER_MAIL_DOMAIN = env("NEWSLETTER_MAIL_DOMAIN", default="")

# --- "Hjälpte sidan dig?" (feedback app) --------------------------------------------------
# Answers and comments accepted per client IP (a django-ratelimit rate string).
FEEDBACK_RATE_PER_IP = env("FEEDBACK_RATE_PER_IP", default="30/h")
