"""Text the pages build from data reads as written text on every public page (issue 16):
the helpline's alternatives once, no list item beginning with "eller", no separator left
dangling where an optional part was empty, and each region spelt one way."""

import re
from html.parser import HTMLParser

from contacts.models import Region
from helpline.models import Alternative
from tests.helpers import client_fetch, report

BLOCKS = {"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "caption", "figcaption"}
DANGLING = re.compile(r"^[·|,–]|[·|,–]$|[·|,–]\s*[·|,–]")


class Text(HTMLParser):
    """The text of every block (paragraph, list item, cell, heading), inline tags included;
    and of every list item on its own."""

    def __init__(self):
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "title"):
            self._skip += 1
        elif tag in BLOCKS:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1
        elif tag in BLOCKS and self._open and self._open[-1][0] == tag:
            name, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            self.blocks.append((name, text))
            if self._open:
                self._open[-1][1].append(" " + text + " ")

    def handle_data(self, data):
        if not self._skip and self._open:
            self._open[-1][1].append(data)


def _problems(body: str, tel_links: list[str], region_names: list[str]) -> list[str]:
    problems = []
    for href in tel_links:
        if body.count(f'href="{href}"') > 1:
            problems.append(f"{href} linked {body.count(f'href={chr(34)}{href}{chr(34)}')} times")
    text = Text()
    text.feed(body)
    for tag, block in text.blocks:
        if tag == "li" and block.lower().startswith("eller"):
            problems.append(f"a list item begins with 'eller': {block[:60]!r}")
        if tag == "li" and not block:
            problems.append("an empty list item")
        if DANGLING.search(block):
            problems.append(f"a separator left dangling: {block[:80]!r}")
    for name in region_names:
        # "Region Nord", never "region Nord", "Region nord" or "Regionen Nord".
        bare = name.removeprefix("Region ")
        for found in re.findall(rf"\b[Rr]egion(?:en)? {re.escape(bare)}\b", body, re.I):
            if found != name:
                problems.append(f"{name} spelt {found!r}")
    return problems


def test_text_built_from_data_reads_as_written(pages_for_client, client):
    tel_links = [f"tel:{a.tel}" for a in Alternative.objects.exclude(tel="")]
    assert "tel:11414" in tel_links and "tel:112" in tel_links
    region_names = [str(region) for region in Region.objects.all()]
    assert "Region Nord" in region_names
    failures = []
    for entry in pages_for_client:
        response = client_fetch(client, entry)
        if response.status_code >= 300:
            continue
        body = response.content.decode()
        for problem in _problems(body, tel_links, region_names):
            failures.append(f"{entry.label} {entry.path}: {problem}")
    assert not failures, report("text built from data", failures)


def test_the_checks_find_what_they_look_for():
    body = (
        "<ul><li>ring 112</li><li>eller socialjouren</li><li></li></ul>"
        '<p><a href="tel:112">112</a> · <span></span> · <a href="tel:112">112</a></p>'
        "<p>Kontakta region nord.</p>"
    )
    found = _problems(body, ["tel:112"], ["Region Nord"])
    assert any("tel:112 linked 2 times" in p for p in found)
    assert any("begins with 'eller'" in p for p in found)
    assert any("empty list item" in p for p in found)
    assert any("dangling" in p for p in found)
    assert any("spelt 'region nord'" in p for p in found)
