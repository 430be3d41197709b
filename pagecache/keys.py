"""Cache keys: one per page as the view sees it, and nothing else.

The key starts with the active language. A view declares the query parameters it reads
(``@cache_public_page(params=["kommun"])``).
The key holds the scheme, host and path, and only those parameters, each with the value the
view uses: the last one when a parameter is repeated, as ``QueryDict.get()`` and Django's
forms do. The decorator hands the view exactly that (``decorators.py``), so whatever the
order of the parameters and whatever else the query string carries, one key stands for one
answer and unknown parameters neither add entries nor miss the cache.
"""

from __future__ import annotations

import hashlib
import importlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.translation import get_language

KEY_PREFIX = "pagecache:page"
STAFF_PREFIX = "pagecache:staff"
PARAMS_ATTRIBUTE = "page_cache_params"

#: Query strings (of the declared parameters) longer than this are rendered but not stored:
#: they are not links anyone publishes, and storing them would let a crawler fill the cache.
MAX_QUERY_LENGTH = 256

_HASHED_SUFFIXES = {".py", ".html", ".txt", ".mo", ".svg"}


def canonical_params(query, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The declared parameters present in ``query`` (a QueryDict), sorted, last value each."""
    return [(name, query[name]) for name in sorted(names) if name in query]


def canonical_query(query, names: tuple[str, ...]) -> str:
    return urlencode(canonical_params(query, names))


def page_key(request, names: tuple[str, ...]) -> str:
    scheme = "https" if request.is_secure() else "http"
    query = canonical_query(request.GET, names)
    # The language is in the path today (/en/…), but it is what a page is rendered in, so it
    # is in the key whatever decides it (LocaleMiddleware runs before the cache).
    raw = f"{get_language()}|{scheme}://{request.get_host()}{request.path}?{query}"
    return f"{KEY_PREFIX}:{build_id()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def declared_params(path: str) -> tuple[str, ...] | None:
    """The parameters the view at ``path`` reads, or None when it is not a cached page."""
    return _declared_params(get_urlconf() or settings.ROOT_URLCONF, path)


@lru_cache(maxsize=1024)
def _declared_params(urlconf: str, path: str) -> tuple[str, ...] | None:
    # Bounded: paths come from visitors. Resolving again costs tens of microseconds, as
    # much as the rest of a hit.
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, PARAMS_ATTRIBUTE, None)


def forget_resolved_paths() -> None:
    _declared_params.cache_clear()


_build_id: str | None = None


def build_id() -> str:
    """A hash of what shapes a page besides the database: the project's code, templates,
    translations and static manifest. A new release never serves pages cached by the last."""
    global _build_id
    if _build_id is None:
        digest = hashlib.sha256()
        base = Path(settings.BASE_DIR)
        for path in _source_files(base):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if manifest.is_file():
            digest.update(manifest.read_bytes())
        _build_id = digest.hexdigest()[:16]
    return _build_id


def _source_files(base: Path) -> list[Path]:
    roots = {Path(config.path) for config in apps.get_app_configs()}
    for template in settings.TEMPLATES:
        roots.update(Path(directory) for directory in template.get("DIRS", []))
    roots.update(Path(directory) for directory in getattr(settings, "LOCALE_PATHS", []))
    for module in (settings.SETTINGS_MODULE, settings.ROOT_URLCONF):
        if module:
            roots.add(Path(importlib.import_module(module).__file__).parent)
    roots = {root.resolve() for root in roots}
    files = set()
    for root in roots:
        if not root.is_dir() or not root.is_relative_to(base.resolve()):
            continue  # installed packages change only with a release of their own
        files.update(
            path for path in root.rglob("*") if path.suffix in _HASHED_SUFFIXES and path.is_file()
        )
    return sorted(files)
