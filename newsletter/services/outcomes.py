"""What an attempt to send one mail came to: the one rule for both the outbox and issues.

Outcome          What happened                          Issue delivery     Outbox mail
SENT             the server took it                     sent               sent
REFUSED          5xx to this recipient (RCPT TO)        failed, blocked    failed, blocked
REJECTED         5xx to this message (DATA)             failed             failed
BAD_MESSAGE      cannot be built or encoded; not sent   failed             failed
DEFERRED         4xx to this recipient or message       next run           retried later
SENDER_REFUSED   the server refuses our sender          waits; run stops   retried; stops
UNAVAILABLE      no connection, or 421, before sending  waits; reconnect   retried; stops
UNCERTAIN        connection broke mid-transaction       stays "osäker"     retried later

("blocked": the address goes on the suppression list.)

UNCERTAIN means the server may have taken the message. An issue is never sent twice
on a guess, so that delivery waits for the editor; a confirmation mail is sent again,
since a second copy of it does no harm and a lost one keeps someone off the list.
Only UNAVAILABLE, UNCERTAIN and SENDER_REFUSED say anything about the server; every other
outcome concerns one mail, is recorded on its row, and the run goes on.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from .. import addresses
from ..addresses import address_hash
from ..models import Subscriber, Suppression
from .mail import BadMessage


class Outcome(StrEnum):
    SENT = "sent"
    REFUSED = "refused"
    REJECTED = "rejected"
    BAD_MESSAGE = "bad_message"
    DEFERRED = "deferred"
    SENDER_REFUSED = "sender_refused"
    UNAVAILABLE = "unavailable"
    UNCERTAIN = "uncertain"

    @property
    def is_final(self) -> bool:
        """This mail will not be tried again without someone deciding so."""
        return self in (Outcome.REFUSED, Outcome.REJECTED, Outcome.BAD_MESSAGE)

    @property
    def server_trouble(self) -> bool:
        """The connection is gone or useless: reconnect, and stop after a few in a row."""
        return self in (Outcome.UNAVAILABLE, Outcome.UNCERTAIN, Outcome.SENDER_REFUSED)


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reason: str = ""


SENT = Result(Outcome.SENT)

# Raised by building or encoding a message (before or while it is handed over), never by
# the server: an address smtplib cannot encode, a header the mail library refuses.
MESSAGE_ERRORS = (BadMessage, ValueError, TypeError, LookupError, smtplib.SMTPNotSupportedError)


def classify(exc: BaseException, *, address: str, in_transaction: bool) -> Result:
    """The outcome of a failed attempt; `in_transaction` once the message was being handed over."""
    reason = error_text(exc, address)
    if isinstance(exc, MESSAGE_ERRORS):
        return Result(Outcome.BAD_MESSAGE, reason)
    code = smtp_code(exc)
    if code == 421 or code is None:
        broke = in_transaction and code is None
        return Result(Outcome.UNCERTAIN if broke else Outcome.UNAVAILABLE, reason)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return Result(Outcome.SENDER_REFUSED, reason)
    if 400 <= code < 500:
        return Result(Outcome.DEFERRED, reason)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return Result(Outcome.REFUSED, reason)
    return Result(Outcome.REJECTED, reason)


def smtp_code(exc: BaseException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        for code, _msg in exc.recipients.values():
            return int(code)
        return None
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    return None


def error_text(exc: BaseException, address: str) -> str:
    """The server's or the library's words, without the recipient's address."""
    code = smtp_code(exc)
    if isinstance(exc, BadMessage):
        return addresses.scrub(str(exc), address)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(
            m.decode(errors="replace") if isinstance(m, bytes) else str(m)
            for _c, m in exc.recipients.values()
        )
    elif isinstance(exc, smtplib.SMTPResponseException):
        err = exc.smtp_error
        detail = err.decode(errors="replace") if isinstance(err, bytes) else str(err)
    else:
        detail = str(exc)
    prefix = f"{code} " if code else f"{type(exc).__name__}: "
    return addresses.scrub(prefix + detail, address)


def server_trouble_text(count: int, result: Result) -> str:
    if result.outcome == Outcome.SENDER_REFUSED:
        return _(
            "e-postservern vägrar avsändaradressen (%(error)s); kontrollera DEFAULT_FROM_EMAIL"
        ) % {"error": result.reason}
    return _(
        "avbryter efter %(count)s anslutningsfel i rad mot "
        "e-postservern (%(error)s); resten skickas vid nästa körning"
    ) % {"count": count, "error": result.reason}


def suppress_bounced(subscriber_id: int, address: str) -> None:
    Subscriber.objects.filter(pk=subscriber_id).update(state=Subscriber.State.BOUNCED)
    Suppression.objects.get_or_create(
        address_hash=address_hash(address),
        defaults={"reason": Suppression.Reason.BOUNCED},
    )
