"""The editors' own admin pages: the latest changes, one change in full, restoring a row.

Mounted by ``NspmAdminSite.get_urls`` behind ``admin_view`` (staff, verified one-time code).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .changelog import find_record, latest_changes, model_key, visible_models
from .rows import restore_target, who
from .services import history_row_restore


def change_log(site, request):
    models = visible_models(request.user)
    keys = {model_key(m) for m in models}
    only = request.GET.get("modell")
    if only not in keys:
        only = None
    context = {
        **site.each_context(request),
        "title": _("Senaste ändringarna"),
        "entries": latest_changes(request.user, only=only),
        "models": [(model_key(m), m._meta.verbose_name_plural) for m in models],
        "only": only,
    }
    return TemplateResponse(request, "admin/change_log.html", context)


def change_detail(site, request, key: str, history_id: int):
    entry = find_record(request.user, key, history_id)
    if entry is None:
        raise Http404
    context = {
        **site.each_context(request),
        "title": _("Ändring av %(model)s: %(object)s")
        % {"model": entry.model.lower(), "object": entry.object},
        "entry": entry,
    }
    return TemplateResponse(request, "admin/change_detail.html", context)


def restore_row(site, request, key: str, history_id: int):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    target = restore_target(request, site, key, history_id)
    opts = target.parent._meta
    history_url = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_history", args=[target.parent.pk]
    )
    errors = []
    if request.method == "POST":
        try:
            row = history_row_restore(record=target.record, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            message = _("Återställde %(row)s till versionen från %(when)s.") % {
                "row": row,
                "when": _when(target.record.history_date),
            }
            target.parent_admin.log_change(request, target.parent, message)
            messages.success(request, message)
            return redirect(history_url)
    record = target.record
    context = {
        **site.each_context(request),
        "title": _("Återställa en rad?"),
        "opts": opts,
        "parent": target.parent,
        "row_name": record.instance_type._meta.verbose_name,
        "row": record.history_object,
        "when": record.history_date,
        "who": who(record),
        "deleted": target.current is None,
        "changes": target.changes,
        "errors": errors,
        "history_url": history_url,
    }
    return TemplateResponse(request, "admin/editors/restore_row.html", context)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
