"""Suite-wide switches: what a fresh machine may lack is skipped with a reason, never in CI.

CI sets NSPM_REQUIRE_ALL=1: then a missing Postgres, Chromium, Node or Java is a failure,
not a skip, so a green CI means every test ran.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_ALL = os.environ.get("NSPM_REQUIRE_ALL") == "1"


def _database_is_postgres() -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _missing(marker: str) -> str | None:
    if marker == "postgres" and not _database_is_postgres():
        return (
            "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/nspm "
            "and run `make test` again"
        )
    if marker == "browser" and not Path(CHROMIUM).exists():
        return f"needs Chromium at {CHROMIUM}: `apt-get install chromium`"
    if marker == "node":
        if not shutil.which("node"):
            return "needs Node.js: install it, then `make test` runs `npm ci`"
        if not (ROOT / "node_modules" / "axe-core").exists():
            return "needs the npm packages: run `npm ci`"
    if marker == "java":
        if not shutil.which("java"):
            return "needs Java 11+ for the Nu Html Checker: `apt-get install default-jre-headless`"
        if not (ROOT / "node_modules" / "vnu-jar").exists():
            return "needs the npm package vnu-jar: run `npm ci`"
    return None


def pytest_sessionstart(session):
    if REQUIRE_ALL and not _database_is_postgres():
        raise pytest.UsageError("NSPM_REQUIRE_ALL=1 but DATABASE_URL does not point at PostgreSQL")


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker in ("postgres", "browser", "node", "java"):
            if item.get_closest_marker(marker) is None:
                continue
            reason = _missing(marker)
            if reason is None:
                continue
            if REQUIRE_ALL:
                item.user_properties.append(("missing", reason))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item):
    for name, reason in item.user_properties:
        if name == "missing":
            pytest.fail(f"CI must run this test, but it {reason}", pytrace=False)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with an empty cache: no page or rate-limit count from another test
    (whose rows were rolled back, or whose clock was elsewhere) can leak into it."""
    from django.core.cache import cache

    from common.logging import forget_warnings
    from pagecache import forget_local_copies

    cache.clear()
    forget_local_copies()
    forget_warnings()


@pytest.fixture(autouse=True)
def _swedish_by_default():
    """Each test starts in Swedish, the site's default: a request to an English page leaves
    English active in the thread (LocaleMiddleware does not switch back), and ``reverse()``
    in the next test would otherwise give an English path."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.activate("sv")


@pytest.fixture
def editor(db):
    """A member of the Redaktör group (with a one-time-code device)."""
    from django.contrib.auth.models import Group

    from editors.testing import make_staff

    user, _ = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
    return user


@pytest.fixture
def editor_client(client, editor):
    """The test client logged in as ``editor``, one-time code verified."""
    from editors.testing import login_verified

    return login_verified(client, editor)


@pytest.fixture
def redis_cache(settings):
    """The default cache on a Redis database of the page-cache tests' own
    (``OPS_PAGE_REDIS_URL``), emptied before and after; the raw client."""
    import redis

    from pagecache import forget_local_copies
    from tests.ops.servers import redis_problem

    url = os.environ.get("OPS_PAGE_REDIS_URL", "redis://127.0.0.1:6379/5")
    problem = redis_problem(url)
    if problem:
        (pytest.fail if os.environ.get("NSPM_REQUIRE_ALL") == "1" else pytest.skip)(problem)
    settings.CACHES = {
        "default": {"BACKEND": "pagecache.backends.ResilientRedisCache", "LOCATION": url}
    }
    raw = redis.Redis.from_url(url)
    raw.flushdb()
    yield raw
    raw.flushdb()
    forget_local_copies()
