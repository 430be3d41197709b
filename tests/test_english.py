"""The English site under /en/: every page has its counterpart in the other language, linked
both ways (with the query string), hreflang alternates, no redirect or cookie by language,
and nothing Swedish in the interface of an English page."""

import gettext
import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.helpers import client_fetch, report
from tests.public_pages import NOT_FOUND_PATHS

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Names that stay Swedish in English text: county names end in "län" (Skåne län).
NAMES = {"län"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class Page(HTMLParser):
    """The visible text of a page outside any lang="sv" element (Swedish-only content, such
    as a newsletter issue, is marked so), the head's alternates and the language switch."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.alternates: dict[str, str] = {}
        self.switches: list[dict] = []
        self.meta: dict[str, str] = {}
        self.html_lang = None
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its text)

    def _hidden(self) -> bool:
        return any(hides for _tag, hides in self._stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        is_page_alternate = a.get("rel") == "alternate" and a.get("type") is None
        if tag == "link" and is_page_alternate and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content", "")
        if tag == "a" and "language-switch" in (a.get("class") or ""):
            self.switches.append(a)
        if tag in VOID:
            return
        # The <title> of a newsletter issue holds its (Swedish) subject, which the page body
        # marks lang="sv"; a title cannot be marked, so the scan reads the body only.
        hides = tag in ("script", "style", "title") or a.get("lang") == "sv"
        self._stack.append((tag, hides))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self.text.append(data)

    @property
    def visible(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.text))


def parse(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


def other(language: str) -> str:
    return "en" if language == "sv" else "sv"


def test_every_page_links_to_the_same_page_in_the_other_language(client, pages_for_client):
    failures = []
    for entry in pages_for_client:
        if entry.submit is not None:
            continue  # a form's answer; its address is the form's, checked on its own
        where = f"{entry.label} {entry.path}"
        page = parse(client.get(entry.path))
        if page.html_lang != entry.language:
            failures.append(f"{where}: <html lang={page.html_lang!r}>")
        if len(page.switches) != 1:
            failures.append(f"{where}: {len(page.switches)} language links")
            continue
        link = page.switches[0]
        target = other(entry.language)
        if link.get("lang") != target or link.get("hreflang") != target:
            failures.append(f"{where}: the language link lacks lang/hreflang {target}: {link}")
        if entry.path in NOT_FOUND_PATHS.values():
            # An address the site does not know: the other language's start page.
            with translation.override(target):
                if link["href"] != reverse("pages:home"):
                    failures.append(f"{where}: a missing page links to {link['href']}")
            continue
        response = client.get(link["href"])
        if response.status_code != entry.status:
            failures.append(f"{where}: {link['href']} answers {response.status_code}")
            continue
        back = parse(response)
        if back.html_lang != target:
            failures.append(f"{where}: {link['href']} is not in {target}")
        if [s["href"] for s in back.switches] != [entry.path]:
            failures.append(f"{where}: {link['href']} links back to {back.switches}")
    assert not failures, report("language links", failures)


def test_the_language_link_keeps_the_query_string(client):
    response = client.get(reverse("contacts:coordinators"), {"kommun": "Malå"})
    link = parse(response).switches[0]
    assert link["href"] == "/en/contact/regional-coordinators/?kommun=" + quote("Malå")
    assert link["lang"] == "en" and link["hreflang"] == "en" and "English" in response.text
    english = client.get(link["href"])
    assert "Malå belongs to Region North" in html.unescape(english.content.decode())
    assert parse(english).switches[0]["href"] == "/kontakt/regionkoordinatorer/?kommun=" + quote(
        "Malå"
    )


def test_every_page_names_its_alternates_in_the_head(client, pages_for_client):
    failures = []
    for entry in pages_for_client:
        if entry.submit is not None or entry.status == 404:
            continue
        where = f"{entry.label} {entry.path}"
        page = parse(client.get(entry.path))
        path = urlsplit(entry.path).path
        with translation.override(entry.language):
            match_path = path
        own = settings.SITE_URL + match_path
        if page.alternates.get(entry.language) != own and not (
            entry.language == "en" and "noindex" in page.meta.get("robots", "")
        ):
            failures.append(f"{where}: hreflang {entry.language} is not {own}: {page.alternates}")
        if "sv" not in page.alternates or page.alternates.get("x-default") != page.alternates["sv"]:
            failures.append(f"{where}: x-default is not the Swedish page: {page.alternates}")
        for code, href in page.alternates.items():
            if not href.startswith(settings.SITE_URL + "/") or "?" in href:
                failures.append(f"{where}: hreflang {code} is not an absolute address: {href}")
        if "en" in page.alternates and not page.alternates["en"].startswith(
            settings.SITE_URL + "/en/"
        ):
            failures.append(f"{where}: hreflang en is {page.alternates['en']}")
    assert not failures, report("hreflang", failures)


def test_nobody_is_redirected_or_given_a_cookie_by_language(client):
    swedish = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert swedish.status_code == 200
    assert parse(swedish).html_lang == "sv"
    client.cookies["django_language"] = "en"
    still_swedish = client.get(reverse("helpline:detail"), HTTP_ACCEPT_LANGUAGE="en")
    assert parse(still_swedish).html_lang == "sv"
    del client.cookies["django_language"]
    english = client.get("/en/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv")
    assert english.status_code == 200 and parse(english).html_lang == "en"
    for response in (swedish, still_swedish, english):
        assert not response.cookies, response.cookies
    assert client.get("/sv/").status_code == 404  # Swedish has no prefix


def test_the_staff_side_stays_swedish_for_an_english_browser(client):
    response = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="sv"' in response.content.decode()
    assert "Logga in" in response.content.decode()


def swedish_interface_words() -> set[str]:
    """Words of the Swedish interface that English never uses: every word of a msgid with å,
    ä or ö, or a common Swedish word, unless the English catalogue uses it too (place names
    in examples, such as Malå)."""
    entries = catalogue()
    english_words = {w for _i, strs in entries for s in strs for w in re.findall(r"\w+", s)}
    function_words = {"och", "för", "på", "är", "med", "inte", "eller", "av", "om", "till"}
    words = set()
    for msgid, _strs in entries:
        for word in re.findall(r"\w+", msgid):
            if (re.search("[åäöÅÄÖ]", word) or word in function_words) and len(word) > 1:
                words.add(word)
    return words - english_words - NAMES


def catalogue() -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, ...]) of every entry in the English .po file."""
    text = PO.read_text()
    entries = []
    for block in text.split("\n\n")[1:]:
        msgid = _po_string(block, "msgid")
        if msgid is None:
            continue
        strs = [
            "".join(_unquote(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', chunk))
            for chunk in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        ]
        entries.append((msgid, strs))
    return entries


def _po_string(block: str, keyword: str) -> str | None:
    match = re.search(rf"^{keyword} ((?:\".*\"\n?)+)", block, re.M)
    if match is None:
        return None
    return "".join(_unquote(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', match.group(1)))


def _unquote(quoted: str) -> str:
    return quoted[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def test_no_swedish_is_left_in_the_interface_of_an_english_page(client, pages_for_client):
    words = swedish_interface_words()
    # Spot checks that the list is the interface's: the words the brief names are in it.
    assert {"Stödtelefon", "Öppet", "Stängt", "Sök", "Lämna", "och"} <= words
    untranslated = [
        msgid
        for msgid, strs in catalogue()
        if msgid and msgid not in NAMES and not any(s.strip() for s in strs)
    ]
    failures = []
    for entry in pages_for_client:
        if entry.language != "en":
            continue
        response = client_fetch(client, entry, follow=True)
        page = parse(response)
        where = f"{entry.label} {entry.path}"
        visible = page.visible
        # What the visitor typed is shown back as typed (a search for "människohandel").
        for typed in [
            *parse_qs(urlsplit(entry.path).query).values(),
            *(entry.submit or {}).values(),
        ]:
            for value in typed if isinstance(typed, list) else [typed]:
                visible = visible.replace(value, " ")
        found = sorted({w for w in re.findall(r"\w+", visible) if w in words})
        if found:
            failures.append(f"{where}: Swedish words {found}")
        for msgid in untranslated:
            # The longest literal part of the message, without its placeholders.
            # (A single word such as "organisation" or "Person" is English too.)
            part = max(re.split(r"%\(\w+\)[sd]|%[sd]", msgid), key=len).strip()
            if (" " in part or re.search("[åäöÅÄÖ]", part)) and re.search(
                rf"(?<!\w){re.escape(part)}(?!\w)", visible
            ):
                failures.append(f"{where}: untranslated message {msgid!r}")
    assert not failures, report("Swedish on English pages", failures)


def test_every_message_of_the_public_pages_has_an_english_translation():
    public = re.compile(
        r"^(templates/(?!admin/|simple_history/|newsletter/email/)|.*(urls|views|forms|feeds"
        r"|context_processors|sources)\.py$|common/templates/)"
    )
    missing = []
    for block in PO.read_text().split("\n\n")[1:]:
        locations = " ".join(re.findall(r"^#: (.*)$", block, re.M)).split()
        msgid = _po_string(block, "msgid")
        if not msgid or not any(public.match(location) for location in locations):
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if "#, fuzzy" in block or not all(
            "".join(_unquote(p) for p in re.findall(r'"(?:[^"\\]|\\.)*"', s)) for s in strs
        ):
            missing.append(f"{msgid!r} ({', '.join(locations)})")
    assert not missing, report("untranslated messages of public pages", missing)


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (a fresh machine needs no gettext tools): it must be compiled
    from the .po as it is now."""
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for msgid, strs in catalogue():
        if not msgid or len(strs) != 1 or not strs[0]:
            continue
        if compiled.gettext(msgid) != strs[0]:
            stale.append(msgid)
    assert not stale, report(
        "messages the .mo does not have as the .po says (make messages)", stale
    )


def test_a_page_without_english_text_says_so_in_english_and_links_to_swedish(client):
    from pages.models import Page as ContentPage

    assert not ContentPage.objects.get(slug=ContentPage.PRIVACY).body_en
    with translation.override("en"):
        path = reverse("pages:privacy")
    response = client.get(path)
    assert response.status_code == 200
    page = parse(response)
    assert page.html_lang == "en"
    assert page.meta["robots"] == "noindex"
    assert "This page is not yet available in English." in page.visible
    assert re.search(
        r'<a href="/personuppgifter/" lang="sv" hreflang="sv">Read the page in Swedish</a>',
        response.content.decode(),
    )
    assert "Personuppgiftsansvarig" not in response.content.decode()
    # The Swedish page does not point search engines at the notice.
    swedish = parse(client.get(reverse("pages:privacy")))
    assert "en" not in swedish.alternates and swedish.alternates["sv"].endswith("/personuppgifter/")


def test_a_page_gets_its_english_address_as_soon_as_an_editor_writes_english(client):
    from pages.models import Page as ContentPage

    page = ContentPage.objects.get(slug=ContentPage.PRIVACY)
    page.title_en = "Personal data and cookies"
    page.description_en = "What personal data the website handles."
    page.body_en = "The Swedish Gender Equality Agency is the controller."
    page.save()
    with translation.override("en"):
        path = reverse("pages:privacy")
    response = client.get(path)
    assert "The Swedish Gender Equality Agency is the controller." in response.content.decode()
    assert "noindex" not in parse(response).meta.get("robots", "")
