"""Small template helpers for the admin: the lockout page and the history pages."""

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


@register.simple_tag
def history_versions(records) -> list:
    """Each version on the page with the fields it changed, compared with the one before."""
    from editors.history import record_changes

    records = list(records)
    pairs = []
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else record.prev_record
        pairs.append((record, record_changes(record, previous)))
    return pairs


@register.simple_tag
def history_who(record) -> str:
    from editors.rows import who

    return who(record)


@register.simple_tag(takes_context=True)
def row_history(context) -> list:
    """The history of the rows edited inside this object's form (editors.rows)."""
    from django.contrib import admin

    from editors.rows import row_history as sections_for

    request, opts, obj = context.get("request"), context.get("opts"), context.get("object")
    if request is None or opts is None or obj is None:
        return []
    if not admin.site.is_registered(opts.model):
        return []
    return sections_for(request, admin.site.get_model_admin(opts.model), obj)
