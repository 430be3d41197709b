"""Writing answers to "Hjälpte sidan dig?", and deleting old ones."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core import signing
from django.db import transaction
from django.utils import timezone

from pages.models import Page

from .models import PageFeedback

# The text box after "Nej" is reached through a signed link to that answer: no cookie, no
# session, and nobody can write a comment onto an answer that is not theirs.
TOKEN_SALT = "feedback.comment"
TOKEN_MAX_AGE = timedelta(hours=2)
KEEP_MONTHS = 12


class TokenInvalid(Exception):
    """The comment link is forged, expired, for a "yes", or already used."""


def feedback_record(*, page: Page, helpful: bool) -> PageFeedback:
    return PageFeedback.objects.create(page=page, helpful=helpful)


def feedback_comment_token(*, feedback: PageFeedback) -> str:
    return signing.dumps(feedback.pk, salt=TOKEN_SALT)


def feedback_for_token(*, token: str) -> PageFeedback:
    """The "no" answer a comment link belongs to, while it may still get a comment."""
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as exc:  # includes SignatureExpired
        raise TokenInvalid from exc
    feedback = (
        PageFeedback.objects.select_related("page").filter(pk=pk, helpful=False, comment="").first()
    )
    if feedback is None:
        raise TokenInvalid
    return feedback


def feedback_add_comment(*, token: str, comment: str) -> PageFeedback:
    """Attach ``comment`` to the answer behind ``token``; once only."""
    # Browsers send a line break in a text box as CRLF.
    comment = comment.replace("\r\n", "\n").strip()
    with transaction.atomic():
        feedback = feedback_for_token(token=token)
        if comment:
            # Only an answer still without a comment is updated: two posts of the same
            # link cannot overwrite each other.
            updated = PageFeedback.objects.filter(pk=feedback.pk, comment="").update(
                comment=comment
            )
            if not updated:
                raise TokenInvalid
            feedback.comment = comment
    return feedback


def feedback_mark_handled(*, ids: list[int], handled: bool = True) -> int:
    return PageFeedback.objects.filter(pk__in=ids).update(handled=handled)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it has no such day)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def feedback_purge(*, months: int = KEEP_MONTHS, today: date | None = None) -> int:
    """Delete answers older than ``months`` months; returns how many."""
    cutoff = months_before(today or timezone.localdate(), months)
    deleted, _by_model = PageFeedback.objects.before(cutoff).delete()
    return deleted
