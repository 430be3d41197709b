"""Mail building: site URLs, list headers, and an issue rendered once for every recipient."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.markup import render_markdown, render_plain

from .. import addresses
from ..models import Issue, Subscriber

UNSUBSCRIBE_PLACEHOLDER = "@@UNSUBSCRIBE_URL@@"


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
