"""Editors' decisions on an issue and its deliveries."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..addresses import address_hash
from ..models import Delivery, Issue, Subscriber, Suppression


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
