import pytest

from pagecache import expiry, registry
from pagecache.tests.urls import RENDERS


@pytest.fixture
def views(settings):
    """The test views of pagecache/tests/urls.py; ``views["count"]`` counts renders."""
    settings.ROOT_URLCONF = "pagecache.tests.urls"
    RENDERS["count"] = 0
    return RENDERS


@pytest.fixture
def no_next_change(monkeypatch):
    """Pages whose expiry does not depend on any app's schedule (for rules about storing)."""
    monkeypatch.setattr(expiry, "next_changes", lambda now: [])


@pytest.fixture
def group_is_content(monkeypatch):
    """``auth.Group`` registered as a content model (the page cache knows no app's models)."""
    monkeypatch.setattr(registry, "_models", set(registry.registered_models()) | {"auth.group"})
