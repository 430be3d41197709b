"""A subscriber's lifecycle: signup, confirm, leave, come back, erase, purge."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .. import addresses
from ..addresses import InvalidAddress, address_hash, normalise
from ..models import Delivery, OutboxMessage, SignupRequest, Subscriber, Suppression, new_nonce
from .mail import absolute, confirm_url, unsubscribe_url
from .outbox import outbox_deliver_quietly

logger = logging.getLogger(__name__)


class TokenInvalid(Exception):
    """The link is unknown, tampered with, expired or already used."""


class AlreadySubscribed(TokenInvalid):
    """A confirmation link, used or old, for someone who is subscribed: not an error to them."""

    def __init__(self, subscriber: Subscriber):
        super().__init__()
        self.subscriber = subscriber


@dataclass(frozen=True)
class Confirmation:
    subscriber: Subscriber
    outbox_ids: list[int]


# --- Signup and the outbox --------------------------------------------------------------


def signup_request_record(*, email: str, text_version: str, allowed: bool) -> int:
    """Write the one row every valid signup writes, and nothing else; return its id.

    The answer to the visitor must cost the same whatever state the address is in and
    whether a limit stopped it, so the request does only this; `signup_requests_process`
    decides what it means after the response. A stopped request keeps no address.
    """
    row = SignupRequest.objects.create(
        email=email if allowed else "", text_version=text_version[:40]
    )
    return row.pk


def signup_requests_process(*, ids: Iterable[int] | None = None, limit: int = 500) -> list[int]:
    """Turn waiting signup requests into subscribers and queued mail; return the outbox ids.

    Run right after the response for its own request, and by the cron commands for any
    left behind by a crash. Each row is claimed under a row lock and deleted in the same
    transaction, so two runs never handle it twice.
    """
    queryset = SignupRequest.objects.order_by("id")
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    outbox_ids: list[int] = []
    for _i in range(limit):
        with transaction.atomic():
            row = queryset.select_for_update(skip_locked=True).first()
            if row is None:
                break
            row.delete()
            if not row.email:
                continue
            try:
                outbox_ids += subscriber_signup(
                    email=row.email, text_version=row.text_version, now=row.created_at
                )
            except InvalidAddress:
                # Checked by the form already; a rule tightened since then drops it.
                continue
    return outbox_ids


def signup_requests_process_quietly(ids: list[int]) -> None:
    """After the response: handle this request and send its mail; never raises.

    The newsletter and its mail are Swedish, also for a signup on the English page (whose
    language would otherwise still be active here, after the response)."""
    with translation.override("sv"):
        _signup_requests_process_quietly(ids)


def _signup_requests_process_quietly(ids: list[int]) -> None:
    try:
        outbox_ids = signup_requests_process(ids=ids)
    except Exception as exc:  # noqa: BLE001 - the response is already sent; the row stays
        logger.warning("newsletter signup: %s", type(exc).__name__)
        return
    if outbox_ids:
        outbox_deliver_quietly(outbox_ids)


def subscriber_signup(*, email: str, text_version: str, now: datetime | None = None) -> list[int]:
    """Record a signup and queue the right mail; return the outbox ids to send.

    Called after the answer has gone out (see `signup_request_record`), so the branches
    below cost nothing the visitor can time. A new mail goes to the same address at most
    once per NEWSLETTER_RESEND_AFTER; the per-mailbox rate limit caps the day.
    """
    now = now or timezone.now()
    address = normalise(email)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=address).first()
        if subscriber is None:
            return _signup_new(address, text_version, now)
        if subscriber.state == Subscriber.State.BOUNCED:
            return []
        if (
            subscriber.last_mail_at
            and now - subscriber.last_mail_at < settings.NEWSLETTER_RESEND_AFTER
        ):
            return []
        if subscriber.state == Subscriber.State.CONFIRMED:
            kind = OutboxMessage.Kind.ALREADY
        else:
            # Pending: the same link again, so a late first mail still works.
            # Unsubscribed: a new link (leaving used up the old one).
            kind = OutboxMessage.Kind.CONFIRM
            subscriber.requested_at = now
            subscriber.signup_text_version = text_version[:40]
            subscriber.confirm_nonce = subscriber.confirm_nonce or new_nonce()
        subscriber.last_mail_at = now
        subscriber.save()
        return [_queue(subscriber, kind).pk]


def _signup_new(address: str, text_version: str, now: datetime) -> list[int]:
    suppressed = Suppression.objects.filter(
        address_hash=address_hash(address), reason=Suppression.Reason.BOUNCED
    ).exists()
    if suppressed:
        return []
    try:
        with transaction.atomic():
            subscriber = Subscriber.objects.create(
                email=address,
                state=Subscriber.State.PENDING,
                basis=Subscriber.Basis.FORM,
                requested_at=now,
                signup_text_version=text_version[:40],
                last_mail_at=now,
            )
    except IntegrityError:
        # Two signups for a new address at the same moment: the other one won.
        return []
    return [_queue(subscriber, OutboxMessage.Kind.CONFIRM).pk]


MAILS = {
    OutboxMessage.Kind.CONFIRM: (
        "newsletter/email/confirm.txt",
        gettext_noop("Bekräfta din prenumeration på NSPM:s nyhetsbrev"),
    ),
    OutboxMessage.Kind.ALREADY: (
        "newsletter/email/already.txt",
        gettext_noop("Du prenumererar redan på NSPM:s nyhetsbrev"),
    ),
    OutboxMessage.Kind.WELCOME: (
        "newsletter/email/welcome.txt",
        gettext_noop("Välkommen som prenumerant på NSPM:s nyhetsbrev"),
    ),
}


def _queue(subscriber: Subscriber, kind: str) -> OutboxMessage:
    """One mail to exactly the stored address, written in the caller's transaction."""
    context = {
        "confirm_url": confirm_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber),
        "archive_url": absolute(reverse("newsletter:archive")),
        "signup_url": absolute(reverse("newsletter:signup")),
        "privacy_url": absolute(reverse("pages:privacy")),
        "max_age_days": settings.NEWSLETTER_TOKEN_MAX_AGE.days,
        "contact_email": settings.NEWSLETTER_CONTACT_EMAIL,
    }
    template, subject = MAILS[kind]
    headers = {"Auto-Submitted": "auto-generated"}
    if kind != OutboxMessage.Kind.CONFIRM:
        # Mail to a subscriber: the provider's own "unsubscribe" works too (RFC 8058).
        headers["List-Unsubscribe"] = f"<{unsubscribe_url(subscriber, one_click=True)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return OutboxMessage.objects.create(
        subscriber=subscriber,
        kind=kind,
        to=subscriber.email,
        subject=_(subject),
        body=render_to_string(template, context),
        headers=headers,
    )


# --- Confirm, leave, come back ----------------------------------------------------------


def subscriber_for_confirm_token(*, token: str) -> Subscriber:
    """The pending subscriber a confirmation link is for, changing nothing (for GET).

    Raises AlreadySubscribed for a link (used, replaced or expired) of someone who is
    subscribed now, and TokenInvalid for anything else that cannot be confirmed.
    """
    try:
        sid, nonce = addresses.read_confirm_token(token, max_age=settings.NEWSLETTER_TOKEN_MAX_AGE)
        fresh = True
    except signing.SignatureExpired:
        sid, nonce = _read_expired(token)
        fresh = False
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    subscriber = Subscriber.objects.filter(pk=sid).first()
    if subscriber is not None and subscriber.state == Subscriber.State.CONFIRMED:
        raise AlreadySubscribed(subscriber)
    if (
        subscriber is None
        or not fresh
        or not subscriber.confirm_nonce
        or not constant_time_compare(subscriber.confirm_nonce, nonce)
        or subscriber.state not in (Subscriber.State.PENDING, Subscriber.State.UNSUBSCRIBED)
    ):
        raise TokenInvalid
    return subscriber


def _read_expired(token: str) -> tuple[int, str]:
    # The signature is ours, only old: good enough to say "you are subscribed already".
    try:
        return addresses.read_confirm_token(token, max_age=None)
    except signing.BadSignature as exc:
        raise TokenInvalid from exc


def subscriber_confirm(*, token: str, ip: str, now: datetime | None = None) -> Confirmation:
    """Confirm once, recording the evidence, and queue the welcome mail with the leave link.

    The evidence: when asked, when confirmed, the text version, the network. Raises
    AlreadySubscribed when the link was used before by someone still subscribed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        found = subscriber_for_confirm_token(token=token)
        subscriber = Subscriber.objects.select_for_update().get(pk=found.pk)
        if subscriber.state == Subscriber.State.CONFIRMED:
            raise AlreadySubscribed(subscriber)  # confirmed in another tab meanwhile
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
        welcome = _queue(subscriber, OutboxMessage.Kind.WELCOME)
    return Confirmation(subscriber=subscriber, outbox_ids=[welcome.pk])


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
