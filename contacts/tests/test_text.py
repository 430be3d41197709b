import pytest

from contacts.text import clean_input, nspm_email_from_name, rank_similar, search_key

DOMAIN = "@jamstalldhetsmyndigheten.se"


@pytest.mark.parametrize(
    ("name", "local"),
    [
        ("Mats Paulsson", "mats.paulsson"),
        ("Åsa Öberg", "asa.oberg"),
        ("Märta Ärlig", "marta.arlig"),
        ("Björn Östlund", "bjorn.ostlund"),
        ("René Hélène", "rene.helene"),
        ("Jürgen Müller", "jurgen.muller"),
        ("François Çelik", "francois.celik"),
        ("Søren Ærø", "soren.aero"),
        ("Zoë Straße", "zoe.strasse"),
        ("Anna Karin Svensson", "anna-karin.svensson"),
        ("Anna-Karin Svensson", "anna-karin.svensson"),
        ("Eva Svensson-Berg", "eva.svensson-berg"),
        ("Per-Olof Öhman-Åberg", "per-olof.ohman-aberg"),
        ("  Catrin   Sandman ", "catrin.sandman"),
        ("Seán O'Brien", "sean.obrien"),
        ("MATS PAULSSON", "mats.paulsson"),
        ("Madonna", "madonna"),
    ],
)
def test_nspm_email_is_derived_from_the_name(name, local):
    assert nspm_email_from_name(name) == local + DOMAIN


@pytest.mark.parametrize("name", ["", "   ", "!!! ???", "李 王"])
def test_no_email_is_derived_from_a_name_without_latin_letters(name):
    assert nspm_email_from_name(name) == ""


def test_search_key_ignores_case_accents_hyphens_and_spacing():
    assert search_key(" Upplands-Bro ") == search_key("upplands  bro") == "upplands bro"
    assert search_key("MALÅ") == search_key("Mala") == "mala"


def test_clean_input_drops_control_characters_and_caps_length():
    assert clean_input("Mal\x00å\u200b\n", max_length=10) == "Malå"
    assert len(clean_input("x" * 500, max_length=100)) == 100


def test_rank_similar_finds_near_spellings_best_first():
    rows = [
        (1, "yvonne karlsson kvalificerad utredare"),
        (2, "mats paulsson senior utredare"),
        (3, "catrin sandman kvalificerad utredare"),
    ]
    assert rank_similar("paulson", rows, 0.75) == [2]
    assert rank_similar("mats paulson", rows, 0.75) == [2]
    assert rank_similar("sandmann", rows, 0.75) == [3]
    assert rank_similar("qwxz", rows, 0.75) == []
    assert rank_similar("utredar", rows, 0.75) == [1, 2, 3]
