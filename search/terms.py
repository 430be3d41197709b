"""What a visitor typed into the search box, made into words, a tsquery and highlighted HTML.

Pure: no database, no request. The rules:

- The text is cleaned like every other search field (NFC, no control characters, single
  spaces) and cut at ``MAX_LENGTH`` characters; the page says when it was cut.
- Words are runs of letters and digits, lower case, each kept once, at most ``MAX_WORDS``.
  Everything else (quotes, ``&``, ``|``, ``!``, ``:``, brackets, ``<``) only separates words,
  so the tsquery built from them needs no escaping and cannot be malformed.
- Every word must match (AND). A word of ``PREFIX_MIN`` letters or more also matches as a
  prefix of the stem, so "samordna" (stem "samordn") finds "samordningen". PostgreSQL's
  Swedish stemmer leaves some inflected forms whole ("människohandeln", "brottet",
  "koordinatorn"), so such a word is also looked for without the ending: "människohandeln"
  finds "människohandel".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from contacts.text import clean_input

MAX_LENGTH = 200
MAX_WORDS = 8
PREFIX_MIN = 4
# Endings the Swedish snowball stemmer keeps (definite -n after l/r/o, -et, genitive -s),
# and a final vowel (so "samordna" also finds "samordningen" without a stemmer);
# looked for without them as well. Longest first; the rest must keep STEM_MIN letters.
ENDINGS = ("ets", "ens", "ns", "et", "en", "n", "s", "t", "a", "e")
STEM_MIN = 4

# Marks ts_headline (and the fallback) put around a matching word: private-use characters
# that never occur in the site's text, replaced by <mark> only after the text is escaped.
START = "\ue000"
STOP = "\ue001"
_MARKS = re.compile(f"[{START}{STOP}]")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Terms:
    text: str  # what the search box shows again
    words: tuple[str, ...]
    cut: bool = False  # the text was longer than MAX_LENGTH

    def __bool__(self) -> bool:
        return bool(self.words)


def parse(raw: str | None) -> Terms:
    """The visitor's text, the words to look for, and whether it had to be cut."""
    # Cleaning never makes a text longer; cutting first keeps a 10 MB query cheap.
    text = clean_input((raw or "")[: MAX_LENGTH * 4], max_length=MAX_LENGTH * 4)
    text = _MARKS.sub("", text)
    cut = len(text) > MAX_LENGTH
    if cut:
        head = text[: MAX_LENGTH + 1]
        # At the last space before the limit, so no word is cut in two.
        text = head.rsplit(" ", 1)[0] if " " in head else head[:MAX_LENGTH]
    text = text.strip()
    words = list(dict.fromkeys(_WORD.findall(text.casefold())))
    # A lone letter ("e" of "e-post", "s" of "NSPM:s") narrows nothing when there are words.
    if any(len(w) > 1 for w in words):
        words = [w for w in words if len(w) > 1]
    return Terms(text=text, words=tuple(words[:MAX_WORDS]), cut=cut)


def variants(word: str) -> list[str]:
    """The word, and the word without an ending the stemmer keeps."""
    found = [word]
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= STEM_MIN:
            found.append(word[: -len(ending)])
            break
    return found


def tsquery(words: tuple[str, ...] | list[str]) -> str:
    """A to_tsquery() text: every word (or one of its variants), prefixes for longer ones.

    Only letters and digits reach it (see ``parse``), so it is always well formed.
    """
    groups = []
    for word in words:
        alternatives = [f"{v}:*" if len(v) >= PREFIX_MIN else v for v in variants(word)]
        groups.append("(" + " | ".join(dict.fromkeys(alternatives)) + ")")
    return " & ".join(groups)


def highlighted(text: str | None) -> SafeString:
    """Escape ``text`` and turn the START/STOP marks into <mark> elements.

    Stray or unbalanced marks are dropped, so the result is always well formed HTML.
    """
    out: list[str] = []
    open_mark = False
    for part in re.split(f"([{START}{STOP}])", text or ""):
        if part == START:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == STOP:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        elif part:
            out.append(escape(part))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out).replace("<mark></mark>", ""))  # noqa: S308 - escaped above


def mark_words(text: str, words: tuple[str, ...] | list[str]) -> str:
    """Put START/STOP around each word of ``text`` beginning with one of ``words`` (or a
    variant of it): the plain-text counterpart of ts_headline, for databases without it."""
    stems = sorted({v for w in words for v in variants(w)}, key=len, reverse=True)
    if not stems:
        return text

    def mark(match: re.Match) -> str:
        token = match.group(0)
        folded = token.casefold()
        if any(folded.startswith(s) if len(s) >= PREFIX_MIN else folded == s for s in stems):
            return f"{START}{token}{STOP}"
        return token

    return _WORD.sub(mark, text)


def excerpt(text: str, words: tuple[str, ...] | list[str], *, size: int = 200) -> str:
    """A piece of ``text`` around the first matching word, marked; the start when none."""
    text = re.sub(r"\s+", " ", text or "").strip()
    marked = mark_words(text, words)
    first = marked.find(START)
    if first < 0 or len(text) <= size:
        start = 0
    else:
        start = max(0, first - size // 3)
        # Begin at a word.
        space = marked.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    piece = marked[start : start + size + 2 * marked.count(START, start, start + size)]
    if start + len(piece) < len(marked):
        piece = piece.rsplit(" ", 1)[0] + " …"
    if start > 0:
        piece = "… " + piece
    return piece
