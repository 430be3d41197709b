import csv
from pathlib import Path

import pytest

from contacts.lookup import find_municipality
from contacts.models import County, Municipality, Region

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def municipalities(db):
    return list(Municipality.objects.for_lookup())


def test_reference_data_has_21_counties_290_municipalities_and_7_regions(db):
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert list(Region.objects.values_list("name", flat=True)) == [
        "Nord",
        "Mitt",
        "Stockholm",
        "Öst",
        "Väst",
        "Syd",
        "Bergslagen",
    ]


def test_every_municipality_maps_to_exactly_one_county_and_one_region(db):
    with open(DATA / "kommuner.csv", encoding="utf-8") as f:
        expected = {row["kommun_kod"]: row for row in csv.DictReader(f)}
    with open(DATA / "regioner.csv", encoding="utf-8") as f:
        region_of = {row["lan_kod"]: row["region"] for row in csv.DictReader(f)}
    seen = set()
    for m in Municipality.objects.select_related("county__region"):
        row = expected[m.code]
        assert m.name == row["kommun"]
        assert m.code[:2] == m.county.code == row["lan_kod"]
        assert m.county.region is not None, m
        assert m.county.region.name == region_of[m.county.code]
        seen.add(m.code)
    assert seen == set(expected)
    # Every county is in exactly one region, and every region covers at least one county.
    assert set(region_of) == set(County.objects.values_list("code", flat=True))
    assert all(r.counties.exists() for r in Region.objects.all())


@pytest.mark.parametrize(
    "typed",
    ["Malå", "malå", "MALÅ", " Malå ", "Mala", "2418", "Malå kommun", "malå  KOMMUN"],
)
def test_mala_is_found_however_it_is_typed(municipalities, typed):
    result = find_municipality(typed, municipalities)
    assert result.found, result
    assert result.match.code == "2418"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        (" Upplands Väsby ", "0114"),
        ("upplands   väsby", "0114"),
        ("Upplands-Väsby", "0114"),
        ("upplands bro", "0139"),
        ("114", "0114"),
        ("0114", "0114"),
        ("Göteborgs stad", "1480"),
        ("goteborg", "1480"),
        ("Stockholms stad", "0180"),
        ("Falu kommun", "2080"),
        ("Region Gotland", "0980"),
        ("ÖREBRO", "1880"),
        ("Borås kommun", "1490"),
        ("Malung-Sälen", "2023"),
        ("malung salen", "2023"),
    ],
)
def test_names_spacing_hyphens_suffixes_and_codes(municipalities, typed, code):
    result = find_municipality(typed, municipalities)
    assert result.found, (typed, result.error, [m.name for m in result.suggestions])
    assert result.match.code == code


def test_habo_and_habo_are_told_apart(municipalities):
    habo = find_municipality("habo", municipalities)
    assert habo.match.name == "Habo"
    assert [m.name for m in habo.alternatives] == ["Håbo"]
    assert find_municipality("HÅBO", municipalities).match.name == "Håbo"
    ambiguous = find_municipality("Hábo", municipalities)
    assert ambiguous.error == "ambiguous"
    assert {m.name for m in ambiguous.suggestions} == {"Habo", "Håbo"}


def test_unknown_name_gets_close_matches(municipalities):
    result = find_municipality("Götebrog", municipalities)
    assert not result.found
    assert result.error == "not_found"
    assert "Göteborg" in [m.name for m in result.suggestions]
    upplands = find_municipality("Upplands", municipalities)
    assert {"Upplands Väsby", "Upplands-Bro"} <= {m.name for m in upplands.suggestions}


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\x00\x01", "empty"),
        ("9999", "not_found"),
        ("x" * 101, "too_long"),
        ("x" * 100_000, "too_long"),
        ("<script>alert(1)</script>", "not_found"),
        ("'; DROP TABLE contacts_municipality; --", "not_found"),
        ("1 OR 1=1", "not_found"),
        ("\ud800", "not_found"),
        ("👩‍👩‍👧", "not_found"),
        ("\u202eåmlaM", "not_found"),
    ],
)
def test_hostile_or_unknown_input_is_an_answer_not_an_exception(municipalities, typed, error):
    result = find_municipality(typed, municipalities)
    assert not result.found
    assert result.error == error
    assert len(result.query) <= 100
