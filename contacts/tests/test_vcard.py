"""vCards are parsed back with a small strict parser written to RFC 2426 / RFC 6350."""

import re

import pytest
from django.urls import reverse

from contacts.services import contact_create
from contacts.vcard import contact_vcard, fold_line

pytestmark = pytest.mark.django_db


def parse_vcard(raw: bytes) -> dict[str, list[tuple[dict, str]]]:
    """Strictly parse one vCard: UTF-8, CRLF only, lines of at most 75 octets, folding with
    one leading space, escapes only \\\\ \\, \\; \\n. Returns {NAME: [(params, value)]}."""
    text = raw.decode("utf-8")  # raises on invalid UTF-8
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\r" not in line and "\n" not in line, "bare CR or LF"
        assert len(line.encode("utf-8")) <= 75, f"line over 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            assert logical, "continuation without a line to continue"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    assert logical[0] == "BEGIN:VCARD"
    assert logical[-1] == "END:VCARD"
    props: dict[str, list[tuple[dict, str]]] = {}
    for line in logical[1:-1]:
        head, sep, value = line.partition(":")
        assert sep, f"no colon: {line!r}"
        name, *raw_params = head.split(";")
        assert re.fullmatch(r"[A-Z][A-Z0-9-]*", name), name
        params = {}
        for p in raw_params:
            key, _, val = p.partition("=")
            params[key.upper()] = val.upper().split(",")
        props.setdefault(name, []).append((params, value))
    return props


def unescape(value: str) -> str:
    """Unescape a TEXT value; a stray backslash or an unescaped comma/semicolon fails."""
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            nxt = value[i + 1]
            assert nxt in "\\,;nN", f"bad escape \\{nxt}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        assert c not in ",;", f"unescaped {c!r} in {value!r}"
        out.append(c)
        i += 1
    return "".join(out)


def split_structured(value: str) -> list[str]:
    parts, current, i = [], "", 0
    while i < len(value):
        if value[i] == "\\":
            current += value[i : i + 2]
            i += 2
        elif value[i] == ";":
            parts.append(current)
            current, i = "", i + 1
        else:
            current += value[i]
            i += 1
    parts.append(current)
    return [unescape(p) for p in parts]


def test_seeded_person_vcard_has_every_number_email_org_and_title(client):
    response = client.get(reverse("contacts:vcard", kwargs={"slug": "mats-paulsson"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mats-paulsson.vcf"'
    card = parse_vcard(response.content)
    assert card["VERSION"] == [({}, "3.0")]
    assert unescape(card["FN"][0][1]) == "Mats Paulsson"
    assert split_structured(card["N"][0][1])[:2] == ["Paulsson", "Mats"]
    assert split_structured(card["ORG"][0][1]) == [
        "Jämställdhetsmyndigheten",
        "Nationella samordningen mot prostitution och människohandel",
    ]
    assert unescape(card["TITLE"][0][1]) == "Senior utredare, prostitution och människohandel"
    tels = [(params["TYPE"], value) for params, value in card["TEL"]]
    assert tels == [(["WORK", "VOICE"], "+46313929031"), (["CELL", "VOICE"], "+46730568779")]
    assert [v for _, v in card["EMAIL"]] == ["mats.paulsson@jamstalldhetsmyndigheten.se"]


def test_special_characters_survive_escaping_and_folding(client):
    title = "Samordnare; barn, unga\\vuxna – Ärende\nnummer två " + "ö" * 60
    contact = contact_create(
        name="Åsa-Märta Ödegård",
        title=title,
        organisation="Länsstyrelsen i Västra Götalands län; enheten för social hållbarhet",
        unit="Avdelning, Syd",
        is_nspm=False,
        email="asa@example.se",
        phones=["031-60 50 00", "0701234567", "08-123 456 78"],
    )
    response = client.get(reverse("contacts:vcard", kwargs={"slug": contact.slug}))
    card = parse_vcard(response.content)
    assert unescape(card["TITLE"][0][1]) == title
    assert unescape(card["FN"][0][1]) == "Åsa-Märta Ödegård"
    assert split_structured(card["ORG"][0][1]) == [
        "Länsstyrelsen i Västra Götalands län; enheten för social hållbarhet",
        "Avdelning, Syd",
    ]
    assert [v for _, v in card["TEL"]] == ["+4631605000", "+46701234567", "+46812345678"]


def test_folding_never_splits_a_utf8_character():
    line = "NOTE:" + "å" * 200 + "x" + "€" * 50
    folded = fold_line(line)
    physical = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in physical)
    assert physical[0] + "".join(p[1:] for p in physical[1:]) == line
    assert all(p.startswith(" ") for p in physical[1:])


def test_vcard_of_an_unpublished_or_unknown_contact_is_404(client):
    contact = contact_create(name="Dold Person", published=False)
    assert client.get(reverse("contacts:vcard", kwargs={"slug": contact.slug})).status_code == 404
    assert client.get("/kontakt/finns-inte.vcf").status_code == 404


def test_vcard_link_is_on_the_contact_page(client):
    html = client.get(reverse("contacts:list")).content.decode()
    assert 'href="/kontakt/mats-paulsson.vcf"' in html


def test_vcard_content_direct_render_ends_every_line_with_crlf():
    class C:
        name, title, organisation, unit, email = "A B", "", "", "", ""

    text = contact_vcard(C(), phones=[])
    assert text.count("\r\n") == text.count("\n") == 5
