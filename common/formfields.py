"""Form fields for dates and times as Swedish editors write them, with messages that say how.

Every form that asks for a date or a time uses these (the admin through
``ADMIN_FORMFIELD_OVERRIDES``). What they accept is ``common.dateparse``'s rule; a value they
cannot read gets a message naming the expected form with an example.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dateparse import parse_date, parse_datetime, parse_time

DATE_MESSAGE = _("Skriv datumet som 7 december 2026 eller 2026-12-07.")
TIME_MESSAGE = _("Skriv tiden som 12.00.")
DATETIME_MESSAGE = _("Skriv datum och tid som 7 december 2026 12.00 eller 2026-12-07 12.00.")


def _text(value) -> str | None:
    """The submitted text, or None when the field was left empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


class SwedishDateField(forms.DateField):
    """2026-12-07, 7/12 2026, 7.12.2026, 7 december 2026, 7 dec 2026 – or without the year."""

    default_error_messages = {"invalid": DATE_MESSAGE}

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if text is None:
            return None
        parsed = parse_date(text, today=timezone.localdate())
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class SwedishTimeField(forms.TimeField):
    """12.00, 12:00, 1200, 12 (and 9.30, 930)."""

    default_error_messages = {"invalid": TIME_MESSAGE}

    def to_python(self, value):
        if isinstance(value, dt.time):
            return value
        text = _text(value)
        if text is None:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class SwedishDateTimeField(forms.DateTimeField):
    """A date and a time in one box: any accepted date, a space, any accepted time."""

    default_error_messages = {"invalid": DATETIME_MESSAGE}

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return from_current_timezone(value)
        if isinstance(value, dt.date):
            return from_current_timezone(dt.datetime.combine(value, dt.time()))
        text = _text(value)
        if text is None:
            return None
        parsed = parse_datetime(text, today=timezone.localdate())
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return from_current_timezone(parsed)


class SwedishSplitDateTimeField(forms.SplitDateTimeField):
    """A date box and a time box (the admin's widget), each read as the fields above."""

    default_error_messages = {"invalid_date": DATE_MESSAGE, "invalid_time": TIME_MESSAGE}

    def __init__(self, *, input_date_formats=None, input_time_formats=None, **kwargs):
        errors = {**self.default_error_messages, **kwargs.get("error_messages", {})}
        localize = kwargs.get("localize", False)
        fields = (
            SwedishDateField(error_messages={"invalid": errors["invalid_date"]}, localize=localize),
            SwedishTimeField(error_messages={"invalid": errors["invalid_time"]}, localize=localize),
        )
        # SplitDateTimeField.__init__ would build strptime-only sub-fields; MultiValueField's
        # takes these as they are.
        forms.MultiValueField.__init__(self, fields, **kwargs)


#: For ``formfield_overrides`` on every ModelAdmin and inline: the admin's own widgets
#: (calendar and clock shortcuts), read by the fields above.
ADMIN_FORMFIELD_OVERRIDES = {
    models.DateTimeField: {
        "form_class": SwedishSplitDateTimeField,
        "widget": admin_widgets.AdminSplitDateTime,
    },
    models.DateField: {"form_class": SwedishDateField, "widget": admin_widgets.AdminDateWidget},
    models.TimeField: {"form_class": SwedishTimeField, "widget": admin_widgets.AdminTimeWidget},
}
