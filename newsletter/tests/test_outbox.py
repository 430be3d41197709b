"""The outbox against a real SMTP server: a bad row fails on its own, the rest go out."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from editors.testing import login_verified, make_staff
from newsletter.addresses import address_hash
from newsletter.models import OutboxMessage, Subscriber, Suppression

from .conftest import make_subscriber

pytestmark = pytest.mark.django_db


def _row(to: str, **extra) -> OutboxMessage:
    fields = {"kind": "confirm", "to": to, "subject": "Bekräfta", "body": "Hej!\n"}
    fields.update(extra)
    return OutboxMessage.objects.create(**fields)


def _send_outbox():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("send_outbox", stdout=out, stderr=err)
    except SystemExit as exc:
        return out.getvalue(), err.getvalue(), exc.code
    return out.getvalue(), err.getvalue(), 0


def poison_rows(smtp_server) -> dict[str, OutboxMessage]:
    """One row for each way a single mail can fail, written around the signup's rules."""
    gone = make_subscriber("gone@example.org", Subscriber.State.PENDING)
    smtp_server.refuse = {"gone@example.org": "550 5.1.1 <gone@example.org>: no such user"}
    return {
        "not_ascii": _row("åsa@exempel.se"),
        "line_break": _row("rad@example.org", subject="Bekräfta\r\nBcc: alla@example.org"),
        "headers": _row("huvud@example.org", headers=["inte", "en", "ordbok"]),
        "refused": _row("gone@example.org", subscriber=gone),
    }


def test_bad_rows_fail_with_their_reason_and_the_others_are_sent(smtp_server):
    first = _row("first@example.org")
    bad = poison_rows(smtp_server)
    last = _row("last@example.org")
    out, err, code = _send_outbox()
    assert code == 0, err
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "first@example.org",
        "last@example.org",
    ]
    for row in (first, last):
        row.refresh_from_db()
        assert row.sent_at and not row.last_error
    reasons = {}
    for name, row in bad.items():
        row.refresh_from_db()
        assert row.failed_at and not row.sent_at, name
        reasons[name] = row.last_error
    assert "kan inte skickas precis som den är sparad" in reasons["not_ascii"]
    assert "Ämnesraden får bara vara en rad" in reasons["line_break"]
    assert "mejlet kunde inte byggas" in reasons["headers"]
    assert reasons["refused"].startswith("550 ")
    assert all("gone" not in r and "åsa" not in r for r in reasons.values())
    # Only a refusal by the server blocks the address.
    assert Suppression.objects.filter(address_hash=address_hash("gone@example.org")).exists()
    assert Suppression.objects.count() == 1
    # The next run does not try them again.
    _send_outbox()
    assert len(smtp_server.messages) == 2


def test_the_reasons_are_shown_to_the_newsletter_manager(client, smtp_server):
    poison_rows(smtp_server)
    _send_outbox()
    user, _ = make_staff("ansvarig", groups=[Group.objects.get(name="Nyhetsbrevsansvarig")])
    login_verified(client, user)
    page = client.get(reverse("admin:newsletter_outboxmessage_changelist")).content.decode()
    assert "kan inte skickas precis som den är sparad" in page
    assert "Ämnesraden får bara vara en rad" in page
    assert "550 5.1.1" in page


def test_an_unreachable_server_ends_the_run_early_and_keeps_every_row(smtp_down):
    rows = [_row(f"r{i}@example.org") for i in range(3)]
    out, err, code = _send_outbox()
    assert code == 1
    assert "anslutningsfel" in err
    for row in rows:
        row.refresh_from_db()
        assert row.sent_at is None and row.failed_at is None
    # Stopped at the first: the others were not even tried.
    assert sorted(r.attempts for r in rows) == [0, 0, 1]
