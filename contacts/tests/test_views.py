import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact
from contacts.services import contact_create
from pagecache.version import bump as bump_content_version

from .builders import bulk_contacts, region

pytestmark = pytest.mark.django_db

HOSTILE = [
    "x" * 5000,
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1'; DROP TABLE contacts_contact; --",
    "%00%ff",
    "\x00",
    "😀\u202e\u200b",
    "a" * 101,
]


def _list_url(**params):
    from urllib.parse import urlencode

    return reverse("contacts:list") + ("?" + urlencode(params) if params else "")


def _lookup_url(name="contacts:coordinators", **params):
    from urllib.parse import urlencode

    return reverse(name) + ("?" + urlencode(params) if params else "")


# /kontakt/ ---------------------------------------------------------------------------


def test_contact_page_shows_people_mailbox_pattern_and_helpline(client):
    response = client.get(reverse("contacts:list"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ["Mats Paulsson", "Catrin Sandman", "Yvonne Karlsson"]:
        assert name in html
    assert 'href="tel:+46313929031">031-392 90 31</a>' in html
    assert 'href="tel:+46730568779">073-056 87 79</a>' in html
    assert 'href="mailto:nspm@jamstalldhetsmyndigheten.se"' in html
    assert "fornamn.efternamn@jamstalldhetsmyndigheten.se" in html
    assert 'href="tel:+4620390000"' in html
    assert reverse("contacts:coordinators") in html
    assert html.count("<h1") == 1
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("paulsson", {"Mats Paulsson"}),
        ("KVALIFICERAD", {"Catrin Sandman", "Yvonne Karlsson"}),
        ("människohandel", {"Mats Paulsson", "Catrin Sandman", "Yvonne Karlsson"}),
        ("manniskohandel", {"Mats Paulsson", "Catrin Sandman", "Yvonne Karlsson"}),
    ],
)
def test_filter_by_name_or_title(client, q, expected):
    html = client.get(_list_url(q=q)).content.decode()
    shown = {n for n in ["Mats Paulsson", "Catrin Sandman", "Yvonne Karlsson"] if n in html}
    assert shown == expected


def test_filter_by_region_select_and_by_region_name_in_text(client):
    vast = region("vast")
    coordinator = contact_create(
        name="Åke Västberg",
        title="Regionkoordinator",
        is_nspm=False,
        organisation="Göteborgs stad",
        email="ake@example.se",
        regions=[vast],
    )
    html = client.get(_list_url(region="vast")).content.decode()
    assert coordinator.name in html and "Mats Paulsson" not in html
    assert "1 kontaktperson matchar" in html
    html = client.get(_list_url(q="väst")).content.decode()
    assert coordinator.name in html and "Mats Paulsson" not in html
    html = client.get(_list_url(region="nord")).content.decode()
    assert coordinator.name not in html
    assert "Ingen kontaktperson matchar sökningen" in html


@pytest.mark.parametrize("q", ["paulson", "Paulson", "mats paulson", "PAULSSON"])
def test_a_name_spelt_almost_right_finds_the_person(client, q):
    html = client.get(_list_url(q=q)).content.decode()
    assert "Mats Paulsson" in html
    assert "Catrin Sandman" not in html and "Yvonne Karlsson" not in html


def test_a_near_miss_says_the_spelling_differs(client):
    assert "Ingen heter exakt så" in client.get(_list_url(q="paulson")).content.decode()
    assert "Ingen heter exakt så" not in client.get(_list_url(q="paulsson")).content.decode()


def test_nothing_alike_is_still_nothing(client):
    html = client.get(_list_url(q="qwxz")).content.decode()
    assert "Ingen kontaktperson matchar sökningen" in html


@pytest.mark.parametrize(
    ("q", "target"),
    [("Göteborg", "1480"), ("Visby", "Visby"), ("Jämtland", "J%C3%A4mtlands%20l%C3%A4n")],
)
def test_a_place_in_the_contact_search_points_to_the_coordinator_lookup(client, q, target):
    html = client.get(_list_url(q=q)).content.decode()
    assert f'href="{reverse("contacts:coordinators")}?kommun={target}"' in html
    assert "är en plats" in html


def test_a_persons_name_does_not_point_to_the_lookup(client):
    assert "är en plats" not in client.get(_list_url(q="Sandman")).content.decode()


def test_unpublished_contacts_are_not_listed(client):
    contact_create(name="Dold Person", published=False)
    assert "Dold Person" not in client.get(reverse("contacts:list")).content.decode()


@pytest.mark.parametrize("value", HOSTILE)
def test_contact_filter_survives_hostile_input(client, value):
    for params in ({"q": value}, {"region": value}, {"q": value, "region": value}):
        response = client.get(_list_url(**params))
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html


def test_too_long_filter_text_uses_the_error_pattern(client):
    html = client.get(_list_url(q="a" * 101)).content.decode()
    assert "<title>Fel: " in html
    assert "högst 100 tecken" in html
    assert 'aria-invalid="true"' in html
    assert 'value="' + "a" * 101 + '"' in html  # nothing typed is lost
    assert 'maxlength="' not in html  # the browser does not cut pasted text silently
    assert '<a href="#id_q">Sökordet kan vara högst 100 tecken.</a>' in html  # error summary
    assert (
        'aria-describedby="id_q_error"' in html
        and '<span class="error-message" id="id_q_error">' in html
    )


def test_unknown_region_uses_the_error_pattern(client):
    html = client.get(_list_url(region="<b>x</b>")).content.decode()
    assert "<title>Fel: " in html
    assert "Välj en region i listan." in html
    assert '<a href="#id_region">' in html and 'aria-describedby="id_region_error"' in html


def test_contact_page_rejects_post(client):
    assert client.post(reverse("contacts:list")).status_code == 405


def _bust(url: str) -> str:
    """The URL, with every stored page made stale, so no page cache can answer instead of
    the view (an unknown query parameter no longer does: the cache ignores it)."""
    from pagecache.version import bump

    bump()
    return url


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        _list_url(),
        _list_url(q="person"),
        _list_url(region="vast"),
        _lookup_url(kommun="Borås"),
        _lookup_url(),
        _lookup_url(kommun="okänd"),
        _lookup_url("contacts:coordinators_json", kommun="Borås"),
    ],
)
def test_queries_do_not_grow_with_the_number_of_contacts(client, django_assert_num_queries, url):
    bulk_contacts(5, regions=[region("vast")])
    bump_content_version()  # bulk_create sends no signal; an editor's save would bump it
    client.get(_bust(url))  # warm-up: caches other apps fill (e.g. the helpline status)
    bump_content_version()
    small = _count_queries(client, _bust(url))
    assert small > 0
    bulk_contacts(495, regions=[region("vast"), region("nord")])
    bump_content_version()
    with django_assert_num_queries(small):
        response = client.get(_bust(url))
    assert response.status_code == 200
    # The page really lists all 500 (so the constant count is not an empty page's).
    assert response.content.decode().count("Person Nummer") >= 500


# /kontakt/regionkoordinatorer/ -------------------------------------------------------


def test_lookup_page_without_input_lists_all_regions_and_offers_every_municipality(client):
    html = client.get(reverse("contacts:coordinators")).content.decode()
    assert html.count('<option value="') >= 290
    assert '<datalist id="kommuner">' in html and 'list="kommuner"' in html
    for name in ["Region Nord", "Region Bergslagen", "Västerbottens län"]:
        assert name in html
    assert "<title>Fel" not in html


def test_lookup_shows_region_counties_and_coordinators(client):
    coordinator = contact_create(
        name="Nora Norrman",
        title="Regionkoordinator",
        is_nspm=False,
        organisation="Länsstyrelsen i Norrbottens län",
        email="nora@example.se",
        phones=["0920-960 00"],
        regions=[region("nord")],
    )
    html = client.get(_lookup_url(kommun="malå")).content.decode()
    assert "Malå hör till Region Nord" in html
    assert "Västerbottens län" in html and "Norrbottens län" in html and "Jämtlands län" in html
    assert coordinator.name in html
    assert 'href="tel:+4692096000"' in html
    assert "ingen regionkoordinator inlagd" not in html


def test_region_without_coordinator_points_to_the_helpline(client):
    html = client.get(_lookup_url(kommun="2418")).content.decode()
    assert "Det finns ingen regionkoordinator inlagd för Region Nord ännu." in html
    assert 'href="tel:+4620390000"' in html
    assert reverse("helpline:detail") in html


def test_the_map_highlights_the_chosen_region_and_county(client):
    html = client.get(_lookup_url(kommun="Malå")).content.decode()
    assert 'role="img" aria-labelledby="region-map-title"' in html
    assert 'region-map__county is-region is-county" data-county="24"' in html
    assert 'region-map__county is-region" data-county="25"' in html
    assert 'region-map__county" data-county="01"' in html
    assert "Region Nord är markerad" in html


def test_unknown_municipality_gets_error_pattern_and_suggestions(client):
    html = client.get(_lookup_url(kommun="Götebrog")).content.decode()
    assert "<title>Fel: " in html
    assert "Vi hittade ingen kommun, ort, län eller region som heter ”Götebrog”" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_kommun_helptext id_kommun_error"' in html  # hint, then error
    assert '<a href="#id_kommun">' in html
    assert "?kommun=1480" in html  # Göteborg offered


def _answer_before_form(html: str) -> bool:
    return html.index('id="svar"') < html.index('<form class="lookup-form"')


def test_visby_answers_gotland_first_and_offers_nothing_elsewhere(client):
    html = client.get(_lookup_url(kommun="Visby")).content.decode()
    assert "Visby hör till Region Stockholm</h2>" in html
    assert "Postorten Visby ligger i Gotland (kommunkod 0980), Gotlands län." in html
    assert _answer_before_form(html)
    assert "<title>Fel" not in html and "Menade du" not in html
    shown = html.split("<datalist")[0]  # the list offers all 290 municipalities while typing
    for elsewhere in ("Osby", "Älvsbyn", "Vimmerby"):
        assert elsewhere not in shown


def test_jamtland_answers_the_region_at_once_with_the_countys_municipalities(client):
    html = client.get(_lookup_url(kommun="Jämtland")).content.decode()
    assert "Jämtlands län hör till Region Nord</h2>" in html
    assert "Kommuner i Jämtlands län" in html
    for name, code in (("Östersund", "2380"), ("Berg", "2326"), ("Härjedalen", "2361")):
        assert f'?kommun={code}">{name}</a>' in html
    assert "Gotland" not in html.split('id="svar"')[1].split("</section>")[0]
    assert _answer_before_form(html)


def test_skane_is_region_syd_not_ange(client):
    html = client.get(_lookup_url(kommun="Skåne")).content.decode()
    assert "Skåne län hör till Region Syd</h2>" in html
    assert "Ånge" not in html.split("<datalist")[0]


def test_region_name_answers_the_region_with_its_counties(client):
    html = client.get(_lookup_url(kommun="Region Väst")).content.decode()
    assert '<h2 id="svar" tabindex="-1" data-lookup-result>Region Väst</h2>' in html
    assert "Region Väst omfattar Hallands län och Västra Götalands län." in html
    assert "?kommun=Hallands%20l%C3%A4n" in html


def test_postal_code_answer_names_code_town_and_municipality(client):
    html = client.get(_lookup_url(kommun="62141")).content.decode()
    assert "621 41 Visby hör till Region Stockholm</h2>" in html
    assert "Postnumret 621 41 (Visby) ligger i Gotland (kommunkod 0980), Gotlands län." in html


def test_unknown_postal_code_is_an_error_offering_its_area(client):
    html = client.get(_lookup_url(kommun="621 01")).content.decode()
    assert "<title>Fel: " in html
    assert "Postnumret 621 01 finns inte i vår förteckning" in html
    assert "Postnummer som börjar på 621 finns i" in html
    assert "?kommun=0980" in html


def test_a_town_in_several_municipalities_asks_which_one_without_an_error(client):
    html = client.get(_lookup_url(kommun="Farsta")).content.decode()
    assert "<title>Fel" not in html and 'aria-invalid="true"' not in html
    assert "Vilken kommun menar du?" in html
    assert "”Farsta” finns i flera kommuner. Välj den du menar." in html
    assert '?kommun=0180">Stockholm</a>' in html and '?kommun=0126">Huddinge</a>' in html
    assert _answer_before_form(html)
    ambiguous = client.get(_lookup_url(kommun="Hábo")).content.decode()
    assert '?kommun=0643">Habo</a>' in ambiguous and '?kommun=0305">Håbo</a>' in ambiguous


def test_habo_mentions_habo_with_ring(client):
    html = client.get(_lookup_url(kommun="Habo")).content.decode()
    assert "Habo hör till Region Öst" in html
    assert "Håbo" in html


@pytest.mark.parametrize("value", HOSTILE + ["", "9999", "999 99"])
def test_lookup_survives_hostile_input(client, value):
    response = client.get(_lookup_url(kommun=value))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<title>Fel: " in html


def test_lookup_with_invalid_utf8_and_repeated_parameters(client):
    assert client.get(reverse("contacts:coordinators") + "?kommun=%ED%A0%80").status_code == 200
    assert client.get(reverse("contacts:coordinators") + "?kommun=%FF%FE").status_code == 200
    response = client.get(reverse("contacts:coordinators") + "?kommun=x&kommun=Mal%C3%A5")
    assert response.status_code == 200


# JSON ----------------------------------------------------------------------------------


def test_json_answer_has_exactly_the_documented_fields(client):
    coordinator = contact_create(
        name="Nora Norrman",
        title="Regionkoordinator",
        is_nspm=False,
        organisation="Länsstyrelsen",
        email="nora@example.se",
        phones=["0920-960 00", "070-123 45 67"],
        regions=[region("nord")],
    )
    response = client.get(_lookup_url("contacts:coordinators_json", kommun="MALÅ"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data == {
        "matched_by": "municipality",
        "kommun": "Malå",
        "kommun_code": "2418",
        "postal_code": None,
        "postal_town": None,
        "county": "Västerbottens län",
        "county_code": "24",
        "region": "Nord",
        "municipalities": [],
        "coordinators": [
            {
                "name": coordinator.name,
                "title": "Regionkoordinator",
                "phones": ["+4692096000", "+46701234567"],
                "email": "nora@example.se",
            }
        ],
    }


@pytest.mark.parametrize(
    ("typed", "matched_by", "kommun", "county", "region"),
    [
        ("Malå", "municipality", "Malå", "Västerbottens län", "Nord"),
        ("2418", "code", "Malå", "Västerbottens län", "Nord"),
        ("621 41", "postal_code", "Gotland", "Gotlands län", "Stockholm"),
        ("Visby", "postal_town", "Gotland", "Gotlands län", "Stockholm"),
        ("Jämtlands län", "county", None, "Jämtlands län", "Nord"),
        ("Region Väst", "region", None, None, "Väst"),
    ],
)
def test_json_says_how_it_matched(client, typed, matched_by, kommun, county, region):
    response = client.get(_lookup_url("contacts:coordinators_json", kommun=typed))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert (data["matched_by"], data["kommun"], data["county"], data["region"]) == (
        matched_by,
        kommun,
        county,
        region,
    )
    if matched_by == "postal_code":
        assert (data["postal_code"], data["postal_town"]) == ("621 41", "Visby")
    if matched_by == "county":
        assert {"name": "Östersund", "code": "2380"} in data["municipalities"]
        assert len(data["municipalities"]) == 8


def test_json_town_in_several_municipalities_is_a_300_choice(client):
    response = client.get(_lookup_url("contacts:coordinators_json", kommun="Farsta"))
    assert response.status_code == 300
    data = json.loads(response.content)
    assert data["matched_by"] == "postal_town"
    assert {c["kommun_code"] for c in data["choices"]} == {"0180", "0126"}
    assert set(data["suggestions"]) == {"Stockholm", "Huddinge"}


def test_json_path_sits_beside_the_html_page():
    assert reverse("contacts:coordinators_json") == "/kontakt/regionkoordinatorer.json"


def test_json_unknown_is_404_with_error_and_suggestions(client):
    response = client.get(_lookup_url("contacts:coordinators_json", kommun="Götebrog"))
    assert response.status_code == 404
    data = json.loads(response.content)
    assert "Götebrog" in data["error"]
    assert "Göteborg" in data["suggestions"]


def test_json_missing_parameter_is_400(client):
    response = client.get(reverse("contacts:coordinators_json"))
    assert response.status_code == 400
    assert "kommun" in json.loads(response.content)["error"]


@pytest.mark.parametrize("value", HOSTILE + ["", "9999"])
def test_json_hostile_input_is_a_json_error(client, value):
    response = client.get(_lookup_url("contacts:coordinators_json", kommun=value))
    assert response.status_code in (400, 404)
    data = json.loads(response.content)
    assert data["error"]
    assert isinstance(data["suggestions"], list)


def test_unpublished_coordinator_is_not_in_the_answer(client):
    contact_create(
        name="Dold Koordinator",
        is_nspm=False,
        email="d@example.se",
        regions=[region("nord")],
        published=False,
    )
    data = json.loads(client.get(_lookup_url("contacts:coordinators_json", kommun="2418")).content)
    assert data["coordinators"] == []
    assert Contact.objects.filter(name="Dold Koordinator").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/kontakt/",
        "/kontakt/regionkoordinatorer/?kommun=Mal%C3%A5",
        "/kontakt/regionkoordinatorer.json?kommun=Mal%C3%A5",
        "/kontakt/mats-paulsson.vcf",
    ],
)
def test_wrong_method_is_405_and_pages_set_no_cookie(client, url):
    assert client.post(url).status_code == 405
    assert client.put(url).status_code == 405
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies


def test_municipality_whose_county_has_no_region_answers_without_one(client):
    from contacts.models import County

    county = County.objects.get(code="24")
    county.region = None
    county.save()
    data = json.loads(client.get(_lookup_url("contacts:coordinators_json", kommun="Malå")).content)
    assert data["region"] is None and data["coordinators"] == []
    html = client.get(_lookup_url(kommun="Malå")).content.decode()
    assert "inte kopplat till någon region" in html
    assert 'href="tel:+4620390000"' in html
