"""Signup → mail → confirm → issue → one-click unsubscribe, through a real SMTP server."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from newsletter.addresses import read_unsubscribe_token
from newsletter.models import Delivery, Issue, Subscriber

from .conftest import make_issue

pytestmark = pytest.mark.django_db

CONFIRM_RE = re.compile(r"https://nspm\.test(/nyhetsbrev/bekrafta/[^/\s]+/)")
LEAVE_RE = re.compile(r"/nyhetsbrev/avsluta/[^/\s\"]+/")


def _signup(client, address):
    return client.post(reverse("newsletter:signup"), {"email": address, "website": ""})


def test_signup_confirm_issue_and_one_click_unsubscribe(smtp_server):
    client = Client()
    response = _signup(client, "  Anna.Svensson@Kommun.SE ")
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")
    # The address never appears in the URL the browser is sent to.
    assert "anna" not in response["Location"].lower()

    assert smtp_server.wait_for(1) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "anna.svensson@kommun.se"
    assert "Bekräfta" in mail["Subject"]
    confirm_path = CONFIRM_RE.search(mail.get_content()).group(1)
    assert "anna" not in confirm_path.lower()

    # Opening the link (as a mail scanner does) changes nothing.
    page = client.get(confirm_path)
    assert page.status_code == 200
    # Not "no-referrer": that makes browsers send "Origin: null" and the CSRF check fail.
    # "same-origin" sends nothing to other sites.
    assert page["Referrer-Policy"] == "same-origin"
    assert b'<meta name="robots" content="noindex' in page.content
    assert b"Bekr\xc3\xa4fta</button>" in page.content
    assert "no-store" in page["Cache-Control"]
    subscriber = Subscriber.objects.get()
    assert subscriber.state == Subscriber.State.PENDING

    done = client.post(confirm_path, REMOTE_ADDR="198.51.100.77")
    assert done.status_code == 200
    assert "Du prenumererar nu" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.requested_at <= subscriber.confirmed_at
    assert subscriber.signup_text_version.startswith("2026-11-23/")
    assert subscriber.confirmed_ip == "198.51.100.0/24"
    # The leave link at once: on the page and in a short welcome mail.
    leave_path = LEAVE_RE.search(done.content.decode()).group(0)
    assert smtp_server.wait_for(2) == 2
    welcome = smtp_server.messages[1]
    assert welcome["To"] == "anna.svensson@kommun.se"
    assert "Välkommen" in welcome["Subject"]
    mailed = LEAVE_RE.search(welcome.get_content()).group(0)
    assert read_unsubscribe_token(mailed.split("/")[-2]) == read_unsubscribe_token(
        leave_path.split("/")[-2]
    )

    issue = make_issue(number=7, subject="Ny rapport om människohandel")
    call_command("send_newsletter", rate=0, stdout=io.StringIO())
    assert smtp_server.wait_for(3) == 3
    letter = smtp_server.messages[2]
    delivery = Delivery.objects.get(issue=issue, subscriber=subscriber)
    assert delivery.state == Delivery.State.SENT
    assert letter["Message-ID"] == delivery.message_id
    assert letter["List-Id"] == '"NSPM:s nyhetsbrev" <nyhetsbrev.nspm.test>'
    assert letter["Subject"] == "NSPM:s nyhetsbrev nr 7: Ny rapport om människohandel"
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(
        r"<(https://nspm\.test/nyhetsbrev/avsluta/([^/>]+)/ett-klick/)>",
        letter["List-Unsubscribe"].strip(),
    )
    assert unsubscribe, letter["List-Unsubscribe"]
    assert "anna" not in unsubscribe.group(1).lower()
    page_link = f"https://nspm.test/nyhetsbrev/avsluta/{unsubscribe.group(2)}/"
    # The same person's leave link as on the page (signed at another second).
    assert read_unsubscribe_token(unsubscribe.group(2)) == read_unsubscribe_token(
        leave_path.split("/")[-2]
    )
    text = letter.get_body(("plain",)).get_content()
    html = letter.get_body(("html",)).get_content()
    for body in (text, html):
        assert page_link in body  # personal link in the body too
        assert "https://nspm.test/nyhetsbrev/arkiv/7/" in body  # web version
        assert "https://example.org/rapport" in body  # links are not rewritten
    assert "<img" not in html  # no tracking pixel
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENT

    # RFC 8058: a POST from the mail provider, no cookie, no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    path = unsubscribe.group(1).removeprefix("https://nspm.test")
    left = provider.post(path, {"List-Unsubscribe": "One-Click"})
    assert 200 <= left.status_code < 300
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED


def test_a_used_confirmation_link_says_already_subscribed_with_the_leave_link(smtp_server):
    client = Client()
    _signup(client, "ett@example.org")
    smtp_server.wait_for(1)
    path = CONFIRM_RE.search(smtp_server.messages[0].get_content()).group(1)
    assert client.post(path).status_code == 200
    subscriber = Subscriber.objects.get()
    confirmed_at = subscriber.confirmed_at
    smtp_server.wait_for(2)
    for again in (client.get(path), client.post(path), Client().get(path)):
        html = again.content.decode()
        assert again.status_code == 200
        assert "Du prenumererar redan" in html
        assert "Länken fungerar inte" not in html
        assert LEAVE_RE.search(html)
        assert b'<meta name="robots" content="noindex' in again.content
        assert "no-store" in again["Cache-Control"]
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at  # the evidence is not rewritten
    assert len(smtp_server.messages) == 2  # and no second welcome mail


def test_mail_server_down_keeps_the_mail_and_the_command_sends_it_later(smtp_down, settings):
    client = Client()
    response = _signup(client, "nere@example.org")
    assert response.status_code == 302  # never a 500
    from newsletter.models import OutboxMessage

    row = OutboxMessage.objects.get()
    assert row.sent_at is None and row.attempts == 1 and row.last_error
    assert "nere@example.org" not in row.last_error


def test_outbox_is_retried_by_send_outbox(smtp_server, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from newsletter.models import OutboxMessage

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(smtp_server, "refuse", {"senare@example.org": "451 4.3.0 try later"})
        Client().post(reverse("newsletter:signup"), {"email": "senare@example.org"})
    row = OutboxMessage.objects.get()
    assert row.sent_at is None and row.last_error.startswith("451")
    time_machine.move_to(timezone.now() + timedelta(hours=1))
    call_command("send_outbox", stdout=io.StringIO())
    row.refresh_from_db()
    assert row.sent_at is not None
    assert len(smtp_server.to("senare@example.org")) == 1
