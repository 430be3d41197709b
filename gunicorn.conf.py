"""gunicorn settings for production: `gunicorn nspm_portal.wsgi` reads this file by itself.

Every value can be changed through the environment (see README, "Production"). The TLS
proxy or load balancer in front terminates HTTPS and says so in X-Forwarded-Proto.
"""

import multiprocessing
import os
import threading
from pathlib import Path

from common.logging import JSON_FORMATTER


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


wsgi_app = "nspm_portal.wsgi:application"
# Loopback by default: nothing but the proxy on the same host can reach the app server.
# A container platform that sets PORT routes to the container through its own proxy and
# needs every interface, so PORT alone means 0.0.0.0:$PORT; GUNICORN_BIND names anything
# else. Whoever reaches gunicorn past the proxy is counted by its own address (see
# common.clientip and README, "Login protection"), but skips the proxy's TLS and limits.
_port = os.environ.get("PORT", "").strip()
bind = os.environ.get(
    "GUNICORN_BIND",
    f"0.0.0.0:{_port}" if _port else "127.0.0.1:8000",  # noqa: S104
).split()

# Processes: the usual 2 × cores + 1. Each holds one database connection per thread,
# so workers × threads must stay below Postgres' max_connections across all servers.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# gthread keeps connections from the proxy alive and lets a worker wait on Redis or
# Postgres for one request while answering another (measured in bench/run.sh: sync
# workers close every connection, gthread serves the same pages faster).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 4)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# A worker that stops answering its master for this long is replaced. With gthread the
# master cannot see a single stuck thread: waits on the database and Redis are bounded in
# the app instead (README, "When something fails").
timeout = _int("GUNICORN_TIMEOUT", 30)
# On a deploy or SIGTERM, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Recycle workers now and then so a slow leak can never take a server down; the jitter
# keeps them from all restarting at the same moment. High, because a cached page costs a
# worker well under a millisecond: at 20,000 a busy worker was replaced every half minute,
# and each replacement shows in the p99 latency.
max_requests = _int("GUNICORN_MAX_REQUESTS", 100_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 10_000)

# Only the proxy may say a request came in over HTTPS (comma-separated addresses or
# networks; the proxy's own address in production). Django reads the same variable as
# TRUSTED_PROXY_IPS: only these peers' X-Forwarded-For names the client.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The one header the proxy sets; from those peers it becomes wsgi.url_scheme, which is all
# Django reads (no SECURE_PROXY_SSL_HEADER). gunicorn's default also believes
# X-Forwarded-Ssl and X-Forwarded-Protocol, which a proxy may pass through from the client.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# The access log writes every visitor's IP, path, query string and user agent: off by
# default (privacy), on for troubleshooting with ACCESS_LOG=1 (to stdout).
accesslog = "-" if _bool("ACCESS_LOG", False) else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own lines as JSON too, like the application's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": JSON_FORMATTER},
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json"},
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["error_console"], "level": loglevel.upper()},
        # A logging config switches gunicorn's access log on whatever `accesslog` says,
        # so the logger itself must stay silent unless ACCESS_LOG asks for it.
        "gunicorn.access": {
            "handlers": ["console"] if _bool("ACCESS_LOG", False) else [],
            "level": "INFO" if _bool("ACCESS_LOG", False) else "CRITICAL",
            "propagate": False,
        },
    },
}

# The runtime control socket lives in a fixed place per user, so two servers on one
# machine (a deploy overlap, the benchmark) would fight over it. Signals (HUP, TERM,
# TTIN/TTOU) do the same job.
control_socket_disable = not _bool("GUNICORN_CONTROL_SOCKET", False)

# Load the app once in the master, before forking: workers start faster and share memory.
preload_app = _bool("GUNICORN_PRELOAD", True)
proc_name = "nspm"
# Worker heartbeat files in memory, not on a possibly slow disk (containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108


def when_ready(server):
    """Do once in the master what every worker's first request would otherwise do (import
    the URLconf, the holiday calendar and the templates): a fresh or recycled worker then
    answers its first request as fast as its thousandth."""
    if not preload_app:
        return
    try:
        from datetime import date

        from django.apps import apps
        from django.conf import settings
        from django.template import TemplateSyntaxError, loader
        from django.urls import get_resolver

        from helpline.hours import swedish_holidays

        get_resolver().url_patterns  # noqa: B018 - imports every app's urls and views
        for year in (date.today().year, date.today().year + 1):
            swedish_holidays(year)
        # The project's templates, and those its own apps keep (the form-field pack in common/).
        own_apps = [a for a in apps.get_app_configs() if (settings.BASE_DIR / a.label).is_dir()]
        template_dirs = [
            *settings.TEMPLATES[0]["DIRS"],
            *(Path(a.path) / "templates" for a in own_apps),
        ]
        for directory in filter(Path.is_dir, map(Path, template_dirs)):
            for path in sorted(Path(directory).rglob("*.html")):
                try:
                    loader.get_template(path.relative_to(directory).as_posix())
                except TemplateSyntaxError:
                    server.log.warning("template does not compile: %s", path.name)
    except Exception:  # a slow first request is better than no server
        server.log.warning("warm-up skipped", exc_info=True)


def pre_fork(server, worker):
    # Nothing should have opened a database connection while preloading, but if anything
    # did, workers must not inherit (and share) it.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()


def post_worker_init(worker):
    """Build the coordinator lookup's index (contacts.memo: once per content version and
    process) before the first practitioner needs it, so a new or recycled worker does not
    make the first uncached lookups wait on it. In a thread of its own: a database that
    hangs must never keep a worker from serving stored pages."""

    def build():
        from django.conf import settings
        from django.db import connections
        from django.utils import translation

        try:
            from contacts import places

            for language, _name in settings.LANGUAGES:  # kept per language, as requests ask
                with translation.override(language):
                    places.directory()
        except Exception:  # the first lookup then builds it, as without this
            worker.log.warning("lookup warm-up skipped", exc_info=True)
        finally:
            connections.close_all()

    threading.Thread(target=build, name="lookup-warm-up", daemon=True).start()
