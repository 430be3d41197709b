"""What the editors' start page at /redaktion/ shows above the list of models.

Each card reads through the owning app's public reads. A card whose app cannot answer
(a database error, a model not there yet) says so instead of breaking the start page.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

# How far ahead the start page lists days the helpline is closed.
CLOSED_DAYS_AHEAD = 60
CLOSED_DAYS_SHOWN = 5
# How far back superusers see failed logins.
LOGIN_ACTIVITY_HOURS = 24


def editor_dashboard(request) -> dict:
    cards = {
        "helpline": _card(helpline_card, request),
        "newsletter": _card(newsletter_card, request),
        "pages": _card(pages_card, request),
        "feedback": _card(feedback_card, request),
    }
    if request.user.is_superuser:
        # Usernames people tried belong to the security record, which is superusers' only.
        cards["logins"] = _card(login_activity_card, request)
    return cards


def _card(build, request):
    try:
        return build(request)
    except (DatabaseError, ImportError, LookupError, AttributeError):
        # The start page must keep working while one app is broken or has changed its
        # reads (an ImportError or AttributeError); the log says which card and why.
        logger.warning("dashboard card %s unavailable", build.__name__, exc_info=True)
        return {"unavailable": True}


def _admin_url(request, name: str, *args) -> str | None:
    """The admin URL if the model is registered, else None (callers check permissions)."""
    try:
        return reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        return None


def _may(request, app_label: str, model: str, action: str = "view") -> bool:
    return request.user.has_perm(f"{app_label}.{action}_{model}")


def helpline_card(request) -> dict:
    from helpline import hours, loader

    snapshot = loader.load_snapshot()
    card: dict = {"number": snapshot.info.number_display}
    if snapshot.schedule is None:
        card["no_schedule"] = True
        return card
    now = timezone.now()
    card["status"] = hours.status_at(now, snapshot.schedule)
    card["status_text"] = _status_text(card["status"], now)
    today = timezone.localdate(now)
    card["closed_days"] = hours.closed_days(snapshot.schedule, today, CLOSED_DAYS_AHEAD)[
        :CLOSED_DAYS_SHOWN
    ]
    card["closed_days_until"] = today + timedelta(days=CLOSED_DAYS_AHEAD - 1)
    card["edit_url"] = _helpline_edit_url(request)
    return card


def _status_text(status, now) -> str:
    """The words the public site uses, so editors read exactly what visitors read."""
    try:
        from helpline.context_processors import status_display
    except ImportError:
        return ""
    return status_display(status, now)


def _helpline_edit_url(request) -> str | None:
    from django.apps import apps

    try:
        Helpline = apps.get_model("helpline", "Helpline")
    except LookupError:
        return None
    if not _may(request, "helpline", "helpline", "change"):
        return None
    helpline = Helpline.objects.order_by("pk").only("pk").first()
    if helpline is None:
        return None
    return _admin_url(request, "helpline_helpline_change", helpline.pk)


def newsletter_card(request) -> dict:
    """Counts only, never an address, so every editor may see them (see the README)."""
    from newsletter.models import Issue, Subscriber

    counts = dict(
        Subscriber.objects.filter(state__in=[Subscriber.State.CONFIRMED, Subscriber.State.PENDING])
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    next_issue = Issue.objects.exclude(state=Issue.State.SENT).order_by("send_at", "number").first()
    card = {
        "confirmed": counts.get(Subscriber.State.CONFIRMED, 0),
        "pending": counts.get(Subscriber.State.PENDING, 0),
        "next_issue": next_issue,
    }
    if _may(request, "newsletter", "subscriber"):
        card["subscribers_url"] = _admin_url(request, "newsletter_subscriber_changelist")
    if _may(request, "newsletter", "issue"):
        if next_issue is not None:
            card["issue_url"] = _admin_url(request, "newsletter_issue_change", next_issue.pk)
        card["issues_url"] = _admin_url(request, "newsletter_issue_changelist")
    card["attention"] = _newsletter_attention(request)
    return card


def _newsletter_attention(request) -> list[dict]:
    """Issues stopped for a reason, or with deliveries a crash left uncertain."""
    from newsletter import services
    from newsletter.models import Issue

    issues = list(Issue.objects.needing_attention()[:5])
    # In-flight deliveries of an issue being sent right now are the batch in hand.
    running = services.issues_being_sent() if any(i.n_uncertain for i in issues) else set()
    may_open = _may(request, "newsletter", "issue")
    rows = []
    for issue in issues:
        uncertain = 0 if issue.pk in running else issue.n_uncertain
        if not uncertain and not issue.send_error:
            continue
        url = _admin_url(request, "newsletter_issue_change", issue.pk) if may_open else None
        rows.append(
            {"issue": issue, "uncertain": uncertain, "send_error": issue.send_error, "url": url}
        )
    return rows


def pages_card(request) -> dict:
    from pages.models import Page, PageDraft
    from pages.services import page_publish_due

    # A scheduled text whose time has come is published before the dates are read.
    page_publish_due(now=timezone.now())
    pages = list(Page.objects.oldest_update_first().only("pk", "slug", "title", "updated_on"))
    drafts = {draft.page_id: draft for draft in PageDraft.objects.only("page_id", "publish_at")}
    may_change = _may(request, "pages", "page", "change") or _may(request, "pages", "page")
    return {
        "pages": [
            {
                "page": page,
                "draft": drafts.get(page.pk),
                "admin_url": _admin_url(request, "pages_page_change", page.pk)
                if may_change
                else None,
                "public_url": _public_url(page),
            }
            for page in pages
        ]
    }


def _public_url(page) -> str | None:
    try:
        return page.get_absolute_url()
    except NoReverseMatch:
        return None


# How many of the latest comments to "Hjälpte sidan dig?" the start page lists.
FEEDBACK_COMMENTS_SHOWN = 5


def feedback_card(request) -> dict:
    """Answers per page (everything kept: at most twelve months) and the latest comments
    not yet marked handled."""
    from feedback.models import PageFeedback

    if not _may(request, "feedback", "pagefeedback"):
        return {"hidden": True}
    answers = PageFeedback.objects.all()
    comments = list(answers.unhandled().latest_comments()[:FEEDBACK_COMMENTS_SHOWN])
    changelist = _admin_url(request, "feedback_pagefeedback_changelist")
    return {
        "pages": list(answers.counts_by_page()),
        "comments": [
            {
                "feedback": comment,
                "admin_url": _admin_url(request, "feedback_pagefeedback_change", comment.pk),
            }
            for comment in comments
        ],
        "open_comments_url": f"{changelist}?handled__exact=0&kommentar=ja" if changelist else None,
        "changelist_url": changelist,
    }


def login_activity_card(request) -> dict:
    """Failed logins of the last day by username and by network: counts, never an address."""
    from editors.lockout import failed_login_activity

    since = timezone.now() - timedelta(hours=LOGIN_ACTIVITY_HOURS)
    return {
        **failed_login_activity(since=since),
        "hours": LOGIN_ACTIVITY_HOURS,
        "records_url": _admin_url(request, "axes_accessfailurelog_changelist"),
    }
