"""The pure rules behind the search box: words, the tsquery, highlighting."""

import re

from search import terms


def test_words_are_letters_and_digits_in_lower_case_each_once():
    parsed = terms.parse("  Människohandel, MÄNNISKOHANDEL & samordning!  ")
    assert parsed.words == ("människohandel", "samordning")
    assert parsed.text == "Människohandel, MÄNNISKOHANDEL & samordning!"
    assert not parsed.cut


def test_sql_and_html_characters_only_separate_words():
    parsed = terms.parse("'; DROP TABLE pages_page-- <script>alert(1)</script>")
    assert parsed.words == ("drop", "table", "pages", "page", "script", "alert")


def test_nul_and_control_characters_are_dropped():
    parsed = terms.parse("männ\x00isko\x1bhandel\u202e")
    assert "\x00" not in parsed.text
    assert parsed.words == ("människohandel",)


def test_a_very_long_query_is_cut_and_says_so():
    parsed = terms.parse("människohandel " * 700)  # 10 500 characters
    assert parsed.cut
    assert len(parsed.text) <= terms.MAX_LENGTH
    assert parsed.words == ("människohandel",)


def test_at_most_max_words_are_used():
    parsed = terms.parse(" ".join(f"ord{i}" for i in range(30)))
    assert len(parsed.words) == terms.MAX_WORDS


def test_only_punctuation_gives_no_words():
    for raw in ["", "   ", "!!! ???", "<>&|:*()", "\x00\x00", None]:
        assert not terms.parse(raw), raw


def test_a_lone_letter_is_dropped_beside_real_words():
    assert terms.parse("NSPM:s uppdrag").words == ("nspm", "uppdrag")
    assert terms.parse("e").words == ("e",)


def test_the_tsquery_is_made_of_words_and_operators_only():
    words = terms.parse("'; DROP TABLE x -- <b>människohandeln</b> samordna & | ! : *").words
    query = terms.tsquery(words)
    # Nothing from the visitor but letters and digits; the operators are ours.
    assert re.fullmatch(r"[\w\s()|&:*]+", query), query
    assert query.count("(") == query.count(")") == len(words)


def test_inflected_forms_the_stemmer_keeps_are_also_looked_for_without_the_ending():
    assert terms.variants("människohandeln") == ["människohandeln", "människohandel"]
    assert terms.variants("brottet") == ["brottet", "brott"]
    assert terms.variants("koordinatorn") == ["koordinatorn", "koordinator"]
    # Too short to lose an ending.
    assert terms.variants("akut") == ["akut"]
    query = terms.tsquery(("människohandeln",))
    assert "människohandel:*" in query


def test_short_words_are_not_prefixes():
    assert terms.tsquery(("eu",)) == "(eu)"
    assert terms.tsquery(("akut",)) == "(akut:*)"
    assert terms.tsquery(("samordna",)) == "(samordna:* | samordn:*)"


def test_highlighting_escapes_the_text_and_marks_only_the_matches():
    text = f"<script>alert(1)</script> och {terms.START}människohandel{terms.STOP} & annat"
    html = terms.highlighted(text)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>människohandel</mark>" in html
    assert "&amp; annat" in html


def test_stray_marks_never_leave_an_open_element():
    for text in [
        f"{terms.START}a{terms.START}b",
        f"a{terms.STOP}b",
        f"{terms.STOP}{terms.START}",
        f"{terms.START}",
    ]:
        html = terms.highlighted(text)
        assert html.count("<mark>") == html.count("</mark>"), html


def test_marks_typed_by_a_visitor_are_removed():
    parsed = terms.parse(f"{terms.START}<mark>x</mark>{terms.STOP}")
    assert terms.START not in parsed.text
    assert terms.STOP not in parsed.text


def test_the_fallback_excerpt_marks_word_beginnings_around_the_first_match():
    text = "Inledning. " * 40 + "Samordningen av arbetet mot människohandeln i regionerna."
    excerpt = terms.excerpt(text, ("samordna", "människohandeln"))
    html = terms.highlighted(excerpt)
    assert "<mark>Samordningen</mark>" in html
    assert "<mark>människohandeln</mark>" in html
    assert html.startswith("… ")
    assert len(excerpt) < 260
