"""The first English texts (/en/…), written in plain English from the Swedish pages' facts,
each with its own dates. A page whose English fields an editor has already filled in is
left alone; the accessibility statement and the privacy notice have no English text yet
(their English addresses say so and link to the Swedish pages)."""

import datetime

from django.db import migrations

WRITTEN = datetime.date(2026, 11, 30)

TEXTS = {
    "start": (
        "Support for professionals against prostitution and human trafficking",
        "NSPM coordinates Sweden's work against prostitution and human trafficking. "
        "Professionals who suspect human trafficking can call the helpline on 020-39 00 00.",
        """The National Coordination against Prostitution and Human Trafficking (NSPM) is part \
of the Swedish Gender Equality Agency. We coordinate Sweden's national work against \
prostitution and human trafficking for all purposes.

Are you a professional who suspects human trafficking, or do you need advice and guidance on \
a case? Call the national helpline. The helpline can also refer you to a regional \
coordinator or to another actor in the National Method Support Team (NMT).""",
    ),
    "stodtelefon": (
        "National helpline for professionals",
        "The helpline 020-39 00 00 gives professionals advice and method support in cases of "
        "prostitution and human trafficking. See whether it is open now.",
        """Municipalities, government agencies and non-governmental organisations that need \
advice and guidance in cases of human trafficking can contact the national helpline of the \
Swedish Gender Equality Agency.

If you suspect human trafficking, or need advice and guidance on a case, you as a \
professional can call the national helpline. It offers method support to municipalities, \
government agencies and non-governmental organisations in cases involving prostitution and \
all forms of human trafficking and exploitation. The helpline can also refer you to a \
regional coordinator or to another actor in the National Method Support Team (NMT).

The helpline is staffed during office hours on weekdays. In urgent cases, contact the police on 114 14, or the social services' \
on-call team (socialjouren) in the municipality. In immediate danger, call 112.""",
    ),
    "nmt": (
        "National Method Support Team (NMT)",
        "The National Method Support Team against prostitution and human trafficking: the "
        "member agencies and how professionals reach the team.",
        """The Swedish Gender Equality Agency coordinates the National Method Support Team \
against prostitution and human trafficking (NMT). It is made up of representatives of \
government agencies that work against prostitution, exploitation and human trafficking: the \
Swedish Police Authority, the Swedish Prosecution Authority, the Swedish Migration Agency, \
the Swedish Tax Agency, the Swedish Work Environment Authority, Swedish Customs, the County \
Administrative Boards, and social services and health care.

NMT is an operational and strategic resource for developing and improving cooperation in \
the work against prostitution, exploitation and human trafficking.

More information about NMT is on [nmtsverige.se](https://nmtsverige.se/) (in Swedish). Its \
content is being moved to this website.""",
    ),
    "om-nspm": (
        "About NSPM",
        "The National Coordination against Prostitution and Human Trafficking at the Swedish "
        "Gender Equality Agency: our mission, the helpline, NMT and the regional coordinators.",
        """The National Coordination against Prostitution and Human Trafficking (NSPM) is part \
of the Swedish Gender Equality Agency. Our mission is to coordinate Sweden's national work \
against human trafficking for all purposes.

The agency has held this responsibility since 2018. It is organised as a unit, the National \
Coordination against Prostitution and Human Trafficking, with ten staff and a head of unit.

As national coordinator, we:

- develop cooperation between government agencies and other actors
- give agencies method support and training
- promote preventive work against prostitution and human trafficking for all purposes.

We also convene the National Method Support Team (NMT), staff a helpline for professionals \
who meet people exposed to prostitution and human trafficking, and coordinate and part-fund \
the work of the regional coordinators.

The agency also funds the national support programme (NSP) and the return programme (ÅMP).

## A national helpline for professionals

If you suspect human trafficking, or need advice and guidance on a case, you as a \
professional can call the national helpline run by NSPM at the Swedish Gender Equality \
Agency.

Through the helpline we offer method support to municipalities, government agencies and \
non-governmental organisations in cases involving prostitution and all forms of human \
trafficking and exploitation. We can also refer you to a regional coordinator or to another \
actor in the National Method Support Team (NMT).

Call the helpline on: 020-39 00 00

The helpline is staffed during office hours on weekdays. In urgent cases, contact the police \
on 114 14, or the social services' on-call team in the municipality. In immediate danger, \
call 112.

## Follow us through the newsletter

NSPM's newsletter comes out every six weeks, in Swedish, with news, events, new reports and \
current campaigns.

[Subscribe to NSPM's newsletter](/en/newsletter/)

## Contact NSPM

You can contact NSPM by email at \
[nspm@jamstalldhetsmyndigheten.se](mailto:nspm@jamstalldhetsmyndigheten.se).

You can reach NSPM staff at addresses of the form: \
firstname.lastname@jamstalldhetsmyndigheten.se

## Brochure about how NSPM works

Our brochure, in Swedish, describes how NSPM coordinates the work against prostitution and \
human trafficking and supports professionals.""",
    ),
    "nyhetsbrev": (
        "NSPM's newsletter (in Swedish)",
        "Subscribe to NSPM's newsletter, in Swedish, every six weeks: news, events, reports "
        "and campaigns.",
        """NSPM's newsletter is written in Swedish. There is no English edition. If you sign up \
here, you join the same list as on the Swedish page and get the Swedish newsletter.

The newsletter comes out every six weeks with news, tips on events, new reports and current \
campaigns.

You only give your email address. We send you an email, in Swedish, with a link to confirm \
your subscription. Every newsletter has a link to unsubscribe with one click.""",
    ),
}


def seed(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for slug, (title, description, body) in TEXTS.items():
        Page.objects.filter(slug=slug, body_en="").update(
            title_en=title,
            description_en=description,
            body_en=body,
            published_on_en=WRITTEN,
            updated_on_en=WRITTEN,
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0009_english_fields")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
