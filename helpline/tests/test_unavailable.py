"""The 503 page (database down, hanging or busy) shows the helpline without asking the
database again: the schedule from the cache when it is there, the built-in numbers if not."""

import pytest
from django.test import RequestFactory

from common.database import mark_database_unavailable
from helpline.context_processors import HelplineContext
from helpline.loader import FALLBACK, load_snapshot
from helpline.tests.test_hours import local

pytestmark = pytest.mark.django_db

MONDAY_OPEN = local(2026, 11, 23, 10, 0)


def _unavailable_request():
    request = RequestFactory().get("/")
    mark_database_unavailable(request)
    return request


def test_with_the_schedule_in_the_cache_the_status_is_shown_without_a_query(
    helpline, django_assert_num_queries
):
    snapshot = load_snapshot()  # the cache now holds it
    context = HelplineContext(now=MONDAY_OPEN, request=_unavailable_request())
    with django_assert_num_queries(0):
        assert context.number_display == snapshot.info.number_display
        assert context.is_open is True


def test_without_it_the_built_in_numbers_are_shown_without_a_query(
    helpline, django_assert_num_queries
):
    context = HelplineContext(now=MONDAY_OPEN, request=_unavailable_request())
    with django_assert_num_queries(0):
        assert context.number_display == FALLBACK.number_display
        assert context.status is None  # no "open now" that nobody could check
