"""The page list the browser, accessibility and security suites walk is complete."""

from tests.public_pages import CATALOGUE, build_public_pages


def test_every_page_in_the_list_can_be_built(db):
    pages, missing = build_public_pages()
    assert not missing, "pages in tests/public_pages.py that cannot be built:\n" + "\n".join(
        missing
    )
    assert len(pages) == 2 * len(CATALOGUE)  # Swedish and English
