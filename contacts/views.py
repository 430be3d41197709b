from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pagecache import cache_public_page

from .forms import ContactFilterForm, MunicipalityLookupForm
from .lookup import LookupResult, find_municipality
from .models import Contact, Municipality, Region
from .text import NSPM_EMAIL_PATTERN, clean_input, search_key
from .vcard import contact_vcard


@cache_public_page(params=["q", "region"])
@require_safe
def contact_list(request):
    regions = list(Region.objects.all())
    form = ContactFilterForm(request.GET or None, regions=regions)
    people = Contact.objects.published().people().with_phones().with_regions()
    text, region_slug = "", ""
    if form.is_bound and form.is_valid():
        text = clean_input(form.cleaned_data["q"], max_length=100)
        region_slug = form.cleaned_data["region"]
        if text:
            key = search_key(text)
            matching_regions = [r.pk for r in regions if key and key in search_key(r.name)]
            people = people.matching(text, region_ids=matching_regions)
        if region_slug:
            people = people.filter(regions__slug=region_slug).distinct()
    people = list(people)
    filtered = bool(text or region_slug)
    return render(
        request,
        "contacts/contact_list.html",
        {
            "form": form,
            "nspm_people": [p for p in people if p.is_nspm],
            "other_people": [p for p in people if not p.is_nspm],
            "mailboxes": list(Contact.objects.published().mailboxes()),
            "filtered": filtered,
            "result_count": len(people),
            "email_pattern": NSPM_EMAIL_PATTERN,
        },
    )


def _lookup(request) -> tuple[MunicipalityLookupForm, LookupResult | None, list, list]:
    """Shared by the HTML page and the JSON answer: the form, the lookup, all municipalities
    (for the suggestion list) and all regions with their counties and coordinators."""
    municipalities = list(Municipality.objects.for_lookup())
    regions = list(Region.objects.with_counties_and_coordinators())
    form = MunicipalityLookupForm(request.GET or None)
    result = None
    if "kommun" in request.GET:
        raw = request.GET.get("kommun", "")
        result = find_municipality(raw, municipalities)
    return form, result, municipalities, regions


def _region_for(municipality, regions) -> Region | None:
    region_id = municipality.county.region_id
    return next((r for r in regions if r.pk == region_id), None)


def _error_message(result: LookupResult) -> str:
    if result.error == "empty":
        return _("Skriv namnet på en kommun eller dess kommunkod, till exempel Malå eller 2418.")
    if result.error == "too_long":
        return _("Det du skrev är för långt för ett kommunnamn. Skriv bara kommunens namn.")
    if result.error == "ambiguous":
        return _("”%(query)s” kan vara flera kommuner. Välj den du menar.") % {
            "query": result.query
        }
    if result.query.isdigit():
        return _("Det finns ingen kommun med kommunkoden %(code)s.") % {"code": result.query}
    return _("Vi hittade ingen kommun som heter ”%(query)s”. Kontrollera stavningen.") % {
        "query": result.query
    }


@cache_public_page(params=["kommun"])
@require_safe
def coordinators(request):
    form, result, municipalities, regions = _lookup(request)
    context = {
        "form": form,
        "result": result,
        "municipalities": municipalities,
        "regions": regions,
        "region": None,
        "map_counties": set(),
        "map_county": "",
    }
    if result is not None and form.is_valid():
        if result.found:
            region = _region_for(result.match, regions)
            context["region"] = region
            context["map_county"] = result.match.county.code
            if region is not None:
                context["map_counties"] = {c.code for c in region.counties.all()}
        else:
            form.add_error("kommun", _error_message(result))
    return render(request, "contacts/coordinators.html", context)


def _json_error(message: str, status: int, suggestions=()) -> JsonResponse:
    return JsonResponse(
        {"error": message, "suggestions": [m.name for m in suggestions]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@cache_public_page(params=["kommun"])
@require_safe
def coordinators_json(request):
    form, result, _municipalities, regions = _lookup(request)
    if result is None:
        return _json_error(_("Ange en kommun med parametern kommun, t.ex. ?kommun=Malå."), 400)
    if not result.found:
        status = 400 if result.error in ("empty", "too_long") else 404
        return _json_error(_error_message(result), status, result.suggestions)
    municipality = result.match
    region = _region_for(municipality, regions)
    coordinators = region.coordinators if region else []
    data = {
        "kommun": municipality.name,
        "kommun_code": municipality.code,
        "county": municipality.county.name,
        "county_code": municipality.county.code,
        "region": region.name if region else None,
        "coordinators": [
            {
                "name": c.name,
                "title": c.title,
                "phones": [p.e164 for p in c.phones.all()],
                "email": c.email,
            }
            for c in coordinators
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@cache_public_page
@require_safe
def vcard(request, slug: str):
    contact = get_object_or_404(Contact.objects.published().with_phones(), slug=slug)
    body = contact_vcard(
        contact,
        phones=list(contact.phones.all()),
        url=settings.SITE_URL + contact.get_absolute_url(),
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{contact.slug}.vcf"'
    return response
