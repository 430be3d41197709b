"""`manage.py purge_feedback`: answers older than twelve months are deleted, daily."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from feedback.models import PageFeedback
from feedback.services import months_before
from pages.models import Page

pytestmark = pytest.mark.django_db

TODAY = datetime(2027, 3, 15, 3, 15, tzinfo=ZoneInfo("Europe/Stockholm"))


def answer(day: date, comment: str = "") -> PageFeedback:
    return PageFeedback.objects.create(
        page=Page.objects.by_slug(Page.ABOUT), helpful=not comment, comment=comment, created_on=day
    )


def test_answers_older_than_twelve_months_are_deleted_and_newer_kept():
    old = answer(date(2026, 3, 14), comment="Ett namn någon skrev")
    older = answer(date(2025, 1, 2))
    boundary = answer(date(2026, 3, 15))
    recent = answer(date(2027, 3, 1), comment="Saknar öppettider")
    out = StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("purge_feedback", stdout=out)
    assert set(PageFeedback.objects.values_list("pk", flat=True)) == {boundary.pk, recent.pk}
    assert not PageFeedback.objects.filter(pk__in=[old.pk, older.pk]).exists()
    assert out.getvalue().strip() == "Raderade 2 svar äldre än 12 månader."


def test_running_it_again_deletes_nothing_more():
    answer(date(2025, 1, 2))
    with time_machine.travel(TODAY, tick=False):
        call_command("purge_feedback", stdout=StringIO())
        out = StringIO()
        call_command("purge_feedback", stdout=out)
    assert "Raderade 0 svar" in out.getvalue()


def test_a_shorter_period_can_be_given():
    answer(date(2027, 1, 10))
    answer(date(2027, 3, 1))
    with time_machine.travel(TODAY, tick=False):
        call_command("purge_feedback", "--months", "1", stdout=StringIO())
    assert list(PageFeedback.objects.values_list("created_on", flat=True)) == [date(2027, 3, 1)]


def test_a_period_below_one_month_is_refused():
    answer(date(2027, 3, 1))
    with pytest.raises(CommandError, match="minst 1"):
        call_command("purge_feedback", "--months", "0")
    assert PageFeedback.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 3, 15), 12, date(2026, 3, 15)),
        (date(2027, 3, 31), 1, date(2027, 2, 28)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2027, 1, 31), 2, date(2026, 11, 30)),
        (date(2027, 1, 5), 13, date(2025, 12, 5)),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert months_before(day, months) == expected
