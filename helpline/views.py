from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from pagecache import cache_public_page
from pages.models import Page
from pages.publication import page_for_visitors, published_documents, untranslated_response

from . import hours, structured_data
from .context_processors import get_helpline
from .models import WEEKDAYS, hours_display

UPCOMING_DAYS = 60
# Browsers and proxies cannot be told when an editor saves: never let them keep more.
MAX_AGE_SECONDS = 60


@dataclass(frozen=True)
class DayRun:
    """Consecutive special days with the same hours, name and note, shown as one row."""

    first: date
    last: date
    hours: hours.Hours | None
    name: str
    note: str
    note_en: str = ""

    @property
    def hours_display(self) -> str:
        if self.hours is None:
            return hours_display(None, None)
        return hours_display(self.hours.opens, self.hours.closes)


def group_days(days: list[hours.SpecialDay]) -> list[DayRun]:
    runs: list[DayRun] = []
    for day in days:
        previous = runs[-1] if runs else None
        if (
            previous is not None
            and (day.day - previous.last).days == 1
            and (previous.hours, previous.name, previous.note, previous.note_en)
            == (day.hours, day.name, day.note, day.note_en)
        ):
            runs[-1] = DayRun(previous.first, day.day, day.hours, day.name, day.note, day.note_en)
        else:
            runs.append(DayRun(day.day, day.day, day.hours, day.name, day.note, day.note_en))
    return runs


@cache_public_page
@require_safe
def detail(request):
    page = page_for_visitors(
        request, Page.HELPLINE, Page.objects.prefetch_related(published_documents())
    )
    if page.untranslated:
        return untranslated_response(request, page)
    helpline = get_helpline(request)
    schedule = helpline.schedule
    context = {"page": page, "weekly": [], "upcoming": [], "jsonld": ""}
    if schedule is not None:
        today = helpline.now.astimezone(hours.TZ).date()
        days = hours.special_days(schedule, today, UPCOMING_DAYS)
        context["weekly"] = [
            (label, hours_display(*((h.opens, h.closes) if h else (None, None))))
            for (_, label), h in zip(WEEKDAYS, schedule.weekly, strict=True)
        ]
        context["upcoming"] = group_days(days)
        context["jsonld"] = structured_data.as_script_data(
            structured_data.contact_point(
                info=helpline.info,
                schedule=schedule,
                days=days,
                url=settings.SITE_URL + reverse("helpline:detail"),
            )
        )
    context["upcoming_days"] = UPCOMING_DAYS
    return render(request, "helpline/detail.html", context)


def _iso(moment):
    return moment.isoformat() if moment is not None else None


@require_safe
def status_json(request):
    helpline = get_helpline(request)
    status = helpline.status
    data = {
        "is_open": status.is_open if status else None,
        "opens_at": _iso(status.opens_at) if status else None,
        "closes_at": _iso(status.closes_at) if status else None,
        "number": helpline.number_display,
        "number_e164": helpline.number_e164,
    }
    if status is None:
        response = JsonResponse(data, status=503)
        patch_cache_control(response, no_store=True)
        return response
    response = JsonResponse(data)
    max_age = MAX_AGE_SECONDS
    if status.next_change is not None:
        max_age = min(max_age, int((status.next_change - helpline.now).total_seconds()))
    if max_age > 0:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, no_cache=True, max_age=0)
    return response
