"""Direct answers shown above the search results.

- A query that names a place the coordinator lookup knows (a municipality by name or SCB
  code, a postal town, a postal code, a county or a region) leads straight to that place's
  regional coordinators; a postal town in several municipalities names them and leads to
  the lookup, which asks which one. The lookup itself is the
  contacts app's (``contacts.lookup``); this module only asks it.
- A query with a word about the helpline ("stödtelefon", "telefon", "jour", "akut" and their
  forms) shows the helpline's number and whether it is open now, first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from contacts import places
from contacts.lookup import Kind, MatchedBy, find_place
from contacts.text import fold

from .terms import Terms

# Whole words, lower case without accents: "stödtelefonen", "telefonnummer", "jouren", "akut".
HELPLINE_WORD = re.compile(
    r"(stod)?telefon(en|er|erna|nummer|numret|tid|tider|tiderna)?"
    r"|jour(en|er|erna|telefon|telefonen|nummer|numret|tid|tider)?"
    r"|akut(a|t|en)?"
    r"|helpline|hotline|phone|telephone|urgent|emergency"  # the English words (/en/search/)
)
# Longer than any place name the lookup knows, with "kommun" and a postal code.
MAX_PLACE_QUERY = 60


@dataclass(frozen=True)
class PlaceAnswer:
    name: str
    county: str
    url: str
    region: str = ""  # for a county: the region it belongs to
    municipalities: tuple[str, ...] = ()  # a town in several: their names, to choose from


@dataclass(frozen=True)
class Answers:
    place: PlaceAnswer | None = None
    helpline: bool = False

    def __bool__(self) -> bool:
        return self.place is not None or self.helpline


def about_helpline(terms: Terms) -> bool:
    return any(HELPLINE_WORD.fullmatch(fold(word)) for word in terms.words)


def place(terms: Terms) -> PlaceAnswer | None:
    """The coordinator result for the place the whole query names, if it names one."""
    if not terms.words or len(terms.text) > MAX_PLACE_QUERY:
        return None
    result = find_place(terms.text, places.directory().index)
    if result.choices and result.matched_by == MatchedBy.POSTAL_TOWN:
        # One town in several municipalities: the lookup's own page for it asks which.
        names = tuple(choice.name for choice in result.choices)
        return PlaceAnswer(
            name=terms.text, county="", url=_lookup_url(terms.text), municipalities=names
        )
    if not result.found:
        return None
    found = result.place
    # One municipality: link by its name, as the lookup's own links do; a county or a
    # region: the lookup's own query for that place.
    municipality = result.municipality
    kommun = municipality.name if municipality is not None else found.query
    # Where the place lies: a municipality or town in its county, a county in its region.
    is_county = found.kind == Kind.COUNTY
    county = found.county.name if found.county is not None and not is_county else ""
    region = str(found.region) if found.region is not None and is_county else ""
    return PlaceAnswer(name=found.name, county=county, region=region, url=_lookup_url(kommun))


def _lookup_url(kommun: str) -> str:
    return reverse("contacts:coordinators") + "?" + urlencode({"kommun": kommun})


def answers(terms: Terms) -> Answers:
    return Answers(place=place(terms), helpline=about_helpline(terms))
