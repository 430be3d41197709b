"""The outbox: queued single mails (confirmations) handed to the mail server."""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from ..models import OutboxMessage
from .mail import mail_domain
from .outcomes import error_text, is_connection_error, smtp_code, suppress_bounced

logger = logging.getLogger(__name__)


@dataclass
class OutboxReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    stopped: str = ""


def outbox_deliver(
    *, ids: Iterable[int] | None = None, limit: int = 200, now: datetime | None = None
) -> OutboxReport:
    """Hand due outbox mail to the mail server; what fails stays for the next run.

    Each row is claimed under a row lock and given a ten-minute lease before the SMTP
    transaction, so two drainers (the request's closer and the cron command) never
    send the same row at the same time.
    """
    report = OutboxReport()
    queryset = OutboxMessage.objects.all()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    conn = None
    try:
        for _i in range(limit):
            moment = now or timezone.now()
            with transaction.atomic():
                row = (
                    queryset.due(moment)
                    .select_for_update(skip_locked=True)
                    .order_by("next_attempt_at", "id")
                    .first()
                )
                if row is None:
                    break
                row.attempts += 1
                row.next_attempt_at = moment + timedelta(minutes=10)
                row.save(update_fields=["attempts", "next_attempt_at"])
            try:
                if conn is None:
                    conn = get_connection(fail_silently=False)
                    conn.open()
                message = EmailMessage(
                    subject=row.subject,
                    body=row.body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[row.to],
                    headers={**row.headers, "Message-ID": make_msgid(domain=mail_domain())},
                    connection=conn,
                )
                conn.send_messages([message])
            except (smtplib.SMTPException, OSError) as exc:
                code = smtp_code(exc)
                row.last_error = error_text(exc, row.to)
                if code and 500 <= code < 600 and not isinstance(exc, smtplib.SMTPSenderRefused):
                    row.failed_at = timezone.now()
                    row.save(update_fields=["last_error", "failed_at"])
                    if row.subscriber_id:
                        suppress_bounced(row.subscriber)
                    report.failed += 1
                    continue
                backoff = timedelta(minutes=min(2**row.attempts, 360))
                row.next_attempt_at = timezone.now() + backoff
                row.save(update_fields=["last_error", "next_attempt_at"])
                report.deferred += 1
                if is_connection_error(exc) or code is None or code == 421:
                    report.stopped = row.last_error
                    break
                continue
            row.sent_at = timezone.now()
            row.last_error = ""
            row.save(update_fields=["sent_at", "last_error"])
            report.sent += 1
    finally:
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
    return report


def outbox_deliver_quietly(ids: list[int]) -> None:
    """Run after the response has gone out; must never raise into the server."""
    try:
        report = outbox_deliver(ids=ids)
        if report.stopped:
            logger.warning("newsletter outbox: mail server unavailable, will retry")
    except Exception as exc:  # noqa: BLE001 - the response is already sent; the row stays queued
        logger.warning("newsletter outbox: %s", type(exc).__name__)
