"""Drop the cached schedule whenever an editor (or anything else) changes helpline data."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .loader import snapshot_cache_clear


def _changed(sender, **kwargs):
    # Now, so this process stops serving the old value at once; and again after the
    # commit, so a request that read the old rows meanwhile cannot leave them cached.
    snapshot_cache_clear()
    transaction.on_commit(snapshot_cache_clear, robust=True)


def connect():
    from .models import Alternative, Helpline, HoursException, WeeklyHours

    for model in (Helpline, WeeklyHours, HoursException, Alternative):
        post_save.connect(_changed, sender=model, dispatch_uid=f"helpline-{model.__name__}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"helpline-{model.__name__}-delete"
        )
