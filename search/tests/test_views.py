"""/sok/: what a visitor finds, in what order, with what highlighted, and what never happens.

Tests marked ``postgres`` need PostgreSQL's full-text search (Swedish stemming, ranking,
ts_headline); the rest hold on SQLite's simpler match too.
"""

import html as html_lib
import itertools
import logging
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.tests.builders import bulk_contacts, region
from newsletter.models import Issue
from nmt.models import Member
from pages.models import Document, Page
from search import sources, terms

pytestmark = pytest.mark.django_db

TUESDAY_OPEN = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)  # the helpline is open
HIT = re.compile(
    r'<li class="search-result">\s*<h3 class="search-result__title"(?: lang="\w+")?>'
    r'<a href="([^"]*)">(.*?)</a>'
    r'</h3>\s*<p class="search-result__kind">(.*?)</p>\s*'
    r'(?:<p class="search-result__excerpt"(?: lang="\w+")?>(.*?)</p>)?',
    re.S,
)
_serial = itertools.count(1)


def search(client, q=None, **extra):
    params = {} if q is None else {"q": q}
    params.update(extra)
    return client.get(reverse("search:results") + ("?" + urlencode(params) if params else ""))


def hits(response) -> list[dict]:
    return [
        {"url": url, "title": title, "kind": kind, "excerpt": excerpt}
        for url, title, kind, excerpt in HIT.findall(response.content.decode())
    ]


def urls(response) -> list[str]:
    return [hit["url"] for hit in hits(response)]


def member(name: str, description: str, *, published=True) -> Member:
    return Member.objects.create(name=name, description=description, published=published)


def issue(subject: str, body: str, *, sent=True) -> Issue:
    now = datetime.now(UTC)
    return Issue.objects.create(
        number=1000 + next(_serial),
        subject=subject,
        body=body,
        send_at=now - timedelta(days=1),
        started_at=now - timedelta(days=1) if sent else None,
        state=Issue.State.SENT if sent else Issue.State.DRAFT,
    )


# Any database --------------------------------------------------------------------------


def test_the_search_page_without_a_query_helps_instead_of_failing(client):
    response = search(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<input type="search" id="sok-fraga" name="q" value=""' in page
    assert reverse("contacts:coordinators") in page
    assert reverse("helpline:detail") in page
    assert "Inga träffar" not in page
    assert '<meta name="robots" content="noindex">' in page


def test_every_page_but_the_search_page_has_the_search_field_in_its_menu(client):
    # The search page's own field is its first content; a second one above it would push
    # the answers below a phone's first screen.
    assert search(client, "stödtelefon").content.decode().count('name="q"') == 1
    about = client.get(reverse("pages:about")).content.decode()
    assert about.count('name="q"') == 1 and 'id="site-search-q"' in about


def test_an_empty_query_asks_for_words(client):
    response = search(client, "   ")
    assert response.status_code == 200
    assert "Skriv ett eller flera ord" in response.content.decode()


def test_nonsense_gets_no_hits_tips_and_ways_on(client):
    response = search(client, "xqzvykq")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Inga träffar" in page
    assert "Vi hittade inget som matchar ”xqzvykq”" in page
    assert "Kontrollera stavningen" in page
    assert reverse("contacts:coordinators") in page
    assert hits(response) == []


def test_every_kind_is_found_and_labelled(client):
    from contacts.models import Contact

    member("Zyxverket", "Myndigheten som arbetar med zyxzord.")
    issue("Om zyxzord", "Text.")
    page = Page.objects.by_slug(Page.ABOUT)
    Document.objects.create(page=page, title="Rapporten", slug="zyx", description="Om zyxzord.")
    person = bulk_contacts(1)[0]
    Contact.objects.filter(pk=person.pk).update(title="Handläggare för zyxzord")
    Page.objects.filter(slug=Page.PRIVACY).update(body="Något om zyxzord.")
    kinds = {hit["kind"] for hit in hits(search(client, "zyxzord"))}
    assert kinds == {"Sida", "Dokument", "Kontaktperson", "Myndighet i NMT", "Nyhetsbrev"}


def test_unpublished_things_are_never_found(client):
    member("Hemligverket", "Qwrtyzord i beskrivningen.", published=False)
    issue("Qwrtyzord i ett utkast", "Inte skickat.", sent=False)
    page = Page.objects.by_slug(Page.ABOUT)
    Document.objects.create(
        page=page, title="Qwrtyzord", slug="qw", description="", published=False
    )
    assert hits(search(client, "qwrtyzord")) == []


def test_a_document_without_a_file_links_to_its_page(client):
    page = Page.objects.by_slug(Page.ABOUT)
    Document.objects.create(page=page, title="Broschyren Plopzord", slug="plop")
    found = hits(search(client, "plopzord"))
    assert [hit["url"] for hit in found] == [page.get_absolute_url()]


@pytest.mark.parametrize(
    "hostile",
    [
        "\x00",
        "männi\x00skohandel",
        "x" * 10_000,
        "människohandel " * 700,
        "'; DROP TABLE pages_page--",
        "' OR '1'='1",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "a:* | b & !c <-> (d",
        "\\'\\\\%_",
        "😀\u202e\u200b",
        "ＭＡＬÅ",
    ],
)
def test_hostile_queries_get_a_page_not_an_error(client, hostile):
    before = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    response = search(client, hostile)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == before


def test_a_very_long_query_is_cut_and_the_page_says_so(client):
    response = search(client, "människohandel " * 700)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"de första {terms.MAX_LENGTH} tecknen" in page
    shown = re.search(r'id="sok-fraga" name="q" value="([^"]*)"', page).group(1)
    assert len(html_lib.unescape(shown)) <= terms.MAX_LENGTH


def test_with_two_q_parameters_the_last_one_counts(client):
    member("Ettverket", "Aaplopzord.")
    member("Tvåverket", "Bbplopzord.")
    both = client.get(reverse("search:results") + "?q=aaplopzord&q=bbplopzord")
    last = search(client, "bbplopzord")
    assert both.status_code == 200
    assert 'value="bbplopzord"' in both.content.decode()
    assert urls(both) == urls(last) == [Member.objects.get(name="Tvåverket").get_absolute_url()]


def test_unknown_parameters_change_nothing(client):
    member("Ettverket", "Ccplopzord.")
    plain = search(client, "ccplopzord")
    extra = search(client, "ccplopzord", utm_source="x", page="2", kommun="Malå", sida="<b>")
    assert extra.status_code == 200
    assert urls(extra) == urls(plain) != []
    assert "Regionkoordinatorer för" not in extra.content.decode()


def test_the_header_of_every_page_has_a_search_form(client):
    page = client.get(reverse("pages:about")).content.decode()
    form = re.search(r'<form class="site-search"[^>]*>(.*?)</form>', page, re.S)
    assert form, "no search form in the header"
    assert f'action="{reverse("search:results")}"' in form.group(0)
    assert 'method="get"' in form.group(0)
    assert re.search(r'<label[^>]*for="site-search-q"', form.group(1))
    assert '<input type="search" id="site-search-q" name="q"' in form.group(1)
    assert "<button" in form.group(1)


def test_a_search_is_served_from_the_page_cache_the_second_time(client):
    search(client, "människohandel")
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "människohandel")
    assert response.status_code == 200
    assert len(queries) == 0


def test_search_terms_are_neither_logged_nor_stored(client, caplog):
    marker = "Pqzvxmarkör"
    before = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    with caplog.at_level(logging.DEBUG):
        for q in (marker, f"{marker} stödtelefon", "Malå " + marker):
            assert search(client, q).status_code == 200
    logged = " ".join(f"{r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records)
    assert marker.casefold() not in logged.casefold()
    assert {m._meta.label: m._default_manager.count() for m in apps.get_models()} == before


def test_the_fallback_match_finds_words_and_marks_them_on_any_database():
    member("Fallbackverket", "Arbetar med plirrandet av <b>stödet</b>.")
    found = sources._fallback_hits(
        next(s for s in sources.SOURCES if s.kind == "member"),
        terms.parse("plirra"),
        limit=10,
        order=0,
    )
    assert [hit.title for hit in found] == ["Fallbackverket"]
    assert found[0].excerpt == "Arbetar med <mark>plirrandet</mark> av &lt;b&gt;stödet&lt;/b&gt;."


# PostgreSQL full-text search ---------------------------------------------------------------


@pytest.mark.postgres
def test_stemming_människohandeln_finds_människohandel(client):
    target = member("Stemverket", "Arbetar mot människohandel i hela landet.")
    other = member("Annatverket", "Arbetar med helt andra frågor.")
    found = urls(search(client, "människohandeln"))
    assert target.get_absolute_url() in found
    assert other.get_absolute_url() not in found


@pytest.mark.postgres
def test_stemming_samordna_finds_samordningen(client):
    target = issue("Nytt om arbetet", "Samordningen av insatserna stärks under året.")
    found = urls(search(client, "samordna"))
    assert target.get_absolute_url() in found


@pytest.mark.postgres
def test_stemming_works_the_other_way_and_with_other_forms(client):
    target = issue("Brottet som syns", "Koordinatorerna i regionerna.")
    for q in ("brott", "brotten", "koordinatorn", "regionen"):
        assert target.get_absolute_url() in urls(search(client, q)), q


@pytest.mark.postgres
def test_every_word_must_match(client):
    both = member("Bådaverket", "Kvastzord och mopzord.")
    one = member("Ettverket", "Bara kvastzord.")
    found = urls(search(client, "kvastzord mopzord"))
    assert both.get_absolute_url() in found
    assert one.get_absolute_url() not in found


@pytest.mark.postgres
def test_a_match_in_the_title_ranks_above_a_match_in_the_text(client):
    in_body = issue("Nyheter i maj", "Längre ned nämns Gnorbprojektet en gång.")
    in_title = issue("Gnorbprojektet startar", "Om arbetet.")
    in_member = member("Verket", "Deltar i Gnorbprojektet.")
    found = urls(search(client, "gnorbprojektet"))
    assert found.index(in_title.get_absolute_url()) < found.index(in_body.get_absolute_url())
    # A description (weight B) ranks above a newsletter's body text (weight C).
    assert found.index(in_member.get_absolute_url()) < found.index(in_body.get_absolute_url())


@pytest.mark.postgres
def test_a_page_about_the_subject_ranks_first_among_pages(client):
    found = hits(search(client, "stödtelefonen"))
    pages = [hit for hit in found if hit["kind"] == "Sida"]
    assert pages[0]["url"] == reverse("helpline:detail"), pages


@pytest.mark.postgres
def test_matching_words_are_highlighted_in_a_short_excerpt(client):
    long_text = "Inledande text om annat. " * 60 + "Här står det om människohandeln till sist."
    target = issue("Långt nummer", long_text)
    hit = next(
        h for h in hits(search(client, "människohandel")) if h["url"] == target.get_absolute_url()
    )
    assert "<mark>människohandeln</mark>" in hit["excerpt"]
    assert len(re.sub(r"<[^>]+>", "", hit["excerpt"])) < 400
    title_hit = hits(search(client, "långt"))[0]
    assert "<mark>Långt</mark>" in title_hit["title"]


@pytest.mark.postgres
def test_highlighting_escapes_what_editors_wrote(client):
    target = member(
        "Verket 5 < 6 & co",
        "Arbetar mot 5 < 6 & a<b i Xyloprojektet och <script>alert(1)</script> annat här.",
    )
    response = search(client, "xyloprojektet")
    hit = next(h for h in hits(response) if h["url"] == target.get_absolute_url())
    assert "5 &lt; 6 &amp; a&lt;b i <mark>Xyloprojektet</mark>" in hit["excerpt"]
    assert "Verket 5 &lt; 6 &amp; co" in hit["title"]
    assert "<script>" not in response.content.decode()


@pytest.mark.postgres
def test_markdown_marks_are_not_in_the_excerpt(client):
    target = issue(
        "Markdown", "## Rubrik om Vrelprojekt\n\n- [Vrelprojektet](https://example.se/vrel)"
    )
    hit = next(
        h for h in hits(search(client, "vrelprojekt")) if h["url"] == target.get_absolute_url()
    )
    assert "##" not in hit["excerpt"]
    assert "https://example.se" not in hit["excerpt"]
    assert "<mark>Vrelprojektet</mark>" in hit["excerpt"]


@pytest.mark.postgres
def test_contact_people_are_found_by_name_title_and_region(client):
    person = bulk_contacts(1, regions=[region("nord")])[0]
    person.name = "Tindra Qvistberg"
    person.title = "Utredare med ansvar för Blixtfrågor"
    person.save()
    for q in ("qvistberg", "blixtfrågor", "tindra qvistberg"):
        assert person.get_absolute_url() in urls(search(client, q)), q
    found = hits(search(client, "qvistberg nord"))
    assert [h["url"] for h in found] == [person.get_absolute_url()]
    assert "<mark>Nord</mark>" in found[0]["excerpt"]


@pytest.mark.postgres
def test_a_municipality_leads_straight_to_its_coordinators(client):
    for q in ("Malå", "malå kommun", "2418"):
        response = search(client, q)
        page = response.content.decode()
        link = reverse("contacts:coordinators") + "?" + urlencode({"kommun": "Malå"})
        assert f'href="{html_lib.escape(link)}"' in page, q
        assert "Regionkoordinatorer för Malå" in page


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("q", "heading", "says", "kommun"),
    [
        ("Visby", "Visby", "Visby ligger i Gotlands län.", "Gotland"),
        ("621 41", "Gotland", "Gotland ligger i Gotlands län.", "Gotland"),
        ("62141", "Gotland", "Gotland ligger i Gotlands län.", "Gotland"),
        ("Jämtland", "Jämtlands län", "Jämtlands län hör till Region Nord.", "Jämtlands län"),
        ("Region Väst", "Region Väst", None, "Region Väst"),
        ("Farsta", "Farsta", "Farsta finns i flera kommuner: Stockholm, Huddinge.", "Farsta"),
    ],
)
def test_a_postal_town_code_county_or_region_leads_to_its_coordinators(
    client, q, heading, says, kommun
):
    page = html_lib.unescape(search(client, q).content.decode())
    assert f"Regionkoordinatorer för {heading}" in page
    link = reverse("contacts:coordinators") + "?" + urlencode({"kommun": kommun})
    assert f'class="direct-answer__link" href="{link}"' in page
    if says:
        assert says in page
    # No sentence with a blank in it, nor a county said to lie in itself.
    assert "ligger i ." not in page and f"{heading} ligger i {heading}." not in page


@pytest.mark.postgres
def test_a_word_that_only_looks_like_a_place_gives_no_place_answer(client):
    page = search(client, "människohandel i Malå och annat").content.decode()
    assert "Regionkoordinatorer för" not in page


@pytest.mark.postgres
@pytest.mark.parametrize(
    "q", ["stödtelefon", "Stödtelefonen", "telefon", "jour", "akut", "stodtelefon"]
)
def test_helpline_words_show_the_number_and_its_status_first(client, q):
    with time_machine.travel(TUESDAY_OPEN, tick=False):
        response = search(client, q)
    page = response.content.decode()
    assert 'class="helpline-status--large"' in page
    status = page.index("Öppet nu")
    assert page.index('href="tel:+4620390000"', page.index("<main")) < status
    results = page.find('class="search-results"')
    assert results == -1 or status < results


@pytest.mark.postgres
@pytest.mark.parametrize("q", ["journalist", "telefonist", "akutmottagning"])
def test_other_words_do_not_show_the_helpline_answer(client, q):
    page = search(client, q).content.decode()
    assert 'class="helpline-status--large"' not in page


@pytest.mark.postgres
def test_a_search_runs_the_same_number_of_queries_with_few_and_many_rows(client):
    def grow(n):
        for _ in range(n):
            k = next(_serial)
            member(f"Verket {k}", f"Arbetar med Dubbprojektet nummer {k}.")
            issue(f"Dubbprojektet {k}", f"Om Dubbprojektet {k}.")
        Document.objects.bulk_create(
            Document(
                page=Page.objects.by_slug(Page.ABOUT),
                title=f"Dubbprojektet {k}",
                slug=f"dubb-{k}",
                description="Om Dubbprojektet.",
            )
            for k in (next(_serial) for _ in range(n))
        )
        bulk_contacts(n, regions=[region("nord")])

    from django.core.cache import cache

    from pagecache import forget_local_copies

    counts = {}
    grown = 0
    for size in (3, 40):
        grow(size - grown)
        grown = size
        for q in ("dubbprojektet", "regionkoordinator nord", "stödtelefon", "Malå"):
            cache.clear()
            forget_local_copies()
            with CaptureQueriesContext(connection) as queries:
                assert search(client, q).status_code == 200
            counts[(size, q)] = len(queries)
    for q in ("dubbprojektet", "regionkoordinator nord", "stödtelefon", "Malå"):
        assert counts[(3, q)] == counts[(40, q)], counts
        # One query per kind of hit (5); the place index for direct answers (7: regions,
        # counties, coordinators, their phones, municipalities, counties without a region,
        # postal codes), built once per content version and then kept in memory; the
        # helpline's status (4); the next scheduled change the page cache needs (1).
        assert counts[(40, q)] <= 5 + 7 + 4 + 1, counts
