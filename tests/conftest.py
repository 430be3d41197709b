"""Shared fixtures for the browser, accessibility and security suites.

One Chromium per test session (Debian's, never a downloaded one); each test opens its own
context. Every request the browser makes to a host other than the live server is recorded
and refused, so no test can leak a request off the machine and the privacy test can prove
there were none.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.public_pages import PublicPage, build_public_pages

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Page caches and rate-limit counters live in the (process-wide) cache: each test
    # starts from nothing so the order of tests never matters.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser(_seed_snapshot):
    # Playwright's sync API keeps an asyncio loop in this thread; Django would otherwise
    # refuse ORM calls made from the test body while the browser is open.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # From here on Django hands out other connection objects (see _seed_snapshot); the
        # first browser test's restore must find the seed on the one it will be given.
        from django.db import connections

        if "default" in _SEED and not hasattr(connections["default"], "_test_serialized_contents"):
            connections["default"]._test_serialized_contents = _SEED["default"]
        yield chromium
        chromium.close()


# The seed content as Django serialized it when it created the test database.
_SEED: dict[str, str] = {}


def _capture_seed() -> None:
    from django.db import connections

    contents = getattr(connections["default"], "_test_serialized_contents", None)
    if contents is not None:
        _SEED.setdefault("default", contents)


@pytest.fixture(scope="session")
def _seed_snapshot(django_db_setup, django_db_blocker):
    """Keep the serialized seed where every later test can find it.

    Django keeps it on the connection object that created the database. Once Playwright's
    event loop runs in this thread, Django's connection handler (an asgiref Local) hands
    out other connection objects, without it, and Django would silently restore nothing.
    """
    _capture_seed()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Empty the database before a test that restores the seed content.

    Transactional tests elsewhere (any test using ``live_server``) end with a flush that
    re-runs post_migrate, which recreates content types and permissions. Restoring the
    serialized seed on top of those rows then breaks their unique constraints, so these
    tests start from a database emptied the way Django empties it for serialized rollback.
    """
    if "django_db_serialized_rollback" not in getattr(item, "fixturenames", ()):
        return
    from django.core.management import call_command
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    # Transactional tests in the apps (a live server) may already have flushed the
    # database, so take the snapshot now if the browser fixtures have not yet.
    _capture_seed()
    if "default" not in _SEED:
        return  # the test database is not created yet: it holds exactly the seed
    connection = connections["default"]
    if not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = _SEED["default"]
    with item.config.stash[blocking_manager_key].unblock():
        # As Django's own flush between such tests: sequences stay where they are, so rows
        # created after the restore never reuse the ids of restored ones (PostgreSQL).
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )


@pytest.fixture
def new_context(
    browser, live_server, transactional_db, django_db_serialized_rollback
) -> Iterator[Callable]:
    """Make a browser context; its ``outside_requests`` lists every refused foreign request."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "sv-SE")
        options.setdefault("viewport", {"width": 1280, "height": 800})
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(15_000)
        context.outside_requests = []

        def foreign(url: str) -> bool:
            return not (url.startswith(live_server.url + "/") or url == live_server.url)

        def refuse(route):
            context.outside_requests.append(route.request.url)
            route.abort()

        # Only foreign URLs are routed: the site's own requests go straight through.
        context.route(foreign, refuse)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def public_pages(new_context) -> list[PublicPage]:
    """Every public page to check, with the data it needs created.

    The live server shares the test database, so tests using it are transactional; the
    serialized rollback (requested by ``new_context``) puts the migrations' seed content
    back before each of them.
    """
    pages, _missing = build_public_pages()
    return pages


@pytest.fixture
def rebuild_public_pages(public_pages) -> Callable[[], list[PublicPage]]:
    """Build the list again for a second pass: some links (unsubscribe) work only once."""
    return lambda: build_public_pages()[0]


@pytest.fixture
def pages_for_client(db) -> list[PublicPage]:
    """The same page list for Django test client checks (no browser, no live server)."""
    pages, _missing = build_public_pages()
    return pages
