"""One list of the latest changes to all content, at /redaktion/andringar/.

Each model's own "Historik" page shows that model's changes. Rows edited inline (a
weekday's opening hours inside the helpline, a phone number inside a contact) have
history too but no page of their own; this list shows them with everything else: who,
when, and the names of the changed fields, each entry linking to a page with every
changed field before and after (editors.history). Only models with django-simple-history
appear, and subscriber data has none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from heapq import merge
from itertools import islice

from django.contrib.auth import get_permission_codename
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.models import registered_models

from .history import FieldChange, record_changes

LIMIT = 100


@dataclass(frozen=True)
class Entry:
    when: dt.datetime
    who: str
    model: str
    model_key: str
    object: str
    kind: str
    reason: str
    changes: tuple[FieldChange, ...]
    admin_url: str | None
    diff_url: str


def visible_models(user) -> list[type[Model]]:
    """Models with history that ``user`` may view, in a stable order."""
    models = []
    for model in registered_models.values():
        opts = model._meta
        if getattr(opts, "auto_created", False):
            continue
        codenames = (get_permission_codename(a, opts) for a in ("view", "change"))
        if any(user.has_perm(f"{opts.app_label}.{c}") for c in codenames):
            models.append(model)
    return sorted(models, key=lambda m: str(m._meta.verbose_name_plural))


def model_key(model) -> str:
    return model._meta.label_lower


def latest_changes(user, *, only: str | None = None, limit: int = LIMIT) -> list[Entry]:
    models = [m for m in visible_models(user) if only in (None, model_key(m))]
    streams = []
    for model in models:
        manager = getattr(model, model._meta.simple_history_manager_attribute)
        records = manager.select_related("history_user").order_by("-history_date", "-pk")
        streams.append(iter(records[:limit]))
    newest_first = merge(*streams, key=lambda r: r.history_date, reverse=True)
    return [_entry(record) for record in islice(newest_first, limit)]


def find_record(user, key: str, history_id: int):
    """One version of an object the user may view, with the version before it; or None."""
    model = next((m for m in visible_models(user) if model_key(m) == key), None)
    if model is None:
        return None
    manager = getattr(model, model._meta.simple_history_manager_attribute)
    record = manager.select_related("history_user").filter(history_id=history_id).first()
    return None if record is None else _entry(record)


def _entry(record) -> Entry:
    model = record.instance_type
    opts = model._meta
    changes = tuple(record_changes(record, record.prev_record))
    user = record.history_user
    return Entry(
        when=record.history_date,
        who=(user.get_full_name() or user.get_username()) if user else _("okänd (system)"),
        model=capfirst(opts.verbose_name),
        model_key=model_key(model),
        object=str(record.history_object),
        kind=record.get_history_type_display(),
        reason=record.history_change_reason or "",
        changes=changes,
        admin_url=_admin_url(model, record) if record.history_type != "-" else None,
        diff_url=reverse("admin:change_detail", args=[model_key(model), record.history_id]),
    )


def _admin_url(model, record) -> str | None:
    opts = model._meta
    try:
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.instance.pk]
        )
    except NoReverseMatch:
        return None
