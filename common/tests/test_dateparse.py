"""Dates and times as Swedish editors write them: one rule, every accepted form, clear refusals."""

import datetime as dt

import pytest
from django import forms
from django.utils import formats, translation

from common.dateparse import month_number, parse_date, parse_datetime, parse_time
from common.formfields import (
    SwedishDateField,
    SwedishDateTimeField,
    SwedishSplitDateTimeField,
    SwedishTimeField,
)

TODAY = dt.date(2026, 11, 20)
DECEMBER_7 = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-07",
        "7/12 2026",
        "7/12/2026",
        "7.12.2026",
        "07.12.2026",
        "7 december 2026",
        "7 December 2026",
        "7 dec 2026",
        "7 dec. 2026",
        "måndag 7 december 2026",
        "  7   december   2026 ",
        "7\xa0december\xa02026",
        "20261207",
    ],
)
def test_every_accepted_date_form(text):
    assert parse_date(text, today=TODAY) == DECEMBER_7


@pytest.mark.parametrize("text", ["7 december", "7 dec", "7/12", "7.12", "7.12."])
def test_a_date_without_a_year_is_the_next_one_on_or_after_today(text):
    assert parse_date(text, today=TODAY) == DECEMBER_7
    assert parse_date(text, today=DECEMBER_7) == DECEMBER_7
    assert parse_date(text, today=dt.date(2026, 12, 8)) == dt.date(2027, 12, 7)


def test_29_february_without_a_year_is_the_next_leap_day():
    assert parse_date("29 februari", today=TODAY) == dt.date(2028, 2, 29)


def test_day_and_month_are_never_read_the_american_way():
    assert parse_date("12/7 2026", today=TODAY) == dt.date(2026, 7, 12)
    assert parse_date("12/7/2026", today=TODAY) == dt.date(2026, 7, 12)


@pytest.mark.parametrize(
    "text",
    ["", "igår", "31 april 2026", "32/1 2026", "7 xyz 2026", "7 ma 2026", "2026-13-01", "7/13"],
)
def test_what_is_not_a_date_is_refused(text):
    assert parse_date(text, today=TODAY) is None


@pytest.mark.parametrize(
    ("word", "month"), [("dec", 12), ("sept", 9), ("Okt.", 10), ("maj", 5), ("ju", None)]
)
def test_month_names_and_abbreviations(word, month):
    assert month_number(word) == month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.00", dt.time(12)),
        ("12:00", dt.time(12)),
        ("1200", dt.time(12)),
        ("12", dt.time(12)),
        ("9", dt.time(9)),
        ("930", dt.time(9, 30)),
        ("kl. 9.30", dt.time(9, 30)),
        ("00.00", dt.time(0)),
        ("12:00:00", dt.time(12)),
    ],
)
def test_every_accepted_time_form(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "24.00", "12.60", "nio", "12345", "25:99", "12,5"])
def test_what_is_not_a_time_is_refused(text):
    assert parse_time(text) is None


def test_date_and_time_together():
    moment = dt.datetime(2026, 12, 7, 12, 0)
    assert parse_datetime("7 december 2026 12.00", today=TODAY) == moment
    assert parse_datetime("2026-12-07 12:00", today=TODAY) == moment
    assert parse_datetime("7/12 2026 kl. 12", today=TODAY) == moment
    assert parse_datetime("7 dec kl.12.00", today=TODAY) == moment
    assert parse_datetime("7 december", today=TODAY) is None


def test_the_formats_are_read_from_the_swedish_format_module_whatever_the_language():
    with translation.override(None):
        assert parse_date("7/12 2026", today=TODAY) == DECEMBER_7
    with translation.override("sv"):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%Y-%m-%d"
        assert formats.get_format("TIME_INPUT_FORMATS")[0] == "%H.%M"
        assert formats.time_format(dt.time(9, 5)) == "09.05"


class EventForm(forms.Form):
    day = SwedishDateField()
    at = SwedishTimeField()
    moment = SwedishDateTimeField(required=False)
    split = SwedishSplitDateTimeField(required=False)


def test_the_fields_say_what_form_they_want_with_an_example():
    form = EventForm(
        {
            "day": "7 decembr 2026",
            "at": "12,00",
            "moment": "i morgon",
            "split_0": "7 december 2026",
            "split_1": "tolv",
        }
    )
    assert not form.is_valid()
    assert form.errors["day"] == ["Skriv datumet som 7 december 2026 eller 2026-12-07."]
    assert form.errors["at"] == ["Skriv tiden som 12.00."]
    assert form.errors["moment"] == [
        "Skriv datum och tid som 7 december 2026 12.00 eller 2026-12-07 12.00."
    ]
    assert form.errors["split"] == ["Skriv tiden som 12.00."]


def test_the_fields_accept_swedish_forms_and_the_split_field_is_local_time():
    form = EventForm(
        {"day": "7 dec 2026", "at": "1200", "split_0": "7.12.2026", "split_1": "12.00"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == DECEMBER_7
    assert form.cleaned_data["at"] == dt.time(12)
    split = form.cleaned_data["split"]
    assert split.isoformat() == "2026-12-07T12:00:00+01:00"


def test_a_split_date_time_with_only_a_time_asks_for_the_date():
    form = EventForm({"day": "2026-12-07", "at": "12", "split_0": "", "split_1": "12.00"})
    assert not form.is_valid()
    assert form.errors["split"] == ["Skriv datumet som 7 december 2026 eller 2026-12-07."]
