"""Drop the cached schedule whenever an editor (or anything else) changes helpline data."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from .loader import snapshot_cache_clear

# Sent after the transaction that changed the helpline commits; a page cache listens to it.
schedule_changed = Signal()


def _changed(sender, **kwargs):
    # Now, so this process stops serving the old value at once; and again after the
    # commit, so a request that read the old rows meanwhile cannot leave them cached.
    snapshot_cache_clear()
    transaction.on_commit(_after_commit, robust=True)


def _after_commit():
    snapshot_cache_clear()
    schedule_changed.send(sender=schedule_changed)


def connect():
    from .models import Alternative, Helpline, HoursException, WeeklyHours

    for model in (Helpline, WeeklyHours, HoursException, Alternative):
        post_save.connect(_changed, sender=model, dispatch_uid=f"helpline-{model.__name__}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"helpline-{model.__name__}-delete"
        )
