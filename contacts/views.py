from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pagecache import cache_public_page

from . import memo, places
from .forms import ContactFilterForm, MunicipalityLookupForm
from .lookup import Kind, LookupResult, find_place
from .models import Contact, Region
from .text import NSPM_EMAIL_DOMAIN, clean_input, search_key
from .vcard import contact_vcard


def _filtered_people(form, regions) -> tuple[list, str, bool]:
    """(people, the cleaned text, whether they were found by a similar rather than the
    same spelling)."""
    people = Contact.objects.published().people().with_phones().with_regions()
    text = clean_input(form.cleaned_data["q"], max_length=100)
    region_slug = form.cleaned_data["region"]
    if region_slug:
        people = people.filter(regions__slug=region_slug).distinct()
    if not text:
        return list(people), text, False
    key = search_key(text)
    matching_regions = [r.pk for r in regions if key and key in search_key(r.name)]
    found = list(people.matching(text, region_ids=matching_regions))
    if found:
        return found, text, False
    return list(people.similar_to(text)), text, True


@cache_public_page(params=["q", "region"])
@require_safe
def contact_list(request):
    regions = list(Region.objects.all())
    form = ContactFilterForm(request.GET or None, regions=regions)
    version = memo.content_version()
    text, region_slug, similar, place = "", "", False, None
    if form.is_bound and form.is_valid():
        people, text, similar = _filtered_people(form, regions)
        region_slug = form.cleaned_data["region"]
        if text:
            # "Göteborg" names a place, not a person: point to the coordinator lookup.
            answer = find_place(text, places.directory(version=version).index)
            place = answer.place if answer.found and answer.place.kind != Kind.REGION else None
    else:
        people = list(Contact.objects.published().people().with_phones().with_regions())
    return render(
        request,
        "contacts/contact_list.html",
        {
            "form": form,
            "nspm_people": [p for p in people if p.is_nspm],
            "other_people": [p for p in people if not p.is_nspm],
            "mailboxes": list(Contact.objects.published().mailboxes()),
            "filtered": bool(text or region_slug),
            "similar": similar,
            "place": place,
            "result_count": len(people),
            # "fornamn.efternamn@…" in the page's language ("firstname.lastname@…").
            "email_pattern": _("fornamn.efternamn") + "@" + NSPM_EMAIL_DOMAIN,
            "last_updated": places.last_updated(version=version),
        },
    )


def _lookup(request, version) -> tuple[MunicipalityLookupForm, LookupResult | None]:
    """Shared by the HTML page and the JSON answer."""
    form = MunicipalityLookupForm(request.GET or None)
    result = None
    if "kommun" in request.GET:
        index = places.directory(version=version).index
        result = find_place(request.GET.get("kommun", ""), index)
    return form, result


def _error_message(result: LookupResult) -> str:
    if result.error == "empty":
        return _(
            "Skriv en kommun, ort, ett postnummer eller ett län, till exempel Malå, Visby, "
            "621 41 eller Jämtland."
        )
    if result.error == "too_long":
        return _(
            "Det du skrev är för långt. Skriv bara namnet på kommunen, orten eller länet, "
            "eller ett postnummer."
        )
    if result.error == "postal_code_unknown":
        return _(
            "Postnumret %(code)s finns inte i vår förteckning, som saknar ungefär vart femte "
            "postnummer. Skriv kommunen eller orten i stället."
        ) % {"code": result.postal_code}
    if result.query.isdigit():
        return _("Det finns ingen kommun med kommunkoden %(code)s.") % {"code": result.query}
    return _(
        "Vi hittade ingen kommun, ort, län eller region som heter ”%(query)s”. "
        "Kontrollera stavningen."
    ) % {"query": result.query}


def _choice_message(result: LookupResult) -> str:
    return _("”%(query)s” finns i flera kommuner. Välj den du menar.") % {"query": result.query}


# Fragments that depend only on content: rendered once per content version (contacts/memo.py).


def _fragment(name: str, template: str, context: dict, version) -> SafeString:
    def build() -> SafeString:
        return SafeString(render_to_string(template, context))

    return memo.memoised(name, build, version=version)


def _map(result: LookupResult | None, version) -> SafeString:
    place = result.place if result is not None else None
    region = place.region if place is not None else None
    county = place.county if place is not None and place.kind != Kind.REGION else None
    county_code = county.code if county is not None else ""
    context = {
        "region": region,
        "map_county": county_code,
        "map_counties": {c.code for c in region.counties.all()} if region else set(),
    }
    name = f"map:{county_code}:{region.pk if region else ''}"
    return _fragment(name, "contacts/includes/region_map.svg", context, version)


@cache_public_page(params=["kommun"])
@require_safe
def coordinators(request):
    version = memo.content_version()  # read once: every piece below is of this version
    form, result = _lookup(request, version)
    directory = places.directory(version=version)
    context = {
        "form": form,
        "result": result,
        "choice_message": "",
        "municipality_list": _fragment(
            "datalist",
            "contacts/includes/municipality_datalist.html",
            {"municipalities": directory.municipalities},
            version,
        ),
        "region_table": _fragment(
            "region_table",
            "contacts/includes/region_table.html",
            {"regions": directory.regions},
            version,
        ),
        "region_map": _map(result, version),
        "last_updated": places.last_updated(version=version),
    }
    if result is not None and form.is_valid():
        if result.choices:
            context["choice_message"] = _choice_message(result)
        elif not result.found:
            form.add_error("kommun", _error_message(result))
    return render(request, "contacts/coordinators.html", context)


def _json_error(message: str, status: int, suggestions=(), **extra) -> JsonResponse:
    return JsonResponse(
        {"error": message, "suggestions": [p.name for p in suggestions], **extra},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _coordinator_data(region) -> list[dict]:
    return [
        {
            "name": c.name,
            "title": c.title,
            "phones": [p.e164 for p in c.phones.all()],
            "email": c.email,
        }
        for c in (region.coordinators if region is not None else [])
    ]


def _answer_data(result: LookupResult) -> dict:
    place, municipality, county, region = (
        result.place,
        result.municipality,
        result.county,
        result.region,
    )
    many = place.kind != Kind.MUNICIPALITY
    return {
        "matched_by": str(result.matched_by),
        "kommun": municipality.name if municipality else None,
        "kommun_code": municipality.code if municipality else None,
        "postal_code": result.postal_code or None,
        "postal_town": result.locality or (place.name if place.kind == Kind.POSTAL_TOWN else None),
        "county": county.name if county else None,
        "county_code": county.code if county else None,
        "region": region.name if region else None,
        "municipalities": [{"name": m.name, "code": m.code} for m in place.municipalities]
        if many
        else [],
        "coordinators": _coordinator_data(region),
    }


@cache_public_page(params=["kommun"])
@require_safe
def coordinators_json(request):
    form, result = _lookup(request, memo.content_version())
    if result is None:
        return _json_error(_("Ange en kommun med parametern kommun, t.ex. ?kommun=Malå."), 400)
    if result.choices:
        choices = [
            {
                "kommun": p.name,
                "kommun_code": p.query,
                "county": p.county.name if p.county else None,
                "region": p.region.name if p.region else None,
            }
            for p in result.choices
        ]
        return _json_error(
            _choice_message(result),
            300,
            result.choices,
            matched_by=str(result.matched_by),
            choices=choices,
        )
    if not result.found:
        status = 400 if result.error in ("empty", "too_long") else 404
        return _json_error(_error_message(result), status, result.suggestions)
    return JsonResponse(_answer_data(result), json_dumps_params={"ensure_ascii": False})


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
