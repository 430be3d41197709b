"""A mail built once and filled in per recipient reads exactly as if built for each."""

import email
import re
from email import policy

import pytest

from newsletter import addresses, services
from newsletter.services.mail import BadMessage, leave_links, mail_template, wire_address

from .conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def _parse(data: bytes):
    return email.message_from_bytes(data, policy=policy.default)


def _personal(issue, subscriber):
    mail = services.issue_mail(issue)
    link, one_click = leave_links().for_subscriber(subscriber)
    data = mail.for_recipient(
        to=subscriber.email, message_id="<1.2@nspm.test>", link=link, one_click=one_click
    )
    return _parse(data), link, one_click


def test_each_recipient_gets_their_own_address_id_and_leave_links():
    issue = make_issue(number=3, subject="Åtgärder mot människohandel – en översikt")
    anna, bo = make_subscriber("anna@example.org"), make_subscriber("bo@example.org")
    for subscriber in (anna, bo):
        letter, link, one_click = _personal(issue, subscriber)
        assert letter["To"] == subscriber.email
        assert letter["Message-ID"] == "<1.2@nspm.test>"
        assert (
            letter["Subject"] == "NSPM:s nyhetsbrev nr 3: Åtgärder mot människohandel – en översikt"
        )
        assert letter["List-Unsubscribe"] == f"<{one_click}>"
        assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert letter["Date"]
        # The links the fast path makes are the site's own leave links for this person.
        page = re.fullmatch(r"https://nspm\.test/nyhetsbrev/avsluta/([^/]+)/", link)
        click = re.fullmatch(r"https://nspm\.test/nyhetsbrev/avsluta/([^/]+)/ett-klick/", one_click)
        assert page and click and page.group(1) == click.group(1)
        assert addresses.read_unsubscribe_token(page.group(1)) == (
            subscriber.pk,
            subscriber.unsubscribe_key,
        )
        for kind in ("plain", "html"):
            body = letter.get_body((kind,)).get_content()
            assert link in body
            assert services.UNSUBSCRIBE_PLACEHOLDER not in body
        assert not letter.defects


def test_a_line_longer_than_smtp_allows_goes_quoted_printable_and_reads_back_whole():
    paragraph = "Ett stycke om arbetet mot människohandel, " * 60  # about 2,500 octets
    issue = make_issue(body=paragraph)
    letter, link, _one_click = _personal(issue, make_subscriber("anna@example.org"))
    for kind in ("plain", "html"):
        part = letter.get_body((kind,))
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
        assert paragraph.strip() in " ".join(part.get_content().split("\n"))
        assert link in part.get_content()
    raw = letter.as_bytes()
    assert max(len(line) for line in raw.split(b"\n")) <= 998


def test_short_lines_go_as_8bit_utf8():
    letter, _link, _one_click = _personal(make_issue(), make_subscriber("anna@example.org"))
    assert letter.get_body(("plain",))["Content-Transfer-Encoding"] == "8bit"


@pytest.mark.parametrize(
    "address",
    [
        "åsa@exempel.se",
        "anna@exempel.se\r\nBcc: alla@example.org",
        "anna @exempel.se",
        "anna@exempel.se, bo@exempel.se",
        "<anna@exempel.se>",
        "",
    ],
)
def test_an_address_that_would_not_go_out_exactly_as_stored_is_refused(address):
    with pytest.raises(BadMessage):
        wire_address(address)


def test_a_subject_with_a_line_break_cannot_be_built():
    with pytest.raises(BadMessage, match="Ämnesraden får bara vara en rad"):
        mail_template(subject="Rad ett\nBcc: alla@example.org", text="Hej")
    with pytest.raises(BadMessage):
        mail_template(subject="Hej", text="Hej", headers={"X-Test": "a\r\nBcc: x@y"})
