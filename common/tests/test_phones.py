"""One phone-number rule for the site: Swedish unless it starts with +, shown the Swedish way."""

import pytest

from common import phones


@pytest.mark.parametrize(
    ("typed", "display", "e164"),
    [
        ("031-392 90 31", "031-392 90 31", "+46313929031"),
        ("+46 31 392 90 31", "031-392 90 31", "+46313929031"),
        ("0046313929031", "031-392 90 31", "+46313929031"),
        ("020390000", "020-39 00 00", "+4620390000"),
        ("+47 22 12 34 56", "+47 22 12 34 56", "+4722123456"),  # abroad: international form
    ],
)
def test_a_valid_number_is_shown_and_linked(typed, display, e164):
    number = phones.parse_valid(typed)
    assert number is not None
    assert phones.display(number) == display
    assert phones.e164(number) == e164


@pytest.mark.parametrize(
    "typed", ["", "abc", "031", "+46 1", "<script>", "1" * 300, "031-392 90 31 99 99", "\x00"]
)
def test_anything_else_is_not_a_number(typed):
    assert phones.parse_valid(typed) is None
