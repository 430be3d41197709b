"""A page's "Senast uppdaterad" date follows its text on any save, not only the admin's."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from pages.models import Page

pytestmark = pytest.mark.django_db

# 22.30 UTC on 10 June is 00.30 on 11 June in Stockholm: "today" is the Swedish date.
LATE_EVENING_UTC = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)
TODAY_IN_STOCKHOLM = date(2026, 6, 11)


def stored(page: Page) -> date:
    return Page.objects.values_list("updated_on", flat=True).get(pk=page.pk)


@time_machine.travel(LATE_EVENING_UTC, tick=False)
@pytest.mark.parametrize("field", ["title", "description", "body"])
def test_a_plain_save_that_changes_the_text_moves_the_date_to_today(field):
    page = Page.objects.by_slug(Page.ABOUT)
    assert page.updated_on != TODAY_IN_STOCKHOLM
    setattr(page, field, getattr(page, field) + " Ny mening.")
    page.save()
    assert stored(page) == TODAY_IN_STOCKHOLM


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_saving_without_a_text_change_keeps_the_date():
    page = Page.objects.by_slug(Page.PRIVACY)
    seeded = page.updated_on
    page.published_on = date(2020, 1, 2)
    page.body = "\r\n" + page.body.replace("\n", "\r\n") + "  "  # as a browser sends it
    page.save()
    assert stored(page) == seeded
    assert Page.objects.get(pk=page.pk).published_on == date(2020, 1, 2)


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_the_date_cannot_be_set_by_hand_while_the_text_stays_the_same():
    page = Page.objects.by_slug(Page.PRIVACY)
    seeded = page.updated_on
    page.updated_on = date(1999, 1, 1)
    page.save()
    assert stored(page) == seeded


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_saving_only_the_text_fields_still_stores_the_new_date():
    page = Page.objects.by_slug(Page.ABOUT)
    page.title = "Om oss"
    page.save(update_fields=["title"])
    assert stored(page) == TODAY_IN_STOCKHOLM


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_a_new_page_is_dated_today_unless_it_brings_its_own_date():
    fields = {"title": "T", "description": "D", "body": "B", "published_on": date(2024, 1, 1)}
    new = Page.objects.create(slug="ny", **fields)
    assert stored(new) == TODAY_IN_STOCKHOLM
    imported = Page.objects.create(slug="importerad", updated_on=date(2024, 5, 6), **fields)
    assert stored(imported) == date(2024, 5, 6)
