"""Sending an issue: start it once, claim and send deliveries, pace, stop safely."""

from __future__ import annotations

import contextlib
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Delivery, Issue, Subscriber
from .mail import issue_message, issue_render, mail_domain
from .outcomes import error_text, smtp_code, stopped_by_connection_errors, suppress_bounced

CHUNK = 500


@dataclass
class SendReport:
    number: int
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    cancelled: int = 0
    uncertain: int = 0
    stopped: str = ""
    skipped: str = ""


@contextlib.contextmanager
def _issue_lock(issue_id: int):
    """Hold the right to send this issue for the whole run, across many commits.

    A row lock (SELECT … FOR UPDATE) would need one transaction open for the whole run,
    but each delivery must be committed as in flight before its SMTP transaction, and a
    held row lock would also freeze the editor's "pause" in admin. A PostgreSQL
    session-level advisory lock has the same skip-if-taken behaviour, survives commits and
    is released by the server when the process dies (even by SIGKILL). SQLite has one
    writer and is for development only: there every run proceeds (deliveries are still
    claimed one by one with a compare-and-set, so nobody is mailed twice).
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = issue_id % 2_147_483_647
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [0x6E6C, key])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [0x6E6C, key])


def issue_start(*, issue_id: int, now: datetime | None = None) -> Issue | None:
    """Move a due issue to "sending" and create its deliveries, once. None if not startable."""
    now = now or timezone.now()
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update(skip_locked=True)
            .filter(
                pk=issue_id,
                state__in=[Issue.State.SCHEDULED, Issue.State.SENDING],
                send_at__lte=now,
            )
            .first()
        )
        if issue is None:
            return None
        if issue.started_at is None:
            _create_deliveries(issue)
            issue.started_at = now
        issue.state = Issue.State.SENDING
        issue.save(update_fields=["state", "started_at", "updated_at"])
    return issue


def _create_deliveries(issue: Issue) -> int:
    """One pending delivery per confirmed subscriber, in bounded batches (keyset pages)."""
    last_id = 0
    total = 0
    while True:
        ids = list(
            Subscriber.objects.confirmed()
            .filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:2000]
        )
        if not ids:
            return total
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, subscriber_id=sid) for sid in ids],
            ignore_conflicts=True,
            batch_size=1000,
        )
        total += len(ids)
        last_id = ids[-1]


class _Pacer:
    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next = time.monotonic()

    def wait(self):
        if not self.interval:
            return
        now = time.monotonic()
        if self.next > now:
            time.sleep(self.next - now)
        self.next = max(self.next, now) + self.interval


def issue_send(
    *,
    issue_id: int,
    now: datetime | None = None,
    rate: float | None = None,
    progress: Callable[[str], None] | None = None,
    connection_factory: Callable | None = None,
) -> SendReport | None:
    """Send one due issue to everyone still pending. Safe to run again at any moment.

    Each delivery is claimed (pending → in flight, committed) before its SMTP transaction
    and marked sent with its Message-ID after it. A run killed in between leaves that one
    delivery "in flight": it is never sent again automatically (the editor decides), and
    everything still pending is sent by the next run.
    """
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return None
    report = SendReport(number=issue.number)
    with _issue_lock(issue_id) as got:
        if not got:
            report.skipped = _("en annan körning skickar redan nr %(n)s") % {"n": issue.number}
            return report
        started = issue_start(issue_id=issue_id, now=now)
        if started is None:
            report.skipped = _("nr %(n)s kan inte skickas nu") % {"n": issue.number}
            return report
        _send_pending(
            started,
            report,
            rate=settings.NEWSLETTER_SEND_RATE if rate is None else rate,
            progress=progress or (lambda _msg: None),
            connection_factory=connection_factory or (lambda: get_connection(fail_silently=False)),
        )
        if (
            not report.stopped
            and not started.deliveries.filter(state=Delivery.State.PENDING).exists()
        ):
            Issue.objects.filter(pk=issue_id, state=Issue.State.SENDING).update(
                state=Issue.State.SENT, finished_at=timezone.now()
            )
    return report


def _send_pending(issue, report, *, rate, progress, connection_factory):
    rendered = issue_render(issue)
    domain = mail_domain()
    max_errors = settings.NEWSLETTER_MAX_CONNECTION_ERRORS
    total = issue.deliveries.filter(state=Delivery.State.PENDING).count()
    progress(_("Nr %(n)s: %(total)s mottagare kvar.") % {"n": issue.number, "total": total})
    pacer = _Pacer(rate)
    just_sent = _SentMarker()
    conn = connection_factory()
    is_open = False
    errors_in_row = 0
    last_id = 0
    done = 0
    began = time.monotonic()
    try:
        while True:
            state = Issue.objects.filter(pk=issue.pk).values_list("state", flat=True).first()
            if state != Issue.State.SENDING:
                report.stopped = _("nr %(n)s är pausat") % {"n": issue.number}
                return
            chunk = list(
                Delivery.objects.filter(issue=issue, state=Delivery.State.PENDING, pk__gt=last_id)
                .select_related("subscriber")
                .order_by("pk")[:CHUNK]
            )
            if not chunk:
                return
            for delivery in chunk:
                last_id = delivery.pk
                subscriber = delivery.subscriber
                if subscriber is None or subscriber.state != Subscriber.State.CONFIRMED:
                    report.cancelled += Delivery.objects.filter(
                        pk=delivery.pk, state=Delivery.State.PENDING
                    ).update(state=Delivery.State.CANCELLED)
                    continue
                while not is_open:
                    try:
                        conn.open()
                        is_open = True
                    except (smtplib.SMTPException, OSError) as exc:
                        errors_in_row += 1
                        if errors_in_row >= max_errors:
                            report.stopped = stopped_by_connection_errors(errors_in_row, exc)
                            return
                        _close(conn)
                        time.sleep(min(2**errors_in_row, 30) if rate else 0)
                pacer.wait()
                message_id = make_msgid(domain=domain)
                with transaction.atomic():
                    # One commit records the previous message as sent and claims this
                    # one: half the commits, and still every claim is durable before
                    # its SMTP transaction starts.
                    just_sent.flush()
                    claimed = Delivery.objects.filter(
                        pk=delivery.pk, state=Delivery.State.PENDING
                    ).update(
                        state=Delivery.State.IN_FLIGHT,
                        message_id=message_id,
                        started_at=timezone.now(),
                        attempts=F("attempts") + 1,
                    )
                if not claimed:
                    continue
                message = issue_message(
                    rendered, subscriber=subscriber, message_id=message_id, connection=conn
                )
                try:
                    conn.send_messages([message])
                except (smtplib.SMTPException, OSError) as exc:
                    outcome = _record_failure(delivery, subscriber, exc, report)
                    if outcome == "connection":
                        errors_in_row += 1
                        _close(conn)
                        is_open = False
                        if errors_in_row >= max_errors:
                            report.stopped = stopped_by_connection_errors(errors_in_row, exc)
                            return
                    elif outcome == "sender":
                        report.stopped = _(
                            "e-postservern vägrar avsändaradressen (%(error)s); kontrollera "
                            "DEFAULT_FROM_EMAIL"
                        ) % {"error": error_text(exc, "")}
                        return
                    continue
                just_sent.add(delivery.pk)
                errors_in_row = 0
                report.sent += 1
                done += 1
                if done % 100 == 0:
                    elapsed = max(time.monotonic() - began, 1e-6)
                    progress(
                        _("Nr %(n)s: %(done)s av %(total)s skickade (%(rate).0f/s).")
                        % {"n": issue.number, "done": done, "total": total, "rate": done / elapsed}
                    )
    finally:
        just_sent.flush()
        if is_open:
            _close(conn)
        progress(
            _(
                "Nr %(n)s: %(sent)s skickade, %(failed)s misslyckades, %(deferred)s försöks "
                "igen senare, %(uncertain)s osäkra, %(cancelled)s avslutade."
            )
            % {
                "n": issue.number,
                "sent": report.sent,
                "failed": report.failed,
                "deferred": report.deferred,
                "uncertain": report.uncertain,
                "cancelled": report.cancelled,
            }
        )


class _SentMarker:
    """The delivery whose SMTP transaction just succeeded, until it is recorded as sent."""

    def __init__(self):
        self.pk = None
        self.at = None

    def add(self, pk: int) -> None:
        self.flush()
        self.pk, self.at = pk, timezone.now()

    def flush(self) -> None:
        if self.pk is not None:
            Delivery.objects.filter(pk=self.pk).update(
                state=Delivery.State.SENT, sent_at=self.at, error=""
            )
            self.pk = None


def _close(conn) -> None:
    with contextlib.suppress(Exception):
        conn.close()


def _record_failure(delivery, subscriber, exc, report) -> str:
    code = smtp_code(exc)
    error = error_text(exc, subscriber.email)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, error=error)
        return "sender"
    if code and 500 <= code < 600:
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, error=error)
        suppress_bounced(subscriber)
        report.failed += 1
        return "permanent"
    if code and 400 <= code < 500:
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, error=error)
        report.deferred += 1
        return "connection" if code == 421 else "temporary"
    # The connection broke during the transaction: the server may or may not have taken
    # the message. Leave it in flight for the editor rather than risk a second copy.
    Delivery.objects.filter(pk=delivery.pk).update(
        error=_("anslutningen bröts under sändningen: %(error)s") % {"error": error}
    )
    report.uncertain += 1
    return "connection"


def newsletter_send_due(
    *,
    now: datetime | None = None,
    rate: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[SendReport]:
    """Send every issue whose time has come (the cron entry point)."""
    reports = []
    for issue_id in list(Issue.objects.due(now).values_list("pk", flat=True)):
        report = issue_send(issue_id=issue_id, now=now, rate=rate, progress=progress)
        if report is not None:
            reports.append(report)
            if report.stopped and not report.stopped.endswith(_("är pausat")):
                break
    return reports
