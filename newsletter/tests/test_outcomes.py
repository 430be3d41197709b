"""The one rule for what an attempt to send a mail came to (services/outcomes.py)."""

import smtplib
import socket

import pytest

from newsletter.services.mail import BadMessage
from newsletter.services.outcomes import Outcome, classify

ADDRESS = "anna@example.org"


@pytest.mark.parametrize(
    ("exc", "in_transaction", "outcome"),
    [
        (smtplib.SMTPRecipientsRefused({ADDRESS: (550, b"5.1.1 no such user")}), True, "refused"),
        (smtplib.SMTPRecipientsRefused({ADDRESS: (452, b"4.2.2 mailbox full")}), True, "deferred"),
        (smtplib.SMTPRecipientsRefused({ADDRESS: (421, b"closing")}), True, "unavailable"),
        (smtplib.SMTPDataError(554, b"5.7.1 message refused"), True, "rejected"),
        (smtplib.SMTPDataError(451, b"4.3.0 try later"), True, "deferred"),
        (smtplib.SMTPDataError(421, b"4.3.2 shutting down"), True, "unavailable"),
        (smtplib.SMTPSenderRefused(550, b"5.7.1 not our sender", "x@y"), True, "sender_refused"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True, "uncertain"),
        (TimeoutError("timed out"), True, "uncertain"),
        (ConnectionResetError(104, "reset"), True, "uncertain"),
        (smtplib.SMTPServerDisconnected("please run connect() first"), False, "unavailable"),
        (ConnectionRefusedError(111, "refused"), False, "unavailable"),
        (socket.gaierror(-2, "Name or service not known"), False, "unavailable"),
        (UnicodeEncodeError("ascii", "åsa", 0, 1, "ordinal not in range"), True, "bad_message"),
        (ValueError("prohibited newline characters"), True, "bad_message"),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), True, "bad_message"),
        (BadMessage("adressen kan inte skickas"), False, "bad_message"),
    ],
)
def test_each_outcome_means_one_thing(exc, in_transaction, outcome):
    assert classify(exc, address=ADDRESS, in_transaction=in_transaction).outcome == outcome


def test_only_server_trouble_stops_a_run_and_only_refusals_are_final():
    assert {o for o in Outcome if o.server_trouble} == {
        Outcome.UNAVAILABLE,
        Outcome.UNCERTAIN,
        Outcome.SENDER_REFUSED,
    }
    assert {o for o in Outcome if o.is_final} == {
        Outcome.REFUSED,
        Outcome.REJECTED,
        Outcome.BAD_MESSAGE,
    }


def test_the_reason_never_contains_the_address():
    exc = smtplib.SMTPRecipientsRefused({ADDRESS: (550, f"<{ADDRESS}>: no such user".encode())})
    result = classify(exc, address=ADDRESS, in_transaction=True)
    assert result.reason.startswith("550 ")
    assert "anna" not in result.reason
