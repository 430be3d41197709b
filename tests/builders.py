"""Data the public pages need, made through the owning apps' own services.

Each builder returns the ``reverse()`` kwargs of the page it is for.
"""

import itertools
from datetime import timedelta
from urllib.parse import urlsplit

from django.urls import resolve
from django.utils import timezone

_numbers = itertools.count(1)


def _token(url: str) -> dict:
    return resolve(urlsplit(url).path).kwargs


def _new_subscriber():
    from newsletter import services
    from newsletter.models import Subscriber

    address = f"lasare.{next(_numbers)}@example.se"
    services.subscriber_signup(email=address, text_version="test")
    return Subscriber.objects.get(email=address)


def confirm_token() -> dict:
    """A pending signup's confirmation link, as mailed."""
    from newsletter import services

    return _token(services.confirm_url(_new_subscriber()))


def used_confirm_token() -> dict:
    """A confirmation link opened again after it was used: "Du prenumererar redan"."""
    from newsletter import services

    subscriber = _new_subscriber()
    token = _token(services.confirm_url(subscriber))
    services.subscriber_confirm(token=token["token"], ip="192.0.2.10")
    return token


def unsubscribe_token() -> dict:
    """A confirmed subscriber's unsubscribe link, as mailed."""
    from newsletter import services

    subscriber = _new_subscriber()
    services.subscriber_confirm(
        token=_token(services.confirm_url(subscriber))["token"], ip="192.0.2.10"
    )
    subscriber.refresh_from_db()
    return _token(services.unsubscribe_url(subscriber))


def published_issue() -> dict:
    """An issue whose sending has started, so it is in the archive."""
    from newsletter import services
    from newsletter.models import Issue

    subject = "Nyheter om arbetet mot människohandel"
    existing = Issue.objects.published().filter(subject=subject).first()
    if existing:
        # One issue for the whole list, so the archive reads the same on every pass.
        return {"number": existing.number}
    issue = Issue.objects.create(
        subject=subject,
        body=(
            "Hej!\n\n## Ny rapport\n\nLänsstyrelsen har publicerat en "
            "[rapport](https://www.example.se/rapport) om **sexuell exploatering**.\n\n"
            "- Utbildning i mars\n- Konferens i maj\n"
        ),
        send_at=timezone.now() - timedelta(minutes=5),
    )
    services.issue_schedule(issue=issue, send_now=True)
    services.issue_start(issue_id=issue.pk)
    return {"number": issue.number}


def feedback_comment_token() -> dict:
    """The page a visitor reaches after answering "Nej" under the about page."""
    from feedback import services
    from pages.models import Page

    feedback = services.feedback_record(page=Page.objects.by_slug(Page.ABOUT), helpful=False)
    return {"token": services.feedback_comment_token(feedback=feedback)}


# Settings for a Redis that is down: nothing listens on port 1, so every cache call is
# refused at once (use with ``override_settings(CACHES=CACHE_REFUSED)``).
CACHE_REFUSED = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
