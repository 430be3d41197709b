"""Production settings refuse to start without the values they cannot guess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "nspm.example.se",
    "DATABASE_URL": "sqlite:////tmp/nspm-prod-settings-test.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/15",
}
DUMP = """
import django, json
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({"options": db.get("OPTIONS", {}), "conn_max_age": db.get("CONN_MAX_AGE"),
                  "cache": s.CACHES["default"], "silenced": s.SILENCED_SYSTEM_CHECKS,
                  "slots": s.DB_CONCURRENT_REQUESTS, "watchdog": s.DB_QUERY_WATCHDOG}))
"""


def _load_prod_settings(env: dict, code: str = "") -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in REQUIRED and not k.startswith(("DB_", "CACHE_", "GUNICORN_", "CONN_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="nspm_portal.settings.prod")
    return subprocess.run(
        [sys.executable, "-c", code or "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = _load_prod_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {missing} is required" in result.stderr


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_treats_a_blank_variable_as_missing(missing):
    result = _load_prod_settings({**REQUIRED, missing: "  "})
    assert result.returncode != 0
    assert f"Environment variable {missing} is required" in result.stderr


def test_production_starts_with_all_required_variables():
    result = _load_prod_settings(REQUIRED)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


_PRINT_SETTING = "from django.conf import settings; print(settings.{name})"


@pytest.mark.parametrize(("value", "expected"), [(None, "300"), ("42", "42")])
def test_helpline_cache_seconds_comes_from_the_environment(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "HELPLINE_CACHE_SECONDS"}
    if value is not None:
        env["HELPLINE_CACHE_SECONDS"] = value
    env["DJANGO_SETTINGS_MODULE"] = "nspm_portal.settings.test"
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_SETTING.format(name="HELPLINE_CACHE_SECONDS")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    "cache_url", ["locmemcache://nspm", "dummycache://", "filecache:///tmp/nspm", "dbcache://t"]
)
def test_production_refuses_a_cache_that_is_not_shared(cache_url):
    # Several gunicorn workers with one cache each: an editor's save invisible to the others
    # for up to ten minutes, and every rate limit multiplied by the number of workers.
    result = _load_prod_settings({**REQUIRED, "CACHE_URL": cache_url})
    assert result.returncode != 0
    assert "CACHE_URL must point at Redis" in result.stderr


def test_production_refuses_a_proxy_header_any_client_could_send():
    # Django's SECURE_PROXY_SSL_HEADER believes X-Forwarded-Proto from every peer; only
    # gunicorn (forwarded_allow_ips) can tell the proxy from a client that went round it.
    result = _load_prod_settings(
        {**REQUIRED, "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https"}
    )
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER is not used" in result.stderr
    shown = _load_prod_settings(REQUIRED, _PRINT_SETTING.format(name="SECURE_PROXY_SSL_HEADER"))
    assert shown.stdout.strip().splitlines()[-1] == "None"


def _production_values(**env) -> dict:
    result = _load_prod_settings({**REQUIRED, **env}, DUMP)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_bounds_every_wait_on_postgres_and_redis():
    values = _production_values(DATABASE_URL="postgres://nspm@db.example:5432/nspm")
    options = values["options"]
    assert options["connect_timeout"] == 3
    assert "-c statement_timeout=5000" in options["options"]
    assert "-c lock_timeout=2000" in options["options"]
    assert "-c idle_in_transaction_session_timeout=30000" in options["options"]
    assert options["keepalives"] == 1 and options["tcp_user_timeout"] == 10000
    assert values["conn_max_age"] == 0  # a new connection per request
    assert values["watchdog"] == 7
    assert values["slots"] == 3  # four gunicorn threads: one always free
    cache = values["cache"]
    assert cache["BACKEND"] == "pagecache.backends.ResilientRedisCache"
    assert cache["OPTIONS"]["socket_timeout"] < 1 and cache["OPTIONS"]["socket_connect_timeout"] < 1


def test_every_bound_can_be_changed_from_the_environment():
    values = _production_values(
        DATABASE_URL="postgres://nspm@db.example:5432/nspm",
        DB_CONNECT_TIMEOUT="4",
        DB_STATEMENT_TIMEOUT="0",
        DB_LOCK_TIMEOUT="1.5",
        DB_IDLE_IN_TRANSACTION_TIMEOUT="60",
        DB_QUERY_WATCHDOG="9",
        CONN_MAX_AGE="60",
        GUNICORN_THREADS="8",
        CACHE_TIMEOUT="0.1",
        CACHE_BREAKER_SECONDS="3",
    )
    options = values["options"]
    assert options["connect_timeout"] == 4
    assert "-c statement_timeout=0" in options["options"]
    assert "-c lock_timeout=1500" in options["options"]
    assert "-c idle_in_transaction_session_timeout=60000" in options["options"]
    assert values["watchdog"] == 9 and values["conn_max_age"] == 60 and values["slots"] == 7
    assert values["cache"]["OPTIONS"]["socket_timeout"] == 0.1
    assert values["cache"]["OPTIONS"]["BREAKER_SECONDS"] == 3


def test_statements_without_a_time_limit_are_not_cut_by_the_watchdog_either():
    assert _production_values(DB_STATEMENT_TIMEOUT="0")["watchdog"] == 0
    assert _production_values(DB_STATEMENT_TIMEOUT="10")["watchdog"] == 12


def test_the_rate_limit_checks_are_silenced_only_where_one_process_serves():
    from nspm_portal.settings import base

    assert not any("ratelimit" in check for check in getattr(base, "SILENCED_SYSTEM_CHECKS", []))
    # Production keeps the error for a cache that is not shared.
    assert _production_values()["silenced"] == ["django_ratelimit.W001"]


def test_settings_are_swedish_and_stockholm_time(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
