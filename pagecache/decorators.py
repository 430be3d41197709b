from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.http import QueryDict

from .keys import PARAMS_ATTRIBUTE, canonical_query

#: Set on a response that ``PageCacheMiddleware`` may store.
MARK = "page_cache_may_store"


def cache_public_page(view=None, *, params: Iterable[str] = ()):
    """Let ``PageCacheMiddleware`` store this view's GET responses.

    ``params`` names the query parameters the view reads. The view sees only those, each
    with its last value, so its answer depends on nothing the cache key leaves out::

        @cache_public_page(params=["kommun"])
        def coordinators(request): ...

    A view that needs every value of a repeated parameter (``getlist``) cannot be cached
    this way.
    """
    if isinstance(params, str):
        raise TypeError('params is a list of names: params=["kommun"]')
    names = tuple(sorted(set(params)))

    def decorate(function):
        @wraps(function)
        def wrapper(request, *args, **kwargs):
            if request.method in ("GET", "HEAD"):
                request.GET = QueryDict(canonical_query(request.GET, names))
            response = function(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                setattr(response, MARK, True)
            return response

        setattr(wrapper, PARAMS_ATTRIBUTE, names)
        return wrapper

    if view is not None:
        return decorate(view)
    return decorate
