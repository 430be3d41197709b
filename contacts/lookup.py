"""Find where a practitioner works from what she typed. Pure: reads no database.

`LookupIndex.build()` takes the municipalities, counties, regions and postal codes once (see
`contacts/places.py`, which memoises it per content version); `find_place()` answers one
query. Accepted, in this order (the first rule that gives an answer wins):

1. A postal code, `621 41` or `62141` (also at the start: `621 41 Visby`). A code the data
   lacks (about 18 % do) is not guessed: the answer offers the municipalities whose codes
   start with the same three digits.
2. An SCB municipality code of four digits (`2418`), or three when the leading zero is left
   out (`114`).
3. A name, ignoring case, extra spaces and hyphen versus space, looked for among
   municipalities (`Malå`, `Malå kommun`, `Göteborgs stad`), police regions (`Region Väst`,
   `Väst`), counties (`Jämtlands län`, `Jämtland`, `Skåne`, `Region Skåne`) and postal towns
   (`Visby`), in that order. A trailing "kommun", "stad" or "län" and a genitive s are
   dropped.
4. The same without accents (`Jamtland`, `Goteborg`) when that points at one place only;
   `Hábo` could be Habo or Håbo, so it gets a choice.
5. A word of one name (`Vasby` → Upplands Väsby) when every name containing it lies in one
   municipality.

A postal town in several municipalities gets a short choice among them. Anything else is not
found: the answer carries close names (names starting with the text, then names sharing most
letter triples) so the page can offer them. Once the input names a known place, nothing
offered points outside it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .text import clean_input, search_key

MAX_QUERY_LENGTH = 100
MAX_SUGGESTIONS = 5
MAX_CHOICES = 8
MIN_WORD = 4
# Dice coefficient of letter triples below which a name is not offered as "Menade du?".
MIN_SIMILARITY = 0.5

_POSTAL_CODE = re.compile(r"([0-9]{3}) ?([0-9]{2})(?:\s+[^0-9].*)?")
_SCB_CODE = re.compile(r"[0-9]{3,4}")
_SUFFIX = re.compile(r"\s+(kommun|kommuns|stad|lan|län)$")
# Names people use that are not "<name> kommun" / "<name> län".
_MUNICIPALITY_ALIASES = {"falu": "2080", "region gotland": "0980"}
_COUNTY_ALIASES = {
    "jämtland härjedalen": "23",
    "region jämtland härjedalen": "23",
    "västra götalandsregionen": "14",
}


class MatchedBy(StrEnum):
    MUNICIPALITY = "municipality"
    CODE = "code"
    POSTAL_CODE = "postal_code"
    POSTAL_TOWN = "postal_town"
    COUNTY = "county"
    REGION = "region"


class Kind(StrEnum):
    # The order names are tried in: "Stockholm" is the municipality, "Region Stockholm" the
    # police region (not the county council), "Region Skåne" the county.
    MUNICIPALITY = "municipality"
    REGION = "region"
    COUNTY = "county"
    POSTAL_TOWN = "postal_town"


@dataclass(frozen=True, eq=False)
class Place:
    """Something a visitor can mean: a municipality, county, region or postal town.

    ``query`` is what to send back as ``?kommun=`` to get exactly this place; ``detail`` says
    where it is ("Västra Götalands län", "postort i Gotland").
    """

    kind: Kind
    name: str
    query: str
    detail: str = ""
    municipalities: tuple = ()
    county: Any = None
    region: Any = None


@dataclass
class LookupResult:
    query: str
    matched_by: str = ""
    place: Place | None = None
    postal_code: str = ""  # "621 41" when the answer came from a postal code
    locality: str = ""  # its postal town, "Visby"
    error: str = ""  # "", "empty", "too_long", "not_found", "postal_code_unknown"
    choices: list[Place] = field(default_factory=list)  # a name that means several places
    suggestions: list[Place] = field(default_factory=list)  # close names, when not found
    alternatives: list[Place] = field(default_factory=list)  # other names folding the same

    @property
    def found(self) -> bool:
        return self.place is not None

    @property
    def municipality(self):
        if self.place is not None and len(self.place.municipalities) == 1:
            return self.place.municipalities[0]
        return None

    @property
    def county(self):
        return self.place.county if self.place is not None else None

    @property
    def region(self):
        return self.place.region if self.place is not None else None


_SPACES = re.compile(r"\s+")


def exact_key(value: str) -> str:
    return _SPACES.sub(" ", value.casefold().replace("-", " ")).strip()


def _degenitive(key: str) -> str:
    return key[:-1] if key.endswith("s") and len(key) > 3 else key


def _variants(key: str) -> list[str]:
    """The key, without "kommun"/"stad"/"län", and without a genitive s."""
    out = [key]
    stripped = _SUFFIX.sub("", key)
    for candidate in (stripped, _degenitive(stripped)):
        if candidate and candidate not in out:
            out.append(candidate)
    return out


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class _Table:
    """One kind of place under two keys: as written (case-folded) and without accents."""

    def __init__(self):
        self.exact: dict[str, list[Place]] = defaultdict(list)
        self.folded: dict[str, list[Place]] = defaultdict(list)

    def add(self, key: str, place: Place) -> None:
        for table, k in ((self.exact, exact_key(key)), (self.folded, search_key(key))):
            if place not in table[k]:
                table[k].append(place)


@dataclass
class LookupIndex:
    municipalities: dict[str, Place]  # by SCB code
    tables: dict[Kind, _Table]  # in the order names are tried
    postal_codes: dict[str, tuple[str, str]]  # "62141" -> ("Visby", "0980")
    postal_prefixes: dict[str, Counter]  # "621" -> Counter of municipality codes
    names: dict[str, list[Place]]  # every name and alias without accents, for close matches
    trigrams: dict[str, set[str]]  # trigram -> folded names containing it
    words: dict[str, set[Place]]  # one folded word of a longer name -> places

    @classmethod
    def build(
        cls,
        *,
        municipalities: Iterable,
        counties: Iterable,
        regions: Iterable,
        postal_codes: Iterable[tuple[str, str, str]],
    ) -> LookupIndex:
        """``municipalities`` have .code, .name, .county; counties .code, .name, .region_id;
        regions .pk and str() ("Region Nord"); postal codes are (code, town, municipality code)
        tuples."""
        region_by_id = {r.pk: r for r in regions}
        index = cls({}, {kind: _Table() for kind in Kind}, {}, defaultdict(Counter), {}, {}, {})
        county_places = {}
        by_county = defaultdict(list)
        for m in municipalities:
            by_county[m.county.code].append(m)
        for c in counties:
            region = region_by_id.get(c.region_id)
            members = tuple(sorted(by_county.get(c.code, []), key=lambda m: m.name))
            county_places[c.code] = Place(
                Kind.COUNTY, c.name, c.name, str(region or ""), members, c, region
            )
        for county_code, members in by_county.items():
            county = county_places[county_code]
            for m in members:
                index.municipalities[m.code] = Place(
                    Kind.MUNICIPALITY,
                    m.name,
                    m.code,
                    county.name,
                    (m,),
                    county.county,
                    county.region,
                )
        index._add_names(county_places, region_by_id, by_county)
        index._add_postal_codes(postal_codes)
        index._add_search_aids()
        return index

    def _add_names(self, county_places, region_by_id, by_county) -> None:
        for place in self.municipalities.values():
            self.tables[Kind.MUNICIPALITY].add(place.name, place)
        for alias, code in _MUNICIPALITY_ALIASES.items():
            if code in self.municipalities:
                self.tables[Kind.MUNICIPALITY].add(alias, self.municipalities[code])
        for region in region_by_id.values():
            members = tuple(
                sorted(
                    (
                        m
                        for c in county_places.values()
                        if c.region is region
                        for m in c.municipalities
                    ),
                    key=lambda m: m.name,
                )
            )
            place = Place(Kind.REGION, str(region), str(region), "", members, None, region)
            for key in (str(region), region.name, f"polisregion {region.name}"):
                self.tables[Kind.REGION].add(key, place)
        for place in county_places.values():
            short = _degenitive(_SUFFIX.sub("", exact_key(place.name)))
            for key in (place.name, short, f"region {short}", f"{short}s län"):
                self.tables[Kind.COUNTY].add(key, place)
        for alias, code in _COUNTY_ALIASES.items():
            if code in county_places:
                self.tables[Kind.COUNTY].add(alias, county_places[code])

    def _add_postal_codes(self, postal_codes) -> None:
        towns: dict[str, dict[str, None]] = defaultdict(dict)
        spelling: dict[str, str] = {}
        keys: dict[str, str] = {}
        for code, town, municipality_code in postal_codes:
            if municipality_code not in self.municipalities:
                continue
            self.postal_codes[code] = (town, municipality_code)
            self.postal_prefixes[code[:3]][municipality_code] += 1
            key = keys.get(town)
            if key is None:
                key = keys[town] = exact_key(town)
                spelling.setdefault(key, town)
            towns[key][municipality_code] = None
        for key, codes in towns.items():
            members = tuple(self.municipalities[c] for c in codes)
            first = members[0]
            same_region = all(p.region is first.region for p in members)
            place = Place(
                Kind.POSTAL_TOWN,
                spelling[key],
                spelling[key],
                ", ".join(p.name for p in members),
                tuple(p.municipalities[0] for p in members),
                first.county if len(members) == 1 else None,
                first.region if same_region else None,
            )
            self.tables[Kind.POSTAL_TOWN].add(spelling[key], place)

    def _add_search_aids(self) -> None:
        for table in self.tables.values():
            for key, places in table.folded.items():
                for place in places:
                    if place not in self.names.setdefault(key, []):
                        self.names[key].append(place)
                    words = search_key(place.name).split(" ")
                    if len(words) > 1:
                        for word in words:
                            if len(word) >= MIN_WORD:
                                self.words.setdefault(word, set()).add(place)
        for key in self.names:
            for gram in _trigrams(key):
                self.trigrams.setdefault(gram, set()).add(key)


def _clean(raw: str | None) -> tuple[str, str]:
    """(query, error) after the length and emptiness checks."""
    if raw is not None and len(raw) > MAX_QUERY_LENGTH * 4:
        return "", "too_long"
    query = clean_input(raw or "", max_length=MAX_QUERY_LENGTH + 1)
    if not query:
        return "", "empty"
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH], "too_long"
    return query, ""


def find_place(raw: str | None, index: LookupIndex) -> LookupResult:
    query, error = _clean(raw)
    if error:
        return LookupResult(query=query, error=error)
    postal = _POSTAL_CODE.fullmatch(query)
    if postal:
        return _by_postal_code(query, postal.group(1) + postal.group(2), index)
    if _SCB_CODE.fullmatch(query):
        place = index.municipalities.get(query.zfill(4))
        if place is None:
            return LookupResult(query=query, error="not_found")
        return LookupResult(query=query, matched_by=MatchedBy.CODE, place=place)
    for folded in (False, True):
        key_fn = search_key if folded else exact_key
        for key in _variants(key_fn(query)):
            for kind, table in index.tables.items():
                hits = (table.folded if folded else table.exact).get(key)
                if hits:
                    return _answer(query, kind, hits, index, folded=folded)
    return _by_word(query, index) or LookupResult(
        query=query, error="not_found", suggestions=suggest(query, index)
    )


_MATCHED_BY = {
    Kind.MUNICIPALITY: MatchedBy.MUNICIPALITY,
    Kind.COUNTY: MatchedBy.COUNTY,
    Kind.REGION: MatchedBy.REGION,
    Kind.POSTAL_TOWN: MatchedBy.POSTAL_TOWN,
}


def _answer(query: str, kind: Kind, hits: list[Place], index, *, folded: bool) -> LookupResult:
    matched_by = _MATCHED_BY[kind]
    if len(hits) > 1:
        return LookupResult(query=query, matched_by=matched_by, choices=hits[:MAX_CHOICES])
    place = hits[0]
    if kind == Kind.POSTAL_TOWN and len(place.municipalities) > 1:
        return LookupResult(
            query=query,
            matched_by=matched_by,
            choices=[index.municipalities[m.code] for m in place.municipalities][:MAX_CHOICES],
        )
    alternatives = []
    if kind == Kind.MUNICIPALITY and not folded:
        # "Habo" is Habo; Håbo is offered beside it (the only names folding alike).
        same = index.tables[Kind.MUNICIPALITY].folded.get(search_key(place.name), [])
        alternatives = [p for p in same if p is not place]
    return LookupResult(query=query, matched_by=matched_by, place=place, alternatives=alternatives)


def _by_postal_code(query: str, code: str, index: LookupIndex) -> LookupResult:
    shown = f"{code[:3]} {code[3:]}"
    known = index.postal_codes.get(code)
    if known is None:
        nearby = index.postal_prefixes.get(code[:3], Counter())
        return LookupResult(
            query=query,
            postal_code=shown,
            error="postal_code_unknown",
            suggestions=[index.municipalities[c] for c, _n in nearby.most_common(MAX_SUGGESTIONS)],
        )
    town, municipality_code = known
    return LookupResult(
        query=query,
        matched_by=MatchedBy.POSTAL_CODE,
        place=index.municipalities[municipality_code],
        postal_code=shown,
        locality=town,
    )


def _by_word(query: str, index: LookupIndex) -> LookupResult | None:
    """`Vasby` → Upplands Väsby: a word of names that all lie in one municipality."""
    key = _SUFFIX.sub("", search_key(query))
    places = index.words.get(key)
    if not places:
        return None
    codes = {m.code for p in places for m in p.municipalities}
    if len(codes) != 1:
        return None
    place = index.municipalities[codes.pop()]
    return LookupResult(query=query, matched_by=MatchedBy.MUNICIPALITY, place=place)


def suggest(query: str, index: LookupIndex) -> list[Place]:
    """Names starting with the text first, then names sharing most letter triples."""
    key = _SUFFIX.sub("", search_key(query))
    if not key:
        return []
    out: list[Place] = []

    def add(places):
        for place in places:
            # A postal town named like a municipality ("Norrköping") is offered once.
            if len(out) < MAX_SUGGESTIONS and not any(
                o is place or (o.name == place.name and place.kind == Kind.POSTAL_TOWN) for o in out
            ):
                out.append(place)

    starts = sorted(k for k in index.names if k.startswith(key))
    for k in sorted(starts, key=len):
        add(index.names[k])
    words = index.words.get(key, ())
    add(sorted(words, key=lambda p: p.name))
    grams = _trigrams(key)
    shared: Counter = Counter()
    for gram in grams:
        shared.update(index.trigrams.get(gram, ()))
    close = []
    for name, common in shared.most_common(MAX_SUGGESTIONS * 4):
        dice = 2 * common / (len(grams) + len(_trigrams(name)))
        if dice >= MIN_SIMILARITY:
            close.append((dice + difflib.SequenceMatcher(None, key, name).ratio(), name))
    close.sort(key=lambda s: (-s[0], s[1]))
    for score, name in close:
        # Far behind the best is no longer a likely spelling of what was meant.
        if score >= close[0][0] * 0.8:
            add(index.names[name])
    return out
