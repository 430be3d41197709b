import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # Public pages are cached process-wide; each test starts without another test's pages.
    cache.clear()
    yield
    cache.clear()
