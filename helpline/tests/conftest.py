import pytest
from django.core.cache import cache
from django.db import OperationalError, connection

from helpline.models import Helpline


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The schedule and pages live in the cache; a test's rolled-back rows must not leak.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def helpline(db):
    """The helpline the data migration seeds."""
    return Helpline.objects.current()


@pytest.fixture
def database_down(db):
    """Every query fails as if the database server were gone (the edge of the world)."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield
