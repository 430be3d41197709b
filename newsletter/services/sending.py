"""Sending an issue: start it once, then claim, send and record its deliveries in batches.

Crash safety. A batch of deliveries is claimed (pending → in flight, each with its
Message-ID) in one commit before the first of them is handed to the mail server, and
their outcomes are recorded in one commit after the last. A run killed in between leaves
that batch in flight: nobody in it is sent the issue again automatically (they may have
it already), nobody outside it is touched, and the editor sees the batch as uncertain on
the issue and on the start page. A batch is at most NEWSLETTER_SEND_BATCH deliveries and
at most one second of sending at the configured rate.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import make_msgid
from enum import StrEnum

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Delivery, Issue, Subscriber
from .mail import (
    BadMessage,
    LeaveLinks,
    MailTemplate,
    issue_mail,
    leave_links,
    mail_domain,
    preview_leave_link,
)
from .outcomes import Outcome, Result, server_trouble_text, suppress_bounced
from .smtp import Transport

# The first key of the issue's advisory lock ("nl"); the second is the issue's id.
LOCK_CLASS = 0x6E6C
# How long one batch may take at the configured rate: what a crash can leave uncertain.
BATCH_SECONDS = 1.0


class Stop(StrEnum):
    """Why a run stopped sending an issue before everyone had it."""

    PAUSED = "paused"  # the editor paused it: go on with the next issue
    BAD_ISSUE = "bad_issue"  # it cannot be sent as written: recorded on it; next issue
    SERVER = "server"  # the mail server cannot be reached or refuses us: end the run

    @property
    def ends_run(self) -> bool:
        return self == Stop.SERVER


@dataclass
class SendReport:
    number: int
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    cancelled: int = 0
    uncertain: int = 0
    stop: Stop | None = None
    stopped: str = ""
    skipped: str = ""


@contextlib.contextmanager
def _issue_lock(issue_id: int):
    """Hold the right to send this issue for the whole run, across many commits.

    A row lock (SELECT … FOR UPDATE) would need one transaction open for the whole run,
    but each batch must be committed as in flight before its SMTP transactions, and a
    held row lock would also freeze the editor's "pause" in admin. A PostgreSQL
    session-level advisory lock has the same skip-if-taken behaviour, survives commits and
    is released by the server when the process dies (even by SIGKILL). SQLite has one
    writer and is for development only: there every run proceeds (deliveries are still
    claimed with a conditional update, so nobody is mailed twice).
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = issue_id % 2_147_483_647
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, key])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, key])


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


def issue_fail(*, issue: Issue, reason: str) -> None:
    """Stop an issue that cannot be sent as written, and say why on it (the editor resumes)."""
    Issue.objects.filter(
        pk=issue.pk, state__in=[Issue.State.SCHEDULED, Issue.State.SENDING]
    ).update(state=Issue.State.PAUSED, send_error=reason[:300], updated_at=timezone.now())


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


def batch_size(rate: float) -> int:
    """How many deliveries one commit claims: what a crash can leave uncertain."""
    size = max(1, settings.NEWSLETTER_SEND_BATCH)
    if rate and rate > 0:
        size = min(size, max(1, int(rate * BATCH_SECONDS)))
    return size


def issue_send(
    *,
    issue_id: int,
    now: datetime | None = None,
    rate: float | None = None,
    progress: Callable[[str], None] | None = None,
    transport: Transport | None = None,
) -> SendReport | None:
    """Send one due issue to everyone still pending. Safe to run again at any moment."""
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None:
        return None
    report = SendReport(number=issue.number)
    with _issue_lock(issue_id) as got:
        if not got:
            report.skipped = _("en annan körning skickar redan nr %(n)s") % {"n": issue.number}
            return report
        issue.refresh_from_db()  # as the editor left it, now that no other run can start it
        try:
            mail = issue_mail(issue)
        except BadMessage as exc:
            issue_fail(issue=issue, reason=str(exc))
            report.stop, report.stopped = Stop.BAD_ISSUE, str(exc)
            return report
        started = issue_start(issue_id=issue_id, now=now)
        if started is None:
            report.skipped = _("nr %(n)s kan inte skickas nu") % {"n": issue.number}
            return report
        _Run(
            started,
            mail,
            report,
            rate=settings.NEWSLETTER_SEND_RATE if rate is None else rate,
            progress=progress or (lambda _msg: None),
            transport=transport or Transport(),
        ).send_all()
        _finish(started, report)
    return report


def _finish(issue: Issue, report: SendReport) -> None:
    """Sent when nobody is waiting and nobody is uncertain; uncertain ones wait for the editor."""
    if report.stop:
        return
    waiting = [Delivery.State.PENDING, Delivery.State.IN_FLIGHT]
    if not issue.deliveries.filter(state__in=waiting).exists():
        Issue.objects.filter(pk=issue.pk, state=Issue.State.SENDING).update(
            state=Issue.State.SENT, finished_at=timezone.now()
        )


@dataclass
class _Claim:
    pk: int
    subscriber: Subscriber
    message_id: str
    result: Result | None = None  # None: never attempted (the run stopped first)


@dataclass
class _Batch:
    claims: list[_Claim] = field(default_factory=list)
    last_id: int = 0
    cancelled: int = 0


def _claim(issue: Issue, *, after: int, size: int, domain: str) -> _Batch:
    """The next pending deliveries, in flight with their Message-IDs, in one commit."""
    batch = _Batch()
    with transaction.atomic():
        rows = list(
            Delivery.objects.filter(issue=issue, state=Delivery.State.PENDING, pk__gt=after)
            .select_related("subscriber")
            .select_for_update(of=("self",))
            .order_by("pk")[:size]
        )
        if not rows:
            return batch
        batch.last_id = rows[-1].pk
        live = [
            r for r in rows if r.subscriber and r.subscriber.state == Subscriber.State.CONFIRMED
        ]
        gone = sorted({r.pk for r in rows} - {r.pk for r in live})
        if gone:
            batch.cancelled = Delivery.objects.filter(pk__in=gone).update(
                state=Delivery.State.CANCELLED
            )
        # One id per delivery and per attempt: this claim's random prefix and the row's id.
        prefix = f"{int(time.time())}.{secrets.token_hex(6)}"
        Delivery.objects.filter(pk__in=[r.pk for r in live]).update(
            state=Delivery.State.IN_FLIGHT,
            message_id=Concat(
                Value(f"<{prefix}."),
                Cast("id", CharField()),
                Value(f"@{domain}>"),
                output_field=CharField(),
            ),
            started_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    batch.claims = [_Claim(r.pk, r.subscriber, f"<{prefix}.{r.pk}@{domain}>") for r in live]
    return batch


def _record(claims: list[_Claim]) -> None:
    """Every outcome of a batch in one commit; the batch is no longer uncertain after it."""
    now = timezone.now()
    by_outcome: dict[Outcome | None, list[_Claim]] = {}
    for claim in claims:
        by_outcome.setdefault(claim.result and claim.result.outcome, []).append(claim)
    with transaction.atomic():
        Delivery.objects.filter(pk__in=[c.pk for c in by_outcome.pop(Outcome.SENT, [])]).update(
            state=Delivery.State.SENT, sent_at=now, error=""
        )
        # Never handed over: simply waiting again.
        Delivery.objects.filter(pk__in=[c.pk for c in by_outcome.pop(None, [])]).update(
            state=Delivery.State.PENDING, message_id="", attempts=F("attempts") - 1
        )
        for outcome, group in by_outcome.items():
            for claim in group:
                _record_failure(claim, outcome)


def _record_failure(claim: _Claim, outcome: Outcome) -> None:
    reason = claim.result.reason
    if outcome.is_final:
        state = Delivery.State.FAILED
    elif outcome == Outcome.UNCERTAIN:
        state = Delivery.State.IN_FLIGHT
        reason = _("anslutningen bröts under sändningen: %(error)s") % {"error": reason}
    else:
        state = Delivery.State.PENDING
    Delivery.objects.filter(pk=claim.pk).update(state=state, error=reason[:300])
    if outcome == Outcome.REFUSED:
        suppress_bounced(claim.subscriber.pk, claim.subscriber.email)


class _Run:
    """One run over one issue's pending deliveries, batch by batch."""

    def __init__(self, issue, mail: MailTemplate, report, *, rate, progress, transport):
        self.issue, self.mail, self.report = issue, mail, report
        self.rate, self.progress, self.transport = rate, progress, transport
        self.links: LeaveLinks = leave_links()
        self.domain = mail_domain()
        self.pacer = _Pacer(rate)
        self.size = batch_size(rate)
        self.errors_in_row = 0
        self.total = 0
        self.began = time.monotonic()

    def send_all(self) -> None:
        self.total = self.issue.deliveries.filter(state=Delivery.State.PENDING).count()
        self.progress(
            _("Nr %(n)s: %(total)s mottagare kvar.") % {"n": self.issue.number, "total": self.total}
        )
        last_id = 0
        try:
            while not self.report.stop:
                if not self._still_sending():
                    break
                batch = _claim(self.issue, after=last_id, size=self.size, domain=self.domain)
                if not batch.last_id:
                    break
                last_id = batch.last_id
                self.report.cancelled += batch.cancelled
                for claim in batch.claims:
                    if not self.report.stop:
                        claim.result = self._attempt(claim)
                        self._count(claim.result)
                _record(batch.claims)
        finally:
            self.transport.close()
            self.progress(self._summary())

    def _still_sending(self) -> bool:
        state = Issue.objects.filter(pk=self.issue.pk).values_list("state", flat=True).first()
        if state == Issue.State.SENDING:
            return True
        self.report.stop = Stop.PAUSED
        self.report.stopped = _("nr %(n)s är pausat") % {"n": self.issue.number}
        return False

    def _attempt(self, claim: _Claim) -> Result:
        subscriber = claim.subscriber
        link, one_click = self.links.for_subscriber(subscriber)

        def message() -> bytes:
            return self.mail.for_recipient(
                to=subscriber.email, message_id=claim.message_id, link=link, one_click=one_click
            )

        self.pacer.wait()
        while True:
            result = self.transport.attempt(to=subscriber.email, message=message)
            if not result.outcome.server_trouble:
                self.errors_in_row = 0
                return result
            self.errors_in_row += 1
            if (
                result.outcome == Outcome.SENDER_REFUSED
                or self.errors_in_row >= settings.NEWSLETTER_MAX_CONNECTION_ERRORS
            ):
                self.report.stop = Stop.SERVER
                self.report.stopped = server_trouble_text(self.errors_in_row, result)
                return result
            if result.outcome == Outcome.UNCERTAIN:
                return result
            # Not handed over yet: wait a little and try the same mail on a new connection.
            time.sleep(min(2**self.errors_in_row, 30) if self.rate else 0)

    def _count(self, result: Result) -> None:
        outcome = result.outcome
        if outcome == Outcome.SENT:
            self.report.sent += 1
            if self.report.sent % 100 == 0:
                self._progress_line()
        elif outcome.is_final:
            self.report.failed += 1
        elif outcome == Outcome.UNCERTAIN:
            self.report.uncertain += 1
        elif outcome == Outcome.DEFERRED:
            self.report.deferred += 1

    def _progress_line(self) -> None:
        elapsed = max(time.monotonic() - self.began, 1e-6)
        self.progress(
            _("Nr %(n)s: %(done)s av %(total)s skickade (%(rate).0f/s).")
            % {
                "n": self.issue.number,
                "done": self.report.sent,
                "total": self.total,
                "rate": self.report.sent / elapsed,
            }
        )

    def _summary(self) -> str:
        report = self.report
        return _(
            "Nr %(n)s: %(sent)s skickade, %(failed)s misslyckades, %(deferred)s försöks "
            "igen senare, %(uncertain)s osäkra, %(cancelled)s avslutade."
        ) % {
            "n": report.number,
            "sent": report.sent,
            "failed": report.failed,
            "deferred": report.deferred,
            "uncertain": report.uncertain,
            "cancelled": report.cancelled,
        }


def newsletter_send_due(
    *,
    now: datetime | None = None,
    rate: float | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[SendReport]:
    """Send every issue whose time has come (the cron entry point).

    An issue that cannot be sent (paused meanwhile, or written so that no mail can be
    built) does not hold up the others; only trouble with the mail server ends the run.
    """
    reports = []
    for issue_id in list(Issue.objects.due(now).values_list("pk", flat=True)):
        report = issue_send(issue_id=issue_id, now=now, rate=rate, progress=progress)
        if report is not None:
            reports.append(report)
            if report.stop and report.stop.ends_run:
                break
    return reports


def issue_send_test(*, issue: Issue, to: str, transport: Transport | None = None) -> Result:
    """The issue as everyone will get it, to one address, marked "[PROV]"; no delivery recorded."""
    transport = transport or Transport()

    def message() -> bytes:
        return issue_mail(issue, test=True).for_recipient(
            to=to, message_id=make_msgid(domain=mail_domain()), link=preview_leave_link()
        )

    try:
        return transport.attempt(to=to, message=message)
    finally:
        transport.close()


def issues_being_sent() -> set[int]:
    """Ids of the issues a sender holds right now (PostgreSQL; elsewhere none are known).

    Their in-flight deliveries are the batch in hand, not uncertain ones left by a crash.
    """
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND objsubid = 2 AND granted",
            [LOCK_CLASS],
        )
        return {int(row[0]) for row in cursor.fetchall()}
