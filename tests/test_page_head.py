"""Every public page: description and Open Graph from its own fields, a canonical URL, the
feed link, and GOV.UK breadcrumbs with schema.org BreadcrumbList below the start page."""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from pages.models import Page
from tests.helpers import client_fetch, report


class Head(HTMLParser):
    """The meta and link elements of the head, and the breadcrumbs' links and microdata."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.title = ""
        self.crumbs: list[dict] = []
        self._in_title = False
        self._in_crumbs = 0
        self._crumb: dict | None = None
        self.crumb_navs = 0
        self.list_type = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a.get("name")] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "title":
            self._in_title = True
        elif tag == "nav" and a.get("aria-label") in ("Brödsmulor", "Breadcrumbs"):
            self.crumb_navs += 1
            self._in_crumbs = 1
        elif self._in_crumbs:
            if tag == "ol":
                self.list_type = a.get("itemtype")
            elif tag == "li":
                self._crumb = {"itemtype": a.get("itemtype"), "name": "", "position": None}
                self.crumbs.append(self._crumb)
            elif tag == "a" and self._crumb is not None:
                self._crumb["href"] = a.get("href")
                self._crumb["item"] = a.get("itemprop") == "item"
            elif tag == "meta" and self._crumb is not None and a.get("itemprop") == "position":
                self._crumb["position"] = a.get("content")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "nav" and self._in_crumbs:
            self._in_crumbs = 0
            self._crumb = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self._in_crumbs and self._crumb is not None:
            self._crumb["name"] += data.strip()


def head_of(response) -> Head:
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def test_every_page_describes_itself_for_search_engines_and_link_previews(client, pages_for_client):
    failures = []
    for entry in pages_for_client:
        response = client_fetch(client, entry, follow=True)
        head = head_of(response)
        where = f"{entry.label} {entry.path}"
        final_path = response.request["PATH_INFO"]
        canonical = settings.SITE_URL + final_path
        expected = {
            "og:url": canonical,
            "og:locale": {"sv": "sv_SE", "en": "en_GB"}[entry.language],
            "og:type": "article" if entry.label.startswith("Nyhetsbrev, ett nummer") else "website",
        }
        for key, value in expected.items():
            if head.meta.get(key) != value:
                failures.append(f"{where}: {key} is {head.meta.get(key)!r}, not {value!r}")
        for key in ("description", "og:title", "og:description", "og:site_name"):
            if not head.meta.get(key, "").strip():
                failures.append(f"{where}: no {key}")
        if head.meta.get("og:title") and head.meta["og:title"] not in html.unescape(head.title):
            failures.append(f"{where}: og:title {head.meta['og:title']!r} not the page's title")
        rels = {(link.get("rel"), link.get("href"), link.get("type")) for link in head.links}
        if ("canonical", canonical, None) not in rels:
            failures.append(f"{where}: no <link rel=canonical href={canonical}>")
        # The newsletter is Swedish: every page links to the one (Swedish) feed.
        with translation.override("sv"):
            feed = ("alternate", reverse("newsletter:feed"), "application/atom+xml")
        if feed not in rels:
            failures.append(f"{where}: no link to the newsletter feed")
    assert not failures, report("page head", failures)


def test_a_content_page_takes_title_and_description_from_its_own_fields(client, db):
    Page.objects.filter(slug=Page.ABOUT).update(
        title="Om oss & vårt uppdrag", description="Vad NSPM gör, för vem och varför."
    )
    head = head_of(client.get(reverse("pages:about")))
    assert head.meta["og:title"] == "Om oss & vårt uppdrag"
    assert head.meta["og:description"] == "Vad NSPM gör, för vem och varför."
    assert head.meta["description"] == "Vad NSPM gör, för vem och varför."
    assert head.title == "Om oss & vårt uppdrag – NSPM"


def test_every_page_below_the_start_page_has_breadcrumbs(client, pages_for_client):
    failures = []
    for entry in pages_for_client:
        if entry.status == 404:
            continue
        with translation.override(entry.language):
            home = reverse("pages:home")
        response = client_fetch(client, entry, follow=True)
        head = head_of(response)
        where = f"{entry.label} {entry.path}"
        if urlsplit(entry.path).path == home:
            if head.crumb_navs:
                failures.append(f"{where}: breadcrumbs on the start page")
            continue
        if head.crumb_navs != 1:
            failures.append(f"{where}: {head.crumb_navs} breadcrumb navs")
            continue
        if head.list_type != "https://schema.org/BreadcrumbList":
            failures.append(f"{where}: the list is not a schema.org BreadcrumbList")
        if not head.crumbs or head.crumbs[0].get("href") != home:
            failures.append(f"{where}: the first crumb is not the start page: {head.crumbs}")
        for position, crumb in enumerate(head.crumbs, start=1):
            if crumb["itemtype"] != "https://schema.org/ListItem" or not crumb.get("item"):
                failures.append(f"{where}: crumb {crumb} is not a ListItem with an item")
            if crumb["position"] != str(position) or not crumb["name"]:
                failures.append(f"{where}: crumb {crumb} lacks position {position} or a name")
        if any(crumb.get("href") == urlsplit(entry.path).path for crumb in head.crumbs[1:]):
            failures.append(f"{where}: the page itself is in its breadcrumbs")
    assert not failures, report("breadcrumbs", failures)


def test_an_issue_sits_under_the_archive_under_the_newsletter(client, db):
    from tests.builders import published_issue

    number = published_issue()["number"]
    head = head_of(client.get(reverse("newsletter:issue", kwargs={"number": number})))
    assert [(c["href"], c["name"]) for c in head.crumbs] == [
        (reverse("pages:home"), "Start"),
        (reverse("newsletter:signup"), "Nyhetsbrev"),
        (reverse("newsletter:archive"), "Nyhetsbrevsarkiv"),
    ]
    coordinators = head_of(client.get(reverse("contacts:coordinators")))
    assert [c["href"] for c in coordinators.crumbs] == [
        reverse("pages:home"),
        reverse("contacts:list"),
    ]
    assert re.fullmatch(r"Nr \d+: .+|Nyhetsbrev nr \d+: .+", head.meta["og:title"])
