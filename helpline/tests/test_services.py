from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import ValidationError

from helpline.context_processors import HelplineContext
from helpline.services import hours_exception_create, weekly_hours_set
from helpline.tests.test_hours import local

pytestmark = pytest.mark.django_db


def status_text_at(moment):
    with time_machine.travel(moment, tick=False):
        return HelplineContext(now=moment).status_text


def test_weekly_hours_set_changes_the_status_at_once(helpline):
    assert status_text_at(local(2026, 11, 28, 10)).startswith("Stängt – öppnar måndag")
    weekly_hours_set(weekday=5, opens=time(10), closes=time(14))
    assert status_text_at(local(2026, 11, 28, 10)) == "Öppet nu – stänger kl. 14.00"


def test_weekly_hours_set_refuses_closing_before_opening(helpline):
    with pytest.raises(ValidationError) as error:
        weekly_hours_set(weekday=0, opens=time(16), closes=time(9))
    assert "måste vara senare än öppningstiden" in str(error.value.message_dict["closes"])


def test_hours_exception_create_closed_and_special(helpline):
    hours_exception_create(start_date=date(2026, 11, 30), note="Planeringsdag")
    assert status_text_at(local(2026, 11, 27, 17)) == (
        "Stängt – öppnar tisdag 1 december kl. 09.00"
    )
    special = hours_exception_create(start_date=date(2026, 12, 2), opens=time(12), closes=time(15))
    assert special.end_date == date(2026, 12, 2)
    assert status_text_at(local(2026, 12, 2, 10)) == "Stängt – öppnar i dag kl. 12.00"


def test_hours_exception_create_refuses_overlaps(helpline):
    hours_exception_create(start_date=date(2026, 12, 28), end_date=date(2026, 12, 30))
    with pytest.raises(ValidationError) as error:
        hours_exception_create(start_date=date(2026, 12, 30), end_date=date(2027, 1, 2))
    assert "överlappar" in str(error.value.message_dict["start_date"])
