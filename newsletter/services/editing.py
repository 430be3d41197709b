"""Editors' decisions on an issue and its deliveries.

An issue's state changes only here, through four actions with their rules:

| Action              | From                         | To                                   |
|---------------------|------------------------------|--------------------------------------|
| schedule            | draft                        | scheduled (a past send time: asked)  |
| pause               | scheduled, sending           | paused                               |
| resume              | paused                       | sending if started, else scheduled   |
| mark sent           | sending, paused (started)    | sent                                 |

The sender moves scheduled → sending → sent by itself, and sending → paused when an
issue cannot be sent as written.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..addresses import address_hash
from ..models import Delivery, Issue, Subscriber, Suppression


class IssueAction(StrEnum):
    SCHEDULE = "schedule"
    PAUSE = "pause"
    RESUME = "resume"
    MARK_SENT = "mark_sent"


class TransitionRefused(Exception):
    """The action does not apply to the issue as it is; the text says why, for the editor."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SendNowUnconfirmed(TransitionRefused):
    """The send time has passed: scheduling would send at once, so the editor is asked first."""


def issue_schedule(*, issue: Issue, send_now: bool = False, now: datetime | None = None) -> Issue:
    """Draft → scheduled. With a send time already past, only when `send_now` (she was asked)."""
    return _transition(issue, IssueAction.SCHEDULE, send_now=send_now, now=now)


def issue_pause(*, issue: Issue) -> Issue:
    return _transition(issue, IssueAction.PAUSE)


def issue_resume(*, issue: Issue, send_now: bool = False, now: datetime | None = None) -> Issue:
    """Paused → sending (or scheduled, if it never started; a past send time is asked about)."""
    return _transition(issue, IssueAction.RESUME, send_now=send_now, now=now)


def issue_mark_sent(*, issue: Issue) -> Issue:
    """Declare a started issue finished: uncertain deliveries count as sent (they most likely
    arrived) and those still waiting are not sent."""
    with transaction.atomic():
        issue = _transition(issue, IssueAction.MARK_SENT)
        issue.deliveries.filter(state=Delivery.State.IN_FLIGHT).update(
            state=Delivery.State.SENT, sent_at=timezone.now()
        )
        issue.deliveries.filter(state=Delivery.State.PENDING).update(state=Delivery.State.CANCELLED)
    return issue


def issue_actions(issue: Issue) -> list[IssueAction]:
    """The actions that apply to the issue as it is (the buttons the editor is offered)."""
    allowed = []
    for action in IssueAction:
        try:
            _target(issue, action)
        except TransitionRefused:
            continue
        allowed.append(action)
    return allowed


def _transition(issue: Issue, action: IssueAction, *, send_now=False, now=None) -> Issue:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        target = _target(locked, action)
        if target == Issue.State.SCHEDULED and locked.send_at <= now and not send_now:
            raise SendNowUnconfirmed(
                _("Nr %(n)s: tiden för utskicket har redan varit. Skicka direkt?")
                % {"n": locked.number}
            )
        locked.state = target
        if action == IssueAction.RESUME:
            locked.send_error = ""
        if action == IssueAction.MARK_SENT:
            locked.finished_at = now
        locked.save()  # through save(), so the change log records who did it
    return locked


def _target(issue: Issue, action: IssueAction) -> str:
    state = Issue.State
    if action == IssueAction.SCHEDULE and issue.state == state.DRAFT:
        return state.SCHEDULED
    if action == IssueAction.PAUSE and issue.state in (state.SCHEDULED, state.SENDING):
        return state.PAUSED
    if action == IssueAction.RESUME and issue.state == state.PAUSED:
        return state.SENDING if issue.started_at else state.SCHEDULED
    started = issue.started_at is not None
    if action == IssueAction.MARK_SENT and started and issue.state in (state.SENDING, state.PAUSED):
        return state.SENT
    raise TransitionRefused(_refusal(issue, action))


def _refusal(issue: Issue, action: IssueAction) -> str:
    reasons = {
        IssueAction.SCHEDULE: _("bara ett utkast kan schemaläggas (pausade nummer återupptas)"),
        IssueAction.PAUSE: _("bara ett schemalagt nummer eller ett som skickas kan pausas"),
        IssueAction.RESUME: _("bara ett pausat nummer kan återupptas"),
        IssueAction.MARK_SENT: _(
            "bara ett nummer vars utskick har börjat kan markeras som skickat"
        ),
    }
    return _("Nr %(n)s är %(state)s: %(reason)s.") % {
        "n": issue.number,
        "state": issue.get_state_display().lower(),
        "reason": reasons[action],
    }


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
    """Uncertain deliveries back in the queue: the editor accepts a possible second copy."""
    ids = list(queryset.filter(state=Delivery.State.IN_FLIGHT).values_list("pk", flat=True))
    count = Delivery.objects.filter(pk__in=ids).update(state=Delivery.State.PENDING, error="")
    issue_ids = set(Delivery.objects.filter(pk__in=ids).values_list("issue_id", flat=True))
    Issue.objects.filter(pk__in=issue_ids, state=Issue.State.SENT).update(
        state=Issue.State.SENDING, finished_at=None
    )
    return count


def deliveries_mark_sent(*, queryset) -> int:
    """Uncertain deliveries counted as sent; an issue with nobody left waiting is then sent."""
    ids = list(queryset.filter(state=Delivery.State.IN_FLIGHT).values_list("pk", flat=True))
    count = Delivery.objects.filter(pk__in=ids).update(
        state=Delivery.State.SENT, sent_at=timezone.now()
    )
    issue_ids = set(Delivery.objects.filter(pk__in=ids).values_list("issue_id", flat=True))
    waiting = Delivery.objects.filter(
        state__in=[Delivery.State.PENDING, Delivery.State.IN_FLIGHT]
    ).values("issue_id")
    Issue.objects.filter(pk__in=issue_ids, state=Issue.State.SENDING).exclude(
        pk__in=waiting
    ).update(state=Issue.State.SENT, finished_at=timezone.now())
    return count
