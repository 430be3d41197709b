"""What the site search looks through, and how each kind of thing is found, ranked and shown.

One query per kind, whatever the number of rows: pages, documents, contact people, NMT
member agencies and newsletter issues in the archive. On PostgreSQL each query matches a
weighted ``tsvector`` (title A, description or title of a person B, body C, organisation D)
against the visitor's words with the Swedish configuration, ranks with ``ts_rank`` and cuts
the excerpt with ``ts_headline``. Elsewhere (SQLite in development) the words are matched
with ``icontains`` and the excerpt is cut in Python: simpler, but the same page.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import reduce

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Func, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from common.i18n import ENGLISH
from contacts.models import Contact, Region
from newsletter.models import Issue
from nmt.models import Member
from pages.models import Document, Page

from . import terms as search_terms

CONFIG = "swedish"
LIMIT_PER_KIND = 20
# The Markdown editors write, as text: links keep their words, not their addresses, and
# heading and list marks go. The same patterns serve PostgreSQL (ARE) and Python (re).
MARKDOWN_TO_TEXT = (
    (r"\[([^\]]*)\]\([^)]*\)", r"\1"),
    (r"(^|\n)[ \t]*(#+|[-*+]|[0-9]+\.)[ \t]+", r"\1"),
    (r"[*_`]+", ""),
)


@dataclass(frozen=True)
class Hit:
    kind: str
    label: Promise
    title: SafeString
    excerpt: SafeString
    url: str
    rank: float
    order: int  # the kind's place, for equal ranks
    lang: str = "sv"  # the language of the title and excerpt (Swedish-only kinds on /en/)


@dataclass(frozen=True)
class Source:
    kind: str
    label: Promise
    queryset: Callable[[], QuerySet]
    title: str  # the field shown as the hit's heading
    weighted: Callable[[], list[tuple[object, str]]]  # (expression, weight) for the tsvector
    text: Callable[[], object]  # the expression the excerpt is cut from
    fallback_fields: tuple[str, ...]  # icontains lookups without PostgreSQL
    fallback_text: Callable[[object], str]
    url: Callable[[object], str]
    heading: Callable[[object, SafeString], SafeString] = lambda obj, title: title
    # The text search configuration of the language the fields are written in.
    config: str = CONFIG


def markdown_text(field: str):
    """SQL: the field's Markdown as plain text (see MARKDOWN_TO_TEXT)."""
    expression = F(field)
    for pattern, replacement in MARKDOWN_TO_TEXT:
        expression = Func(
            expression,
            Value(pattern),
            Value(replacement),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
    return expression


def plain_markdown(text: str) -> str:
    for pattern, replacement in MARKDOWN_TO_TEXT:
        text = re.sub(pattern, replacement, text or "")
    return text


def _joined(*expressions):
    return Func(Value(" · "), *expressions, function="concat_ws", output_field=TextField())


def _region_names():
    """SQL: "region Nord, region Syd" for the contact in the outer query (NULL for none, which
    concat_ws skips and SearchVector reads as empty)."""
    names = (
        Region.objects.filter(contacts=OuterRef("pk"))
        .order_by()
        .values("contacts")
        .annotate(
            names=StringAgg(
                Concat(Value(gettext("region") + " "), "name", output_field=TextField()),
                ", ",
                order_by="order",
            )
        )
        .values("names")[:1]
    )
    return Subquery(names, output_field=TextField())


def _document_url(document: Document) -> str:
    # A document without a file has no address of its own: the page that lists it.
    return document.get_absolute_url() if document.has_file else document.page.get_absolute_url()


def _issue_heading(issue: Issue, title: SafeString) -> SafeString:
    return format_html("{}: {}", gettext("Nr %(number)s") % {"number": issue.number}, title)


SOURCES = (
    Source(
        kind="page",
        label=_("Sida"),
        queryset=lambda: Page.objects.all(),
        title="title",
        weighted=lambda: [
            ("title", "A"),
            ("description", "B"),
            (markdown_text("body"), "C"),
        ],
        text=lambda: Func(
            Value(" "),
            "description",
            markdown_text("body"),
            function="concat_ws",
            output_field=TextField(),
        ),
        fallback_fields=("title", "description", "body"),
        fallback_text=lambda page: f"{page.description} {plain_markdown(page.body)}",
        url=lambda page: page.get_absolute_url(),
    ),
    Source(
        kind="document",
        label=_("Dokument"),
        queryset=lambda: Document.objects.published().select_related("page"),
        title="title",
        weighted=lambda: [("title", "A"), ("description", "B")],
        text=lambda: F("description"),
        fallback_fields=("title", "description"),
        fallback_text=lambda document: document.description,
        url=_document_url,
    ),
    Source(
        kind="contact",
        label=_("Kontaktperson"),
        queryset=lambda: Contact.objects.published().people(),
        title="name",
        weighted=lambda: [
            ("name", "A"),
            ("title", "B"),
            (_region_names(), "B"),
            (_joined("organisation", "unit"), "D"),
        ],
        text=lambda: _joined("title", _region_names(), "organisation"),
        fallback_fields=("name", "title", "organisation", "regions__name"),
        fallback_text=lambda contact: " · ".join(
            part for part in (contact.title, contact.organisation) if part
        ),
        url=lambda contact: contact.get_absolute_url(),
    ),
    Source(
        kind="member",
        label=_("Myndighet i NMT"),
        queryset=lambda: Member.objects.published(),
        title="name",
        weighted=lambda: [("name", "A"), ("description", "B")],
        text=lambda: F("description"),
        fallback_fields=("name", "description"),
        fallback_text=lambda member: member.description,
        url=lambda member: member.get_absolute_url(),
    ),
    Source(
        kind="issue",
        label=_("Nyhetsbrev"),
        queryset=lambda: Issue.objects.published(),
        title="subject",
        weighted=lambda: [("subject", "A"), (markdown_text("body"), "C")],
        text=lambda: markdown_text("body"),
        fallback_fields=("subject", "body"),
        fallback_text=lambda issue: plain_markdown(issue.body),
        url=lambda issue: issue.get_absolute_url(),
        heading=_issue_heading,
    ),
)


def _english(source: Source, **changes) -> Source:
    return replace(source, config="english", **changes)


_PAGE, _DOCUMENT, _CONTACT, _MEMBER, _ISSUE = SOURCES
# What the English search (/en/search/) looks through: the English texts of pages, member
# agencies and contact titles, with the English configuration. Documents and the newsletter
# exist only in Swedish and are searched as such.
ENGLISH_SOURCES = (
    _english(
        _PAGE,
        queryset=lambda: Page.objects.exclude(body_en=""),
        title="title_en",
        weighted=lambda: [
            ("title_en", "A"),
            ("description_en", "B"),
            (markdown_text("body_en"), "C"),
        ],
        text=lambda: Func(
            Value(" "),
            "description_en",
            markdown_text("body_en"),
            function="concat_ws",
            output_field=TextField(),
        ),
        fallback_fields=("title_en", "description_en", "body_en"),
        fallback_text=lambda page: f"{page.description_en} {plain_markdown(page.body_en)}",
    ),
    _DOCUMENT,
    _english(
        _CONTACT,
        weighted=lambda: [
            ("name", "A"),
            ("title_en", "B"),
            (_joined("organisation_en", "unit_en"), "D"),
        ],
        text=lambda: _joined("title_en", "organisation_en"),
        fallback_fields=("name", "title_en", "organisation_en"),
        fallback_text=lambda contact: " · ".join(
            part for part in (contact.title_en, contact.organisation_en) if part
        ),
    ),
    _english(
        _MEMBER,
        queryset=lambda: Member.objects.published().exclude(description_en=""),
        title="name_en",
        weighted=lambda: [("name_en", "A"), ("description_en", "B")],
        text=lambda: F("description_en"),
        fallback_fields=("name_en", "description_en"),
        fallback_text=lambda member: member.description_en,
    ),
    _ISSUE,
)


def find(terms: search_terms.Terms, *, limit: int = LIMIT_PER_KIND) -> list[Hit]:
    """Everything matching ``terms``, best first: one query per kind, in the texts of the
    page's language."""
    if not terms:
        return []
    search = _postgres_hits if connection.vendor == "postgresql" else _fallback_hits
    sources = ENGLISH_SOURCES if get_language() == ENGLISH else SOURCES
    hits = [
        hit for order, source in enumerate(sources) for hit in search(source, terms, limit, order)
    ]
    return sorted(hits, key=lambda hit: (-hit.rank, hit.order))


def _hit(source: Source, obj, title: str, excerpt: str, rank: float, order: int) -> Hit:
    return Hit(
        kind=source.kind,
        label=source.label,
        title=source.heading(obj, search_terms.highlighted(title)),
        excerpt=search_terms.highlighted(excerpt),
        url=source.url(obj),
        rank=rank,
        order=order,
        lang="sv" if source.config == CONFIG else ENGLISH,
    )


def _postgres_hits(source: Source, terms: search_terms.Terms, limit: int, order: int) -> list[Hit]:
    config = source.config
    query = SearchQuery(search_terms.tsquery(terms.words), search_type="raw", config=config)
    vector = reduce(
        operator.add,
        (SearchVector(expr, weight=weight, config=config) for expr, weight in source.weighted()),
    )
    marks = {"start_sel": search_terms.START, "stop_sel": search_terms.STOP, "config": config}
    rows = (
        source.queryset()
        # An alias, not an annotation: the vector is matched and ranked, never fetched.
        .alias(search_document=vector)
        .filter(search_document=query)
        .annotate(
            search_rank=SearchRank(F("search_document"), query),
            search_title=SearchHeadline(source.title, query, highlight_all=True, **marks),
            search_excerpt=SearchHeadline(
                source.text(),
                query,
                max_words=28,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
                **marks,
            ),
        )
        .order_by("-search_rank", "pk")[:limit]
    )
    return [
        _hit(source, row, row.search_title, row.search_excerpt, row.search_rank, order)
        for row in rows
    ]


def _fallback_hits(source: Source, terms: search_terms.Terms, limit: int, order: int) -> list[Hit]:
    rows = source.queryset()
    for word in terms.words:
        shortest = search_terms.variants(word)[-1]
        rows = rows.filter(
            reduce(
                operator.or_, (Q(**{f"{f}__icontains": shortest}) for f in source.fallback_fields)
            )
        )
    hits = []
    for row in rows.distinct().order_by("pk")[:limit]:
        title = getattr(row, source.title)
        in_title = sum(1 for w in terms.words if search_terms.variants(w)[-1] in title.casefold())
        rank = (1 + in_title) / (1 + len(terms.words))
        marked_title = search_terms.mark_words(title, terms.words)
        excerpt = search_terms.excerpt(source.fallback_text(row), terms.words)
        hits.append(_hit(source, row, marked_title, excerpt, rank, order))
    return hits
