"""A subscriber's lifecycle: signup, confirm, leave, come back, erase, purge."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .. import addresses
from ..addresses import address_hash, normalise
from ..models import Delivery, OutboxMessage, Subscriber, Suppression, new_nonce
from .mail import absolute, confirm_url, unsubscribe_url

MAIL_INTERVAL = timedelta(hours=24)


class TokenInvalid(Exception):
    """The link is unknown, tampered with, expired or already used."""


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
