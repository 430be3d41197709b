"""What changed in one version of an object: each changed field, before and after.

Used by every history view of the admin (an object's "Historik", the rows edited inside it,
and /redaktion/andringar/). Values are shown as editors wrote them ("7 december 2026",
"12.00", "ja", the name of a related object), an empty value as "(tomt)", and long text as a
word-level difference of the whole text: inserted words in <ins>, deleted words in <del>,
everything escaped, nothing cut.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.models import DeletedObject
from simple_history.utils import get_m2m_reverse_field_name

#: Values longer than this (or with a line break) are shown as a word-level difference.
LONG_TEXT = 80

# Words, runs of whitespace, and runs of punctuation: a changed comma is not a changed word.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]+")


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    #: The whole text with insertions and deletions marked, for long text; else None.
    diff: SafeString | None = None


def empty() -> str:
    return _("(tomt)")


def record_changes(record, previous) -> list[FieldChange]:
    """The fields ``record`` changed compared with ``previous`` (an older version), or none."""
    if previous is None or record.history_type != "~":
        return []
    return differences(previous, record)


def differences(old, new) -> list[FieldChange]:
    """Every field in which version ``new`` differs from version ``old`` of the same object."""
    model = new.instance_type
    delta = new.diff_against(old, foreign_keys_are_objs=True)
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())}
    changes = sorted(delta.changes, key=lambda c: order.get(c.field, len(order)))
    return [
        field_change(model, change.field, change.old, change.new)
        for change in changes
        if _as_read(change.old) != _as_read(change.new)
    ]


def _as_read(value):
    """A text as a reader sees it: a browser sends a textarea's line breaks as CRLF, so an
    untouched text saved from a form is stored with other line breaks, not changed."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def field_change(model, name: str, old, new) -> FieldChange:
    field = _field(model, name)
    old_text, new_text = display_value(field, old), display_value(field, new)
    diff = None
    if _is_long(field, old, new):
        diff = word_diff(
            "" if old in (None, "") else str(old),
            "" if new in (None, "") else str(new),
        )
    label = capfirst(field.verbose_name) if field is not None else name
    return FieldChange(name=name, label=label, old=old_text, new=new_text, diff=diff)


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_long(field, old, new) -> bool:
    if isinstance(field, models.TextField):
        return True
    texts = [v for v in (old, new) if isinstance(v, str)]
    return any(len(t) > LONG_TEXT or "\n" in t for t in texts)


def display_value(field, value) -> str:
    """A stored value the way an editor reads it; never "None"."""
    if value is None or value == "" or value == []:
        return empty()
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, DeletedObject):
        return _("borttagen %(model)s") % {"model": value.model._meta.verbose_name}
    if isinstance(value, list):
        return ", ".join(_m2m_item(field, item) for item in value)
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, dt.time):
        return formats.time_format(value, "H.i")
    if isinstance(value, FieldFile):
        return value.name or empty()
    return str(value)


def _m2m_item(field, item) -> str:
    if isinstance(item, dict) and field is not None:
        return str(item.get(get_m2m_reverse_field_name(field), ""))
    return str(item)


def word_diff(old: str, new: str) -> SafeString:
    """``new`` in full, with the words ``old`` had and ``new`` has not in <del>, and the
    words ``new`` added in <ins>. Escaped; line breaks kept (the page shows them)."""
    a = _TOKENS.findall(old.replace("\r\n", "\n"))
    b = _TOKENS.findall(new.replace("\r\n", "\n"))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
