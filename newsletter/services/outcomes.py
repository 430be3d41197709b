"""What an SMTP outcome means, and how a failure is described without the address."""

from __future__ import annotations

import smtplib

from django.utils.translation import gettext as _

from .. import addresses
from ..addresses import address_hash
from ..models import Subscriber, Suppression


def smtp_code(exc: BaseException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        for code, _msg in exc.recipients.values():
            return int(code)
        return None
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    return None


def is_connection_error(exc: BaseException) -> bool:
    return isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
    )


def error_text(exc: BaseException, address: str) -> str:
    code = smtp_code(exc)
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


def stopped_by_connection_errors(count: int, exc: BaseException) -> str:
    return _(
        "avbryter efter %(count)s anslutningsfel i rad mot "
        "e-postservern (%(error)s); resten skickas vid nästa körning"
    ) % {"count": count, "error": error_text(exc, "")}


def suppress_bounced(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(state=Subscriber.State.BOUNCED)
    Suppression.objects.get_or_create(
        address_hash=address_hash(subscriber.email),
        defaults={"reason": Suppression.Reason.BOUNCED},
    )
