"""Editor text (Markdown) becomes HTML with nothing that could run or restyle the page."""

import pytest

from common.markup import render_markdown, render_plain


def test_headings_lists_and_links_are_kept():
    html = render_markdown("## Rubrik\n\n- ett\n- två\n\n[Läs mer](https://example.se/a?b=1)")
    assert "<h2>Rubrik</h2>" in html
    assert "<ul>" in html and "<li>ett</li>" in html and "<li>två</li>" in html
    assert '<a href="https://example.se/a?b=1">Läs mer</a>' in html


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<p style="color:red">röd</p>', "style="),
        ('<b onclick="x()">b</b>', "onclick"),
        ("[klicka](javascript:alert(1))", "javascript:"),
        ('<img src="x" onerror="alert(1)">', "<img"),
        ("<iframe src='https://example.se'></iframe>", "<iframe"),
    ],
)
def test_anything_that_could_run_or_restyle_the_page_is_removed(text, gone):
    assert gone not in render_markdown(text)


def test_mail_and_phone_links_are_allowed():
    html = render_markdown("[Mejla](mailto:nspm@example.se) eller [ring](tel:+4620390000)")
    assert 'href="mailto:nspm@example.se"' in html and 'href="tel:+4620390000"' in html


def test_empty_text_is_empty_html():
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_plain_text_spells_out_link_addresses():
    assert render_plain("Se [rapporten](https://example.se/r).") == (
        "Se rapporten (https://example.se/r).\n"
    )
