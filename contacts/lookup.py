"""Find a municipality from what a practitioner typed. Pure: takes the list, reads no database.

Accepted, in this order (the first rule that gives an answer wins):

1. An SCB code of four digits ("2418"), or three when the leading zero is left out ("114").
2. The name, ignoring case, extra spaces and the difference between hyphen and space
   ("malå", " Upplands Väsby ", "upplands bro"). A trailing " kommun" or " stad" is dropped,
   as is a genitive s ("Malå kommun", "Göteborgs stad", "Falu kommun").
3. The name without accents ("Mala", "Goteborg") when that points at one municipality only.
   "Habo" is a municipality of its own, so it never means Håbo; "Habo" answers Habo and the
   page mentions Håbo as an alternative.

Anything else is not found: the answer carries close matches (names starting with the text,
then names difflib finds similar) so the page can offer them.
"""

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .text import clean_input, search_key

MAX_QUERY_LENGTH = 100
MAX_SUGGESTIONS = 5

# Official names that are not "<name> kommun": the genitive forms that are not just name + s.
_ALIASES = {"falu": "falun", "region gotland": "gotland"}
_SUFFIX = re.compile(r"\s+(kommun|stad|kommuns)$")


class Named(Protocol):
    code: str
    name: str


@dataclass
class LookupResult:
    query: str
    match: Named | None = None
    error: str = ""  # "", "empty", "too_long", "not_found", "ambiguous"
    suggestions: list = field(default_factory=list)
    alternatives: list = field(default_factory=list)  # other names that fold the same way

    @property
    def found(self) -> bool:
        return self.match is not None


def _exact_key(value: str) -> str:
    return re.sub(r"\s+", " ", value.casefold().replace("-", " ")).strip()


def _candidate_keys(query: str, key_fn) -> list[str]:
    """The query's key, and the key with "kommun"/"stad"/genitive s removed."""
    base = key_fn(query)
    keys = [base]
    stripped = _SUFFIX.sub("", base)
    if stripped != base:
        keys.append(stripped)
        if stripped.endswith("s"):
            keys.append(stripped[:-1])
    keys.extend(_ALIASES[k] for k in list(keys) if k in _ALIASES)
    return keys


def find_municipality(raw: str, municipalities: Iterable[Named]) -> LookupResult:
    municipalities = list(municipalities)
    if raw is not None and len(raw) > MAX_QUERY_LENGTH * 4:
        return LookupResult(query="", error="too_long")
    query = clean_input(raw or "", max_length=MAX_QUERY_LENGTH + 1)
    if not query:
        return LookupResult(query="", error="empty")
    if len(query) > MAX_QUERY_LENGTH:
        return LookupResult(query=query[:MAX_QUERY_LENGTH], error="too_long")

    if re.fullmatch(r"\d{3,4}", query):
        code = query.zfill(4)
        for m in municipalities:
            if m.code == code:
                return LookupResult(query=query, match=m)
        return LookupResult(query=query, error="not_found", suggestions=[])

    by_exact: dict[str, Named] = {_exact_key(m.name): m for m in municipalities}
    for key in _candidate_keys(query, _exact_key):
        if key in by_exact:
            m = by_exact[key]
            others = [
                o for o in municipalities if o is not m and search_key(o.name) == search_key(m.name)
            ]
            return LookupResult(query=query, match=m, alternatives=others)

    by_folded: dict[str, list[Named]] = {}
    for m in municipalities:
        by_folded.setdefault(search_key(m.name), []).append(m)
    for key in _candidate_keys(query, search_key):
        hits = by_folded.get(key, [])
        if len(hits) == 1:
            return LookupResult(query=query, match=hits[0])
        if len(hits) > 1:
            return LookupResult(query=query, error="ambiguous", suggestions=hits)

    return LookupResult(query=query, error="not_found", suggestions=suggest(query, municipalities))


def suggest(query: str, municipalities: Sequence[Named]) -> list[Named]:
    """Names starting with the text first, then names that look alike."""
    key = _SUFFIX.sub("", search_key(query))
    if not key:
        return []
    starts = [m for m in municipalities if search_key(m.name).startswith(key)]
    if len(starts) >= MAX_SUGGESTIONS:
        return starts[:MAX_SUGGESTIONS]
    by_key = {}
    for m in municipalities:
        by_key.setdefault(search_key(m.name), m)
    close = difflib.get_close_matches(key, list(by_key), n=MAX_SUGGESTIONS, cutoff=0.6)
    out = list(starts)
    for k in close:
        if by_key[k] not in out:
            out.append(by_key[k])
    # Words anywhere in the name ("väsby" -> Upplands Väsby).
    if len(key) >= 3:
        for m in municipalities:
            if m not in out and key in search_key(m.name):
                out.append(m)
    return out[:MAX_SUGGESTIONS]
