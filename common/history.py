"""Notes on a version django-simple-history has just recorded."""

from __future__ import annotations

import datetime as dt

from django.db.models import Model


def history_record_note(
    instance: Model, *, user=None, reason: str = "", when: dt.datetime | None = None
) -> None:
    """Say on the version of ``instance`` just saved who made it, why, and (for a change
    that took effect at a set time) when.

    django-simple-history takes the user from the request and the time from the clock; a
    restore or a scheduled publication knows better. Call it right after the save, in the
    same transaction.
    """
    manager = getattr(instance, instance._meta.simple_history_manager_attribute)
    record = manager.latest()
    if user is not None:
        record.history_user = user
    if reason:
        record.history_change_reason = reason
    if when is not None:
        record.history_date = when
    record.save()
