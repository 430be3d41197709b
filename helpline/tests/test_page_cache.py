"""The helpline tells the page cache when its status next changes (in HelplineConfig.ready)."""

import pytest

from helpline.loader import next_status_change
from helpline.tests.test_hours import local
from pagecache.registry import next_changes

pytestmark = pytest.mark.django_db

MONDAY_OPEN = local(2026, 11, 23, 10, 0)  # seeded hours: weekdays 09.00–16.00


def test_the_next_change_is_the_closing_while_open_and_the_opening_while_closed(helpline):
    assert next_status_change(MONDAY_OPEN) == local(2026, 11, 23, 16, 0)
    assert next_status_change(local(2026, 11, 23, 17, 0)) == local(2026, 11, 24, 9, 0)


def test_the_page_cache_asks_the_helpline(helpline):
    assert local(2026, 11, 23, 16, 0) in next_changes(MONDAY_OPEN)
