"""What the apps tell the page cache, from their own ``AppConfig.ready()``.

- ``register_models(*models)``: saving, deleting or changing a many-to-many relation of
  one of these models changes what public pages show, so every stored page becomes stale.
  Register the models a visitor sees, not their history tables or private data (a
  subscriber's signup must not empty the cache).
- ``register_next_change(callable)``: ``callable(now)`` returns when content shown on
  pages next changes by itself (the helpline opening or closing), or None. A stored page
  expires then. It may raise (e.g. a ``DatabaseError``): a page whose expiry cannot be known
  is not stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

_models: set[str] = set()
_next_changes: list[Callable[[datetime], datetime | None]] = []


def register_models(*models) -> None:
    for model in models:
        _models.add(model._meta.label_lower)


def register_next_change(function: Callable[[datetime], datetime | None]) -> None:
    if function not in _next_changes:
        _next_changes.append(function)


def is_registered(model) -> bool:
    meta = getattr(model, "_meta", None)
    return meta is not None and meta.label_lower in _models


def next_changes(now: datetime) -> list[datetime]:
    """Every registered next change after ``now`` (raises what a callable raises)."""
    moments = (function(now) for function in _next_changes)
    return [moment for moment in moments if moment is not None]


def registered_models() -> frozenset[str]:
    return frozenset(_models)
