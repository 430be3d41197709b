"""Pure text rules for contacts: search keys, NSPM email addresses, slugs.

No database, no request: every rule here is a plain function that tests can call directly.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable

NSPM_EMAIL_DOMAIN = "jamstalldhetsmyndigheten.se"
NSPM_EMAIL_PATTERN = f"fornamn.efternamn@{NSPM_EMAIL_DOMAIN}"

# Letters that Unicode does not decompose into a base letter plus an accent.
_NO_DECOMPOSITION = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "ı": "i",
    }
)
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def clean_input(value: str, *, max_length: int) -> str:
    """What a visitor typed, made safe to compare: NFC, no control characters, single spaces.

    Returns at most ``max_length`` characters; the caller decides whether longer input is an error.
    """
    value = unicodedata.normalize("NFC", value or "")
    value = _CONTROL.sub("", value)
    value = value.replace("\ufffd", "")
    return _SPACES.sub(" ", value).strip()[:max_length]


def fold(value: str) -> str:
    """Lower case without accents: "Malå" -> "mala", "Örebro" -> "orebro", "Ørsted" -> "orsted"."""
    value = unicodedata.normalize("NFKD", (value or "").casefold()).translate(_NO_DECOMPOSITION)
    return "".join(c for c in value if not unicodedata.combining(c))


def search_key(value: str) -> str:
    """A key for forgiving comparison: folded, hyphens as spaces, one space between words."""
    return _SPACES.sub(" ", fold(value).replace("-", " ").replace("\u2010", " ")).strip()


def rank_similar(key: str, rows: Iterable[tuple[int, str]], threshold: float) -> list[int]:
    """The ids of ``rows`` (id, search text) with a word spelt almost like ``key``, best first:
    the contact search's fallback where the database has no trigram similarity (SQLite)."""
    size = len(key.split())
    scores = {}
    for pk, text in rows:
        words = text.split()
        # As many words at a time as the key has: "mats paulson" against "mats paulsson".
        spans = [" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))]
        best = max((difflib.SequenceMatcher(None, key, s).ratio() for s in spans), default=0)
        if best >= threshold:
            scores[pk] = best
    return sorted(scores, key=lambda pk: -scores[pk])


def _email_part(words: list[str]) -> str:
    """One side of fornamn.efternamn: words joined by hyphens, only a-z, 0-9 and hyphens."""
    part = "-".join(words)
    part = fold(part)
    part = re.sub(r"[^a-z0-9-]", "", part)
    return re.sub(r"-{2,}", "-", part).strip("-")


def nspm_email_from_name(name: str) -> str:
    """Derive an NSPM address, fornamn.efternamn@jamstalldhetsmyndigheten.se, from a full name.

    The rule, as editors can read it in the admin help text:

    - The **last** word of the name is the surname; every word before it is the first name.
      "Mats Paulsson" -> mats.paulsson; "Anna Karin Svensson" -> anna-karin.svensson.
    - A first name of several words is joined with hyphens, so "Anna Karin" and "Anna-Karin"
      give the same address (anna-karin). A hyphenated surname keeps its hyphen:
      "Eva Svensson-Berg" -> eva.svensson-berg.
    - Lower case. å and ä become a, ö becomes o, é becomes e, and every other accent is
      stripped (ü -> u, ç -> c, ø -> o, æ -> ae, ß -> ss). Apostrophes and any other
      character outside a-z, 0-9 and hyphen are dropped ("O'Brien" -> obrien).
    - A name of one word gives just that word before the @.

    The address is only a default: an editor who types an address keeps it, and a surname
    of two words ("von Platen", "Da Silva") needs the editor to type it.
    """
    words = [w for w in re.split(r"\s+", (name or "").strip()) if w]
    if not words:
        return ""
    if len(words) == 1:
        local = _email_part(words)
    else:
        first = _email_part(words[:-1])
        last = _email_part(words[-1:])
        local = f"{first}.{last}" if first and last else first or last
    return f"{local}@{NSPM_EMAIL_DOMAIN}" if local else ""
