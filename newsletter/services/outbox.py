"""The outbox: queued single mails (confirmations and the like) handed to the mail server."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.db import transaction
from django.utils import timezone

from ..models import OutboxMessage
from .mail import mail_domain, mail_template
from .outcomes import Outcome, Result, server_trouble_text, suppress_bounced
from .smtp import Transport

logger = logging.getLogger(__name__)

# Held by the run that sends a row, so two drainers never send it at the same moment.
LEASE = timedelta(minutes=10)


@dataclass
class OutboxReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    stopped: str = ""


def outbox_deliver(
    *,
    ids: Iterable[int] | None = None,
    limit: int = 200,
    now: datetime | None = None,
    transport: Transport | None = None,
) -> OutboxReport:
    """Hand due outbox mail to the mail server; each row's outcome is recorded on it.

    A mail that cannot be built or is refused fails on its own row and the run goes on;
    only trouble with the server itself (see outcomes.py) stops the run, leaving the rest
    for the next one.
    """
    report = OutboxReport()
    queryset = OutboxMessage.objects.all()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    transport = transport or Transport()
    try:
        for _i in range(limit):
            row = _lease(queryset, now or timezone.now())
            if row is None:
                break
            result = transport.attempt(to=row.to, message=lambda row=row: _mail(row))
            _record(row, result, report)
            if result.outcome.server_trouble:
                report.stopped = server_trouble_text(1, result)
                break
    finally:
        transport.close()
    return report


def _lease(queryset, moment: datetime) -> OutboxMessage | None:
    with transaction.atomic():
        row = (
            queryset.due(moment)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = moment + LEASE
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def _mail(row: OutboxMessage) -> bytes:
    template = mail_template(subject=row.subject, text=row.body, headers=row.headers)
    return template.for_recipient(to=row.to, message_id=make_msgid(domain=mail_domain()))


def _record(row: OutboxMessage, result: Result, report: OutboxReport) -> None:
    row.last_error = result.reason[:300]
    if result.outcome == Outcome.SENT:
        row.sent_at = timezone.now()
        row.save(update_fields=["sent_at", "last_error"])
        report.sent += 1
    elif result.outcome.is_final:
        row.failed_at = timezone.now()
        row.save(update_fields=["last_error", "failed_at"])
        if result.outcome == Outcome.REFUSED and row.subscriber_id:
            suppress_bounced(row.subscriber_id, row.to)
        report.failed += 1
    else:
        # Deferred, or the server was in trouble (an uncertain confirmation is sent again:
        # a second copy does no harm, a lost one keeps someone off the list).
        row.next_attempt_at = timezone.now() + timedelta(minutes=min(2**row.attempts, 360))
        row.save(update_fields=["last_error", "next_attempt_at"])
        report.deferred += 1


def outbox_deliver_quietly(ids: list[int]) -> None:
    """Run after the response has gone out; must never raise into the server."""
    try:
        report = outbox_deliver(ids=ids)
        if report.stopped:
            logger.warning("newsletter outbox: mail server unavailable, will retry")
    except Exception as exc:  # noqa: BLE001 - the response is already sent; the row stays queued
        logger.warning("newsletter outbox: %s", type(exc).__name__)
