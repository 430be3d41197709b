import csv
from pathlib import Path

import pytest

from contacts.lookup import Kind, LookupIndex, find_place
from contacts.models import County, Municipality, PostalCode, Region

DATA = Path(__file__).resolve().parent.parent / "data"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def index(django_db_setup, django_db_blocker):
    """The index over the migrated reference data, built once for the module (read only)."""
    with django_db_blocker.unblock():
        regions = list(Region.objects.with_counties_and_coordinators())
        return LookupIndex.build(
            municipalities=list(Municipality.objects.for_lookup()),
            counties=list(County.objects.all()),
            regions=regions,
            postal_codes=list(
                PostalCode.objects.values_list("code", "locality", "municipality__code")
            ),
        )


@pytest.fixture(scope="module")
def postal_rows():
    with open(DATA / "postnummer.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _codes(places) -> set[str]:
    return {m.code for p in places for m in p.municipalities}


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
def test_mala_is_found_however_it_is_typed(index, typed):
    result = find_place(typed, index)
    assert result.found, result
    assert result.municipality.code == "2418"
    assert result.matched_by == ("code" if typed == "2418" else "municipality")


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
        ("Stockholm", "0180"),
        ("Falu kommun", "2080"),
        ("Region Gotland", "0980"),
        ("ÖREBRO", "1880"),
        ("Borås kommun", "1490"),
        ("Malung-Sälen", "2023"),
        ("malung salen", "2023"),
    ],
)
def test_names_spacing_hyphens_suffixes_and_codes(index, typed, code):
    result = find_place(typed, index)
    assert result.found, (typed, result.error, [p.name for p in result.suggestions])
    assert result.municipality.code == code


def test_habo_and_habo_are_told_apart(index):
    habo = find_place("habo", index)
    assert habo.municipality.name == "Habo"
    assert [p.name for p in habo.alternatives] == ["Håbo"]
    assert find_place("HÅBO", index).municipality.name == "Håbo"
    ambiguous = find_place("Hábo", index)
    assert not ambiguous.found
    assert {p.name for p in ambiguous.choices} == {"Habo", "Håbo"}


# The misleading cases from issue 16: each used to suggest a place elsewhere in Sweden.


def test_visby_is_the_postal_town_on_gotland_not_osby_or_vimmerby(index):
    result = find_place("Visby", index)
    assert result.matched_by == "postal_town"
    assert result.municipality.name == "Gotland"
    assert str(result.region) == "Region Stockholm"
    assert result.suggestions == [] and result.alternatives == [] and result.choices == []


@pytest.mark.parametrize("typed", ["Jämtland", "Jämtlands län", "jamtland", "JÄMTLANDS LAN"])
def test_jamtland_is_the_county_and_its_region_at_once(index, typed):
    result = find_place(typed, index)
    assert result.matched_by == "county"
    assert result.county.name == "Jämtlands län"
    assert str(result.region) == "Region Nord"
    assert result.municipality is None
    assert _codes([result.place]) == set(
        Municipality.objects.filter(county__code="23").values_list("code", flat=True)
    )
    assert result.suggestions == [] and result.alternatives == []


@pytest.mark.parametrize(
    ("typed", "county", "region"),
    [
        ("Skåne", "Skåne län", "Region Syd"),
        ("Region Skåne", "Skåne län", "Region Syd"),
        ("Skånes län", "Skåne län", "Region Syd"),
        ("Västra Götaland", "Västra Götalands län", "Region Väst"),
        ("Norrbotten", "Norrbottens län", "Region Nord"),
        ("Dalarna", "Dalarnas län", "Region Bergslagen"),
        ("Örebro län", "Örebro län", "Region Bergslagen"),
        ("Gotlands län", "Gotlands län", "Region Stockholm"),
    ],
)
def test_county_names_answer_the_county_and_region(index, typed, county, region):
    result = find_place(typed, index)
    assert result.matched_by == "county", (typed, result)
    assert result.county.name == county
    assert str(result.region) == region


def test_every_county_is_found_by_its_full_and_short_name(index):
    for county in County.objects.select_related("region"):
        short = county.name.removesuffix(" län")
        for typed in (county.name, short.removesuffix("s") if short.endswith("s") else short):
            result = find_place(typed, index)
            # "Örebro", "Uppsala", "Kalmar" … are municipalities first; their län by "… län".
            if result.place.kind == Kind.MUNICIPALITY:
                assert result.municipality.county == county
                continue
            assert result.county == county, typed


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("Region Väst", "Väst"),
        ("region väst", "Väst"),
        ("Väst", "Väst"),
        ("Polisregion Nord", "Nord"),
        ("Region Stockholm", "Stockholm"),
        ("region ost", "Öst"),
        ("Bergslagen", "Bergslagen"),
    ],
)
def test_region_names_answer_the_region(index, typed, region):
    result = find_place(typed, index)
    assert result.matched_by == "region"
    assert result.region.name == region
    assert result.county is None and result.municipality is None


@pytest.mark.parametrize("typed", ["Vasby", "Väsby", "vasby"])
def test_vasby_is_upplands_vasby(index, typed):
    result = find_place(typed, index)
    assert result.found
    assert result.municipality.name == "Upplands Väsby"


@pytest.mark.parametrize("typed", ["621 41", "62141", " 621 41 ", "621 41 Visby", "62141 VISBY"])
def test_postal_code_with_or_without_space(index, typed):
    result = find_place(typed, index)
    assert result.matched_by == "postal_code"
    assert result.postal_code == "621 41"
    assert result.locality == "Visby"
    assert result.municipality.name == "Gotland"


def test_every_postal_code_in_the_data_answers_its_own_municipality(index, postal_rows):
    wrong = []
    for row in postal_rows:
        code = row["postal_code"]
        result = find_place(f"{code[:3]} {code[3:]}", index)
        if not result.found or result.municipality.code != row["municipality_code"]:
            wrong.append(code)
    assert wrong == []
    assert len(postal_rows) == PostalCode.objects.count() == 15463


def test_a_postal_code_missing_from_the_data_offers_only_its_own_area(index, postal_rows):
    known = {row["postal_code"] for row in postal_rows}
    missing = next(f"621{n:02d}" for n in range(100) if f"621{n:02d}" not in known)
    result = find_place(missing, index)
    assert not result.found and result.error == "postal_code_unknown"
    area = {r["municipality_code"] for r in postal_rows if r["postal_code"].startswith("621")}
    assert result.suggestions and _codes(result.suggestions) <= area
    assert find_place("00000", index).suggestions == []


def test_every_postal_town_answers_inside_its_own_municipalities(index, postal_rows):
    """A town names a known place: the answer, a choice or nothing, but never elsewhere."""
    towns: dict[str, set[str]] = {}
    for row in postal_rows:
        towns.setdefault(row["locality"], set()).add(row["municipality_code"])
    outside = []
    for town, codes in towns.items():
        result = find_place(town, index)
        offered = _codes([result.place] if result.place else []) | _codes(result.choices)
        offered |= _codes(result.suggestions) | _codes(result.alternatives)
        if result.matched_by in ("municipality", "county", "region"):
            continue  # "Nacka", "Sala": the municipality of that name wins, and it is named
        if not offered or not offered <= codes:
            outside.append((town, result.matched_by, sorted(offered), sorted(codes)))
    assert outside == []


@pytest.mark.parametrize(
    ("typed", "choices"),
    [
        ("Farsta", {"Stockholm", "Huddinge"}),
        ("Kvicksund", {"Eskilstuna", "Västerås"}),
        ("Sundbyberg", {"Sundbyberg"}),  # the municipality of that name
    ],
)
def test_a_town_in_several_municipalities_gets_a_short_choice(index, typed, choices):
    result = find_place(typed, index)
    if result.found:
        assert {result.municipality.name} == choices
    else:
        assert {p.name for p in result.choices} == choices
        assert result.matched_by == "postal_town"


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Götebrog", "Göteborg"),
        ("Halmsatd", "Halmstad"),
        ("Vimerby", "Vimmerby"),
        ("Jämtlnd", "Jämtlands län"),
        ("Östersnd", "Östersund"),
        ("Kungsbaka", "Kungsbacka"),
        ("Vsby", "Visby"),
    ],
)
def test_small_misspellings_offer_the_right_place_first(index, typed, first):
    result = find_place(typed, index)
    assert not result.found and result.error == "not_found"
    assert result.suggestions[0].name == first


def test_unknown_name_offers_names_starting_with_it(index):
    upplands = find_place("Upplands", index)
    assert {"Upplands Väsby", "Upplands-Bro"} <= {p.name for p in upplands.suggestions}
    assert find_place("Lappland", index).suggestions == []


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
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
        ("999 99", "postal_code_unknown"),
        ("٢٤١٨", "not_found"),  # digits, but not ours
        ("٦٢١ ٤١", "not_found"),
    ],
)
def test_hostile_or_unknown_input_is_an_answer_not_an_exception(index, typed, error):
    result = find_place(typed, index)
    assert not result.found
    assert result.error == error
    assert len(result.query) <= 100
