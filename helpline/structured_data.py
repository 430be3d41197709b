"""schema.org JSON-LD for the helpline page: a ContactPoint with its hours and closures."""

import json

from django.utils.safestring import SafeString, mark_safe

from . import hours
from .loader import HelplineInfo

DAY_URLS = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
]
# Characters that could end the <script> data block or open a comment inside it.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _clock(value) -> str:
    return value.strftime("%H:%M")


def contact_point(
    *, info: HelplineInfo, schedule: hours.Schedule, days: list[hours.SpecialDay], url: str
) -> dict:
    opening_hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": DAY_URLS[weekday],
            "opens": _clock(day_hours.opens),
            "closes": _clock(day_hours.closes),
        }
        for weekday, day_hours in enumerate(schedule.weekly)
        if day_hours is not None
    ]
    for day in days:
        # schema.org's convention for "closed all day" is opens = closes = 00:00.
        spec = {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00" if day.closed else _clock(day.hours.opens),
            "closes": "00:00" if day.closed else _clock(day.hours.closes),
            "validFrom": day.day.isoformat(),
            "validThrough": day.day.isoformat(),
        }
        description = " – ".join(part for part in (day.name, day.note) if part)
        if description:
            spec["description"] = description
        opening_hours.append(spec)
    return {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": "Nationella samordningen mot prostitution och människohandel (NSPM)",
        "parentOrganization": {
            "@type": "GovernmentOrganization",
            "name": "Jämställdhetsmyndigheten",
        },
        "contactPoint": {
            "@type": "ContactPoint",
            "name": info.name,
            "contactType": "Stödtelefon för yrkesverksamma",
            "telephone": info.number_e164,
            "areaServed": "SE",
            "availableLanguage": "sv",
            "url": url,
            "hoursAvailable": opening_hours,
        },
    }


def as_script_data(data: dict) -> SafeString:
    """JSON safe inside <script type="application/ld+json">, like Django's json_script."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308
