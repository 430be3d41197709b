"""What is stored is what RCPT TO and To: get: confirmation, welcome and issue mail alike.

A real SMTP server on loopback records the envelope; the consent record (Subscriber.email)
must name the same string.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from newsletter.models import OutboxMessage, SignupRequest, Subscriber

from .conftest import make_issue

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
CONFIRM_RE = re.compile(r"https://nspm\.test(/nyhetsbrev/bekrafta/[^/\s]+/)")

# Typed → stored (and so mailed).
ACCEPTED = {
    "Anna.Svensson+Nyheter@Kommun.SE": "anna.svensson+nyheter@kommun.se",
    "ANNA@RÄKSMÖRGÅS.SE": "anna@xn--rksmrgs-5wao1o.se",
    "b" * 64 + "@exempel.se": "b" * 64 + "@exempel.se",
    "o'brien@exempel.se": "o'brien@exempel.se",
}


def test_every_mail_goes_to_exactly_the_stored_address(smtp_server):
    for typed in ACCEPTED:
        response = Client().post(SIGNUP, {"email": typed})
        assert response.status_code == 302, typed
    assert smtp_server.wait_for(len(ACCEPTED)) == len(ACCEPTED)
    stored = set(Subscriber.objects.values_list("email", flat=True))
    assert stored == set(ACCEPTED.values())
    confirmations = list(zip(smtp_server.messages, smtp_server.envelopes, strict=True))
    for message, rcpt in confirmations:
        assert rcpt == [message["To"]]
        assert message["To"] in stored
        # Confirm each one, which sends the welcome mail.
        assert Client().post(CONFIRM_RE.search(message.get_content()).group(1)).status_code == 200
    assert smtp_server.wait_for(2 * len(ACCEPTED)) == 2 * len(ACCEPTED)

    make_issue(number=4)
    call_command("send_newsletter", rate=0, stdout=io.StringIO())
    assert smtp_server.wait_for(3 * len(ACCEPTED)) == 3 * len(ACCEPTED)
    for message, rcpt in zip(smtp_server.messages, smtp_server.envelopes, strict=True):
        assert rcpt == [str(message["To"])], (rcpt, message["To"], message["Subject"])
    kinds = {}
    for message in smtp_server.messages:
        kinds.setdefault(str(message["To"]), []).append(str(message["Subject"]))
    assert set(kinds) == stored
    assert all(len(subjects) == 3 for subjects in kinds.values()), kinds
    # The outbox names the same string as the consent record.
    for row in OutboxMessage.objects.select_related("subscriber"):
        assert row.to == row.subscriber.email


# Each refused with a clear Swedish message; nothing written, nothing mailed.
REFUSED = {
    "=?utf-8?q?evil?=@exempel.se": "Ange en e-postadress i rätt format",
    "=?UTF-8?B?ZXZpbA==?=@exempel.se": "Ange en e-postadress i rätt format",
    "evil@=?utf-8?q?exempel?=.se": "Ange en e-postadress i rätt format",
    "åsa@exempel.se": "Adressen kan inte innehålla å, ä, ö",
    "a" * 65 + "@exempel.se": "Delen före @ får vara högst 64 tecken lång",
    '"anna"@exempel.se': "Ange en e-postadress i rätt format",
    "anna@exempel.se.": "Ange en e-postadress i rätt format",
    "anna@exempel.se\r\nBcc: offer@exempel.se": "Ange en e-postadress i rätt format",
    "anna\x00@exempel.se": "Ange en e-postadress i rätt format",
    "a" * 250 + "@exempel.se": "E-postadressen får vara högst 254 tecken lång",
}


@pytest.mark.parametrize(("typed", "message"), REFUSED.items(), ids=repr)
def test_hostile_addresses_are_refused_in_swedish_and_nothing_is_sent(typed, message, smtp_server):
    response = Client().post(SIGNUP, {"email": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Fel: " in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert not Subscriber.objects.exists()
    assert not SignupRequest.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert smtp_server.messages == []


def test_sixteen_encoded_variants_of_one_mailbox_send_nothing(mailoutbox):
    client = Client()
    variants = [
        f"=?{charset}?{enc}?{text}?=@exempel.se"
        for charset in ("utf-8", "UTF-8", "iso-8859-1", "us-ascii")
        for enc, text in (("q", "evil"), ("Q", "evil"), ("b", "ZXZpbA=="), ("B", "ZXZpbA=="))
    ]
    assert len(variants) == 16
    for variant in variants:
        assert client.post(SIGNUP, {"email": variant}).status_code == 200
    assert mailoutbox == []
    assert not Subscriber.objects.exists()
