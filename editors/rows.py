"""Rows edited inside another object's form (inlines) and their history.

A weekday's opening hours, a contact's phone number, an alternative when the helpline is
closed: these rows have history of their own but no admin page, so their versions are shown
on the parent's "Historik" page (``row_history``), each with a button that restores it after
a confirmation (``restore_target`` finds what may be restored; the writing is
``editors.services.history_row_restore``).

Who may restore is what the parent's form allows: changing the parent, and changing the row
(or adding it again, when it has been deleted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .changelog import model_key
from .history import FieldChange, differences, record_changes

#: Versions shown per kind of row on a parent's history page.
LIMIT = 100


@dataclass(frozen=True)
class RowVersion:
    when: dt.datetime
    who: str
    kind: str
    reason: str
    row: str
    changes: tuple[FieldChange, ...]
    restore_url: str | None


@dataclass(frozen=True)
class RowSection:
    title: str
    versions: tuple[RowVersion, ...]


@dataclass(frozen=True)
class RestoreTarget:
    parent_admin: object
    parent: Model
    record: object
    #: The row as it is now, or None when it has been deleted.
    current: object | None
    #: What restoring changes: each field from its value now to the version's.
    changes: tuple[FieldChange, ...]


def has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def history_of(model):
    return getattr(model, model._meta.simple_history_manager_attribute)


def _parent_link(inline, parent_model):
    """The row model's foreign key to the parent, as the inline's form uses it."""
    links = [
        field
        for field in inline.model._meta.fields
        if field.many_to_one
        and field.related_model is parent_model
        and inline.fk_name in (None, field.name)
    ]
    return links[0] if len(links) == 1 else None


def who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.get_username()) if user else _("okänd (system)")


def row_history(request, model_admin, parent) -> list[RowSection]:
    """Each inline's row versions for ``parent``, newest first, with restore links."""
    sections = []
    for inline in model_admin.get_inline_instances(request, parent):
        link = _parent_link(inline, model_admin.model)
        if link is None or not has_history(inline.model):
            continue
        records = list(
            history_of(inline.model)
            .filter(**{link.attname: parent.pk})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        may_change = model_admin.has_change_permission(
            request, parent
        ) and inline.has_change_permission(request, parent)
        may_add = model_admin.has_change_permission(request, parent) and inline.has_add_permission(
            request, parent
        )
        versions = _versions(inline.model, records, may_change=may_change, may_add=may_add)
        if versions:
            sections.append(
                RowSection(
                    title=capfirst(inline.model._meta.verbose_name_plural),
                    versions=tuple(reversed(versions))[:LIMIT],
                )
            )
    return sections


def _versions(model, records, *, may_change: bool, may_add: bool) -> list[RowVersion]:
    pk_name = model._meta.pk.attname
    latest = {}
    for record in records:
        latest[getattr(record, pk_name)] = record
    previous = {}
    versions = []
    for record in records:
        row_pk = getattr(record, pk_name)
        last = latest[row_pk]
        deleted = last.history_type == "-"
        restorable = record.history_type != "-" and (
            (deleted and may_add) or (not deleted and may_change and record is not last)
        )
        versions.append(
            RowVersion(
                when=record.history_date,
                who=who(record),
                kind=record.get_history_type_display(),
                reason=record.history_change_reason or "",
                row=str(record.history_object),
                changes=tuple(record_changes(record, previous.get(row_pk))),
                restore_url=reverse("admin:restore_row", args=[model_key(model), record.history_id])
                if restorable
                else None,
            )
        )
        previous[row_pk] = record
    return versions


def restore_target(request, admin_site, key: str, history_id: int) -> RestoreTarget:
    """The row version to restore and its parent, if this user may restore it.

    Http404 for anything that does not name a version of an inline row; PermissionDenied
    when the user may not change the parent or the row.
    """
    try:
        model = apps.get_model(key)
    except (LookupError, ValueError):
        raise Http404 from None
    if not has_history(model):
        raise Http404
    record = history_of(model).filter(history_id=history_id).first()
    if record is None or record.history_type == "-":
        raise Http404
    for field in model._meta.fields:
        if not field.many_to_one or not admin_site.is_registered(field.related_model):
            continue
        parent_admin = admin_site.get_model_admin(field.related_model)
        parent = parent_admin.get_object(request, str(getattr(record, field.attname)))
        if parent is None:
            continue
        for inline in parent_admin.get_inline_instances(request, parent):
            if inline.model is model and _parent_link(inline, parent_admin.model) == field:
                return _target(request, parent_admin, inline, parent, record)
    raise Http404


def _target(request, parent_admin, inline, parent, record) -> RestoreTarget:
    model = record.instance_type
    row_pk = getattr(record, model._meta.pk.attname)
    current = model._default_manager.filter(pk=row_pk).first()
    allowed = parent_admin.has_change_permission(request, parent) and (
        inline.has_change_permission(request, parent)
        if current is not None
        else inline.has_add_permission(request, parent)
    )
    if not allowed:
        raise PermissionDenied
    latest = (
        history_of(model)
        .filter(**{model._meta.pk.attname: row_pk})
        .order_by("-history_date", "-history_id")
        .first()
    )
    changes = differences(latest, record) if current is not None and latest is not None else []
    return RestoreTarget(
        parent_admin=parent_admin,
        parent=parent,
        record=record,
        current=current,
        changes=tuple(changes),
    )
