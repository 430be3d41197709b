from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from helpline import hours
from helpline.loader import FALLBACK, build_snapshot, load_schedule, load_snapshot, status_now
from helpline.models import Alternative, Helpline, HoursException, WeeklyHours

pytestmark = pytest.mark.django_db


def add_exceptions(helpline, count):
    start = date(2027, 2, 1)
    for i in range(count):
        day = start + timedelta(days=2 * i)
        HoursException.objects.create(helpline=helpline, start_date=day, end_date=day)


def test_seed_gives_the_published_number_hours_and_alternatives(helpline):
    snapshot = build_snapshot()
    assert snapshot.info.number_display == "020-39 00 00"
    assert snapshot.info.number_e164 == "+4620390000"
    office = hours.Hours(time(9), time(16))
    assert snapshot.schedule.weekly == (office,) * 5 + (None, None)
    assert [(a.number, a.tel) for a in snapshot.info.alternatives] == [
        ("114 14", "11414"),
        ("", ""),
        ("112", "112"),
    ]
    assert "socialjouren" in snapshot.info.alternatives[1].text


@pytest.mark.parametrize("exceptions", [0, 40])
def test_loader_runs_four_queries_whatever_the_data(
    helpline, exceptions, django_assert_num_queries
):
    add_exceptions(helpline, exceptions)
    with django_assert_num_queries(4):
        snapshot = build_snapshot()
    assert len(snapshot.schedule.exceptions) == exceptions


def test_a_change_no_signal_announced_shows_after_helpline_cache_seconds(helpline, settings):
    # As in a second process with its own local-memory cache, which hears of no save here.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}
    }
    settings.HELPLINE_CACHE_SECONDS = 60
    start = datetime(2026, 11, 23, 10, tzinfo=hours.TZ)
    with time_machine.travel(start, tick=False) as traveller:
        load_snapshot()
        Helpline.objects.filter(pk=helpline.pk).update(number_display="08-123 456 78")
        traveller.shift(timedelta(seconds=59))
        assert load_snapshot().info.number_display == "020-39 00 00"
        traveller.shift(timedelta(seconds=2))
        assert load_snapshot().info.number_display == "08-123 456 78"


def test_second_load_comes_from_the_cache(helpline, django_assert_num_queries):
    load_snapshot()
    with django_assert_num_queries(0):
        assert load_snapshot().info.number_display == "020-39 00 00"


@pytest.mark.parametrize(
    "change", ["hours", "exception", "delete_exception", "number", "alternative"]
)
def test_every_save_or_delete_drops_the_cached_schedule(helpline, change):
    existing = HoursException.objects.create(
        helpline=helpline, start_date=date(2027, 3, 1), end_date=date(2027, 3, 1)
    )
    before = load_snapshot()
    if change == "hours":
        row = WeeklyHours.objects.get(helpline=helpline, weekday=0)
        row.closes = time(17)
        row.save()
    elif change == "exception":
        HoursException.objects.create(
            helpline=helpline, start_date=date(2027, 4, 1), end_date=date(2027, 4, 1)
        )
    elif change == "delete_exception":
        existing.delete()
    elif change == "number":
        helpline.number_display = "08-123 456 78"
        helpline.save()
    else:
        Alternative.objects.create(helpline=helpline, text="Ny rad", number="112", order=9)
    assert load_snapshot() != before


def test_the_cached_schedule_is_dropped_again_when_the_change_commits(
    helpline, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        WeeklyHours.objects.filter(weekday=5).update()  # not a save: nothing is dropped
        row = WeeklyHours.objects.get(helpline=helpline, weekday=5)
        row.opens, row.closes = time(10), time(14)
        row.save()
        # A request before the commit caches what it read (in production, maybe the old rows).
        load_snapshot()
        with django_assert_num_queries(0):
            load_snapshot()
    with django_assert_num_queries(4):  # the commit dropped it: read again
        assert load_snapshot().schedule.weekly[5] == hours.Hours(time(10), time(14))


def test_without_a_helpline_the_numbers_fall_back_and_nothing_opens(db):
    Helpline.objects.all().delete()
    snapshot = build_snapshot()
    assert snapshot.info == FALLBACK
    assert snapshot.schedule is None
    assert load_schedule().weekly == (None,) * 7


def test_status_now_follows_the_stored_schedule(helpline):
    monday_ten = datetime(2026, 11, 23, 10, tzinfo=hours.TZ)
    assert status_now(monday_ten) == hours.Status(
        is_open=True, closes_at=datetime(2026, 11, 23, 16, tzinfo=hours.TZ)
    )
    row = WeeklyHours.objects.get(helpline=helpline, weekday=0)
    row.opens = time(11)
    row.save()
    assert status_now(monday_ten) == hours.Status(
        is_open=False, opens_at=datetime(2026, 11, 23, 11, tzinfo=hours.TZ)
    )


def test_status_now_without_a_helpline_is_closed_with_nothing_planned(db):
    Helpline.objects.all().delete()
    assert status_now() == hours.Status(is_open=False)


def test_loader_raises_database_errors_for_the_caller_to_handle(database_down):
    from django.db import DatabaseError

    with pytest.raises(DatabaseError):
        build_snapshot()
    with pytest.raises(DatabaseError):
        status_now()
