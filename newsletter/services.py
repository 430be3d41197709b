"""Everything that changes newsletter state or sends mail.

Views, admin actions and management commands call these functions; none of them
duplicates the rules here. No function logs or returns an address in an error text.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.markup import render_markdown, render_plain

from . import addresses
from .addresses import InvalidAddress, address_hash, normalise
from .models import Delivery, Issue, OutboxMessage, Subscriber, Suppression, new_nonce

logger = logging.getLogger(__name__)

MAIL_INTERVAL = timedelta(hours=24)
CHUNK = 500
UNSUBSCRIBE_PLACEHOLDER = "@@UNSUBSCRIBE_URL@@"


class TokenInvalid(Exception):
    """The link is unknown, tampered with, expired or already used."""


# --- URLs and mail basics ---------------------------------------------------------------


def mail_domain() -> str:
    return settings.NEWSLETTER_MAIL_DOMAIN or urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id() -> str:
    return f"NSPM nyhetsbrev <nyhetsbrev.{mail_domain()}>"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscriber: Subscriber) -> str:
    token = addresses.confirm_token(subscriber.pk, subscriber.confirm_nonce)
    return absolute(reverse("newsletter:confirm", kwargs={"token": token}))


def unsubscribe_url(subscriber: Subscriber, *, one_click: bool = False) -> str:
    """The page with the "Avsluta" button, or (one_click) the RFC 8058 POST endpoint."""
    token = addresses.unsubscribe_token(subscriber.pk, subscriber.unsubscribe_key)
    name = "newsletter:unsubscribe_one_click" if one_click else "newsletter:unsubscribe"
    return absolute(reverse(name, kwargs={"token": token}))


def _smtp_code(exc: BaseException) -> int | None:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        for code, _msg in exc.recipients.values():
            return int(code)
        return None
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    return None


def _is_connection_error(exc: BaseException) -> bool:
    return isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
    )


def _error_text(exc: BaseException, address: str) -> str:
    code = _smtp_code(exc)
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


def _stopped_by_connection_errors(count: int, exc: BaseException) -> str:
    return _(
        "avbryter efter %(count)s anslutningsfel i rad mot "
        "e-postservern (%(error)s); resten skickas vid nästa körning"
    ) % {"count": count, "error": _error_text(exc, "")}


def _suppress_bounced(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(state=Subscriber.State.BOUNCED)
    Suppression.objects.get_or_create(
        address_hash=address_hash(subscriber.email),
        defaults={"reason": Suppression.Reason.BOUNCED},
    )


# --- Signup and the outbox --------------------------------------------------------------


def subscriber_signup(*, email: str, text_version: str, now: datetime | None = None) -> list[int]:
    """Record a signup and queue the right mail; return the outbox ids to send.

    Every address state takes the same path through the database (one lookup of the
    subscriber, one of the suppression list, one write), so neither the response nor its
    timing tells the sender which state the address was in. The mail itself is sent later.
    """
    now = now or timezone.now()
    address = normalise(email)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=address).first()
        suppression = Suppression.objects.filter(address_hash=address_hash(address)).first()
        if subscriber is None:
            if suppression is not None and suppression.reason == Suppression.Reason.BOUNCED:
                return []
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=address,
                        state=Subscriber.State.PENDING,
                        basis=Subscriber.Basis.FORM,
                        requested_at=now,
                        signup_text_version=text_version[:40],
                    )
            except IntegrityError:
                # Two signups for a new address at the same moment: the other one won.
                return []
            kind = OutboxMessage.Kind.CONFIRM
        else:
            if subscriber.state == Subscriber.State.BOUNCED:
                return []
            if subscriber.last_mail_at and now - subscriber.last_mail_at < MAIL_INTERVAL:
                return []
            if subscriber.state == Subscriber.State.CONFIRMED:
                kind = OutboxMessage.Kind.ALREADY
            else:
                # Pending or unsubscribed: a new link (the old one stops working).
                kind = OutboxMessage.Kind.CONFIRM
                subscriber.requested_at = now
                subscriber.signup_text_version = text_version[:40]
                subscriber.confirm_nonce = new_nonce()
        subscriber.last_mail_at = now
        subscriber.save()
        message = _queue(subscriber, kind)
    return [message.pk]


def _queue(subscriber: Subscriber, kind: str) -> OutboxMessage:
    context = {
        "confirm_url": confirm_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber),
        "signup_url": absolute(reverse("newsletter:signup")),
        "privacy_url": absolute(reverse("pages:privacy")),
        "max_age_days": settings.NEWSLETTER_TOKEN_MAX_AGE.days,
    }
    if kind == OutboxMessage.Kind.CONFIRM:
        subject = _("Bekräfta din prenumeration på NSPM:s nyhetsbrev")
        template = "newsletter/email/confirm.txt"
    else:
        subject = _("Du prenumererar redan på NSPM:s nyhetsbrev")
        template = "newsletter/email/already.txt"
    return OutboxMessage.objects.create(
        subscriber=subscriber,
        kind=kind,
        to=subscriber.email,
        subject=subject,
        body=render_to_string(template, context),
        headers={"Auto-Submitted": "auto-generated"},
    )


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
                code = _smtp_code(exc)
                row.last_error = _error_text(exc, row.to)
                if code and 500 <= code < 600 and not isinstance(exc, smtplib.SMTPSenderRefused):
                    row.failed_at = timezone.now()
                    row.save(update_fields=["last_error", "failed_at"])
                    if row.subscriber_id:
                        _suppress_bounced(row.subscriber)
                    report.failed += 1
                    continue
                backoff = timedelta(minutes=min(2**row.attempts, 360))
                row.next_attempt_at = timezone.now() + backoff
                row.save(update_fields=["last_error", "next_attempt_at"])
                report.deferred += 1
                if _is_connection_error(exc) or code is None or code == 421:
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


# --- Confirm, leave, come back ----------------------------------------------------------


def subscriber_for_confirm_token(*, token: str) -> Subscriber:
    """The subscriber a confirmation link is for, without changing anything (for GET)."""
    try:
        sid, nonce = addresses.read_confirm_token(token, max_age=settings.NEWSLETTER_TOKEN_MAX_AGE)
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    subscriber = Subscriber.objects.filter(pk=sid).first()
    if (
        subscriber is None
        or not subscriber.confirm_nonce
        or not constant_time_compare(subscriber.confirm_nonce, nonce)
        or subscriber.state not in (Subscriber.State.PENDING, Subscriber.State.UNSUBSCRIBED)
    ):
        raise TokenInvalid
    return subscriber


def subscriber_confirm(*, token: str, ip: str, now: datetime | None = None) -> Subscriber:
    """Confirm once, recording the evidence: when asked, when confirmed, text version, network."""
    now = now or timezone.now()
    with transaction.atomic():
        found = subscriber_for_confirm_token(token=token)
        subscriber = Subscriber.objects.select_for_update().get(pk=found.pk)
        if subscriber.confirm_nonce != found.confirm_nonce:
            raise TokenInvalid
        subscriber.state = Subscriber.State.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.confirmed_ip = addresses.truncate_ip(ip)
        subscriber.unsubscribed_at = None
        subscriber.confirm_nonce = ""  # single use
        subscriber.save()
        # The person asked to be erased once and has now given consent again.
        Suppression.objects.filter(
            address_hash=address_hash(subscriber.email), reason=Suppression.Reason.ERASED
        ).delete()
    return subscriber


def subscriber_for_unsubscribe_token(*, token: str) -> Subscriber:
    try:
        sid, key = addresses.read_unsubscribe_token(token)
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    subscriber = Subscriber.objects.filter(pk=sid).first()
    if subscriber is None or not constant_time_compare(subscriber.unsubscribe_key, key):
        raise TokenInvalid
    return subscriber


def subscriber_unsubscribe(*, token: str, now: datetime | None = None) -> Subscriber:
    """Leave at once (idempotent). Pending deliveries of a running send are cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        found = subscriber_for_unsubscribe_token(token=token)
        subscriber = Subscriber.objects.select_for_update().get(pk=found.pk)
        if subscriber.state in (Subscriber.State.CONFIRMED, Subscriber.State.PENDING):
            subscriber.state = Subscriber.State.UNSUBSCRIBED
            subscriber.unsubscribed_at = now
            subscriber.confirm_nonce = ""
            subscriber.save()
        Delivery.objects.filter(subscriber=subscriber, state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED
        )
    return subscriber


def subscriber_resubscribe(*, token: str) -> Subscriber:
    """Undo a leave from the page shown right after it; needs a subscription confirmed before."""
    with transaction.atomic():
        found = subscriber_for_unsubscribe_token(token=token)
        subscriber = Subscriber.objects.select_for_update().get(pk=found.pk)
        if subscriber.state != Subscriber.State.UNSUBSCRIBED or subscriber.confirmed_at is None:
            raise TokenInvalid
        subscriber.state = Subscriber.State.CONFIRMED
        subscriber.unsubscribed_at = None
        subscriber.save()
    return subscriber


# --- Erase, purge, import, export ---------------------------------------------------------


def subscriber_erase(*, subscriber: Subscriber) -> None:
    """Remove the person everywhere; keep only a keyed hash so an import cannot re-add them."""
    with transaction.atomic():
        Suppression.objects.get_or_create(
            address_hash=address_hash(subscriber.email),
            defaults={"reason": Suppression.Reason.ERASED},
        )
        # Unsent deliveries would otherwise wait for someone who no longer exists.
        Delivery.objects.filter(
            subscriber=subscriber, state__in=[Delivery.State.PENDING, Delivery.State.IN_FLIGHT]
        ).delete()
        # Change-log entries only ever say "Prenumerant #12"; rewrite any older wording anyway.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Subscriber),
            object_id=str(subscriber.pk),
        ).update(object_repr=str(subscriber))
        # Outbox rows cascade; sent deliveries keep their counts with subscriber = NULL.
        subscriber.delete()


def subscribers_purge_unconfirmed(*, days: int, now: datetime | None = None) -> int:
    """Delete signups left unconfirmed for `days` days, and old sent confirmation mail."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    _total, per_model = Subscriber.objects.unconfirmed_since(cutoff).delete()
    OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return per_model.get(Subscriber._meta.label, 0)


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    suppressed: int = 0
    invalid: int = 0
    problems: list[str] = field(default_factory=list)


def _parse_moment(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    day = parse_date(value) if len(value) == 10 else None
    if day is not None:
        # A bare date: noon Swedish time, so the date reads the same in every time zone.
        moment = datetime(day.year, day.month, day.day, 12, 0)
    else:
        moment = parse_datetime(value)
        if moment is None:
            raise ValueError(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def subscribers_import(
    *, rows: Iterable[dict], now: datetime | None = None, batch: int = 500
) -> ImportReport:
    """Add an existing list as confirmed subscribers (basis "import"); sends no mail.

    Skips invalid rows, addresses already on the list in any state (someone who left stays
    gone), addresses in the suppression list, and repeats within the file.
    """
    now = now or timezone.now()
    report = ImportReport()
    seen: set[str] = set()
    pending: list[tuple[str, datetime]] = []

    def flush():
        if not pending:
            return
        emails = [e for e, _m in pending]
        existing = set(Subscriber.objects.filter(email__in=emails).values_list("email", flat=True))
        hashes = {e: address_hash(e) for e in emails}
        blocked = set(
            Suppression.objects.filter(address_hash__in=hashes.values()).values_list(
                "address_hash", flat=True
            )
        )
        new = []
        for email, moment in pending:
            if email in existing:
                report.duplicates += 1
            elif hashes[email] in blocked:
                report.suppressed += 1
            else:
                new.append(
                    Subscriber(
                        email=email,
                        state=Subscriber.State.CONFIRMED,
                        basis=Subscriber.Basis.IMPORT,
                        requested_at=moment,
                        confirmed_at=moment,
                        signup_text_version="import",
                        confirm_nonce="",
                    )
                )
        with transaction.atomic():
            created = Subscriber.objects.bulk_create(new, ignore_conflicts=True)
        report.imported += len(created)
        pending.clear()

    for line, row in enumerate(rows, start=2):
        try:
            email = normalise(str(row.get("email") or ""))
            moment = _parse_moment(str(row.get("subscribed_at") or "")) or now
            if moment > now:
                raise ValueError("future")
        except (InvalidAddress, ValueError, OverflowError):
            report.invalid += 1
            report.problems.append(_("rad %(line)s: ogiltig") % {"line": line})
            continue
        if email in seen:
            report.duplicates += 1
            continue
        seen.add(email)
        pending.append((email, moment))
        if len(pending) >= batch:
            flush()
    flush()
    return report


EXPORT_FIELDS = [
    "id",
    "email",
    "state",
    "basis",
    "requested_at",
    "confirmed_at",
    "signup_text_version",
    "confirmed_ip",
]


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    if isinstance(value, datetime):
        text = value.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def subscribers_export_csv(*, queryset, out) -> int:
    """Write active subscribers with their evidence as CSV to `out`; return the row count."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for subscriber in queryset.confirmed().order_by("id").iterator(chunk_size=2000):
        writer.writerow([csv_safe(getattr(subscriber, name)) for name in EXPORT_FIELDS])
        count += 1
    return count


# --- Issues ---------------------------------------------------------------------------------


@dataclass
class RenderedIssue:
    subject: str
    text: str
    html: str


def issue_render(issue: Issue, *, unsubscribe: str = UNSUBSCRIBE_PLACEHOLDER) -> RenderedIssue:
    """The issue as mail, rendered once; the personal link is filled in per subscriber."""
    context = {
        "issue": issue,
        "body_text": render_plain(issue.body),
        "body_html": mark_safe(render_markdown(issue.body)),  # noqa: S308 - cleaned by nh3
        "web_url": absolute(issue.get_absolute_url()),
        "archive_url": absolute(reverse("newsletter:archive")),
        "signup_url": absolute(reverse("newsletter:signup")),
        "unsubscribe_url": unsubscribe,
    }
    return RenderedIssue(
        subject=issue_subject(issue),
        text=render_to_string("newsletter/email/issue.txt", context),
        html=render_to_string("newsletter/email/issue.html", context),
    )


def issue_subject(issue: Issue) -> str:
    return _("NSPM nyhetsbrev nr %(number)s: %(subject)s") % {
        "number": issue.number,
        "subject": issue.subject,
    }


def issue_message(
    rendered: RenderedIssue, *, subscriber: Subscriber, message_id: str, connection=None
) -> EmailMultiAlternatives:
    link = unsubscribe_url(subscriber)
    one_click = unsubscribe_url(subscriber, one_click=True)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, link),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers={
            "Message-ID": message_id,
            "List-Id": list_id(),
            "List-Unsubscribe": f"<{one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    message.attach_alternative(rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, link), "text/html")
    return message


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
                            report.stopped = _stopped_by_connection_errors(errors_in_row, exc)
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
                            report.stopped = _stopped_by_connection_errors(errors_in_row, exc)
                            return
                    elif outcome == "sender":
                        report.stopped = _(
                            "e-postservern vägrar avsändaradressen (%(error)s); kontrollera "
                            "DEFAULT_FROM_EMAIL"
                        ) % {"error": _error_text(exc, "")}
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
    code = _smtp_code(exc)
    error = _error_text(exc, subscriber.email)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.PENDING, error=error)
        return "sender"
    if code and 500 <= code < 600:
        Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.FAILED, error=error)
        _suppress_bounced(subscriber)
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


# --- Editor decisions on deliveries -------------------------------------------------------------


def issue_schedule(*, issue: Issue) -> None:
    if issue.state in (Issue.State.DRAFT, Issue.State.PAUSED):
        issue.state = Issue.State.SENDING if issue.started_at else Issue.State.SCHEDULED
        issue.save()


def issue_pause(*, issue: Issue) -> None:
    if issue.state in (Issue.State.SCHEDULED, Issue.State.SENDING):
        issue.state = Issue.State.PAUSED
        issue.save()


def deliveries_retry_failed(*, issue: Issue) -> int:
    """Queue the failed deliveries again, by the editor's decision.

    A failure was a permanent refusal that also put the address on the suppression list;
    retrying means the editor believes the refusal was a mistake, so that is lifted too.
    """
    with transaction.atomic():
        failed = Delivery.objects.filter(
            issue=issue, state=Delivery.State.FAILED, subscriber__isnull=False
        )
        for subscriber in Subscriber.objects.filter(
            pk__in=failed.values("subscriber_id"), state=Subscriber.State.BOUNCED
        ):
            Suppression.objects.filter(
                address_hash=address_hash(subscriber.email), reason=Suppression.Reason.BOUNCED
            ).delete()
            Subscriber.objects.filter(pk=subscriber.pk).update(state=Subscriber.State.CONFIRMED)
        count = failed.update(state=Delivery.State.PENDING, error="")
        if count:
            Issue.objects.filter(pk=issue.pk, state=Issue.State.SENT).update(
                state=Issue.State.SENDING, finished_at=None
            )
    return count


def deliveries_resend(*, queryset) -> int:
    ids = list(queryset.filter(state=Delivery.State.IN_FLIGHT).values_list("pk", flat=True))
    count = Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.PENDING, error="")
    issue_ids = set(Delivery.objects.filter(pk__in=ids).values_list("issue_id", flat=True))
    Issue.objects.filter(pk__in=issue_ids, state=Issue.State.SENT).update(
        state=Issue.State.SENDING, finished_at=None
    )
    return count


def deliveries_mark_sent(*, queryset) -> int:
    return queryset.filter(state=Delivery.State.IN_FLIGHT).update(
        state=Delivery.State.SENT, sent_at=timezone.now()
    )
