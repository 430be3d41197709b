"""Small template helpers for the admin: the lockout page and the history list."""

from datetime import timedelta

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def try_again_at(cool_off: timedelta) -> str:
    """ "kl. 10.15" today, or with the date when the lock runs past midnight.

    The lock ends a cool-off after the latest failed attempt, and the page is only shown
    in answer to that attempt, so now + cool-off is exactly when it lifts.
    """
    now = timezone.localtime()
    until = timezone.localtime(now + cool_off)
    # Round up to the next whole minute: "10.15" must not be a minute too early.
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + timedelta(minutes=1)
    clock = _("kl. %(time)s") % {"time": formats.time_format(until, "H.i")}
    if until.date() == now.date():
        return clock
    return f"{formats.date_format(until, 'l j F')} {clock}"


@register.filter
def minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)
