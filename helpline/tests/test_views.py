import json
import re
from datetime import date, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from helpline.hours import TZ
from helpline.models import HoursException
from helpline.tests.test_hours import local

pytestmark = pytest.mark.django_db

MONDAY_OPEN = local(2026, 11, 23, 10, 0)
SUNDAY_BEFORE_28_DEC = local(2026, 12, 27, 12, 0)
MONDAY_EARLY = local(2026, 11, 23, 7, 30)


def text(response) -> str:
    """The visible text of a page, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def jsonld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


@pytest.mark.parametrize("url_name", ["pages:home", "helpline:detail", "pages:about"])
def test_open_status_and_closing_time_on_every_page(client, helpline, url_name):
    with time_machine.travel(MONDAY_OPEN, tick=False):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    page = text(response)
    assert "Öppet nu – stänger kl. 16.00" in page
    assert 'href="tel:+4620390000"' in response.content.decode()
    assert "Stängt" not in page.split("Öppettider")[0]


@pytest.mark.parametrize("url_name", ["pages:home", "helpline:detail", "pages:about"])
def test_closed_status_names_the_next_opening_and_the_alternatives(client, helpline, url_name):
    with time_machine.travel(SUNDAY_BEFORE_28_DEC, tick=False):
        response = client.get(reverse(url_name))
    page = text(response)
    html = response.content.decode()
    assert "Stängt – öppnar måndag 28 december kl. 09.00" in page
    assert 'href="tel:11414"' in html and 'href="tel:112"' in html
    assert "socialjouren" in page


@pytest.mark.parametrize("url_name", ["pages:home", "helpline:detail", "pages:about"])
def test_closed_pages_list_the_alternatives_once_and_link_to_them(client, helpline, url_name):
    with time_machine.travel(SUNDAY_BEFORE_28_DEC, tick=False):
        html = client.get(reverse(url_name)).content.decode()
    assert html.count('href="tel:11414"') == 1 and html.count('href="tel:112"') == 1
    assert html.count("socialjouren") == 1
    anchor = "#nar-stangt" if url_name == "helpline:detail" else "#footer-emergency"
    assert f'<a href="{anchor}">Brådskande? Andra nummer</a>' in html
    assert f'id="{anchor[1:]}"' in html


def test_no_list_item_starts_with_eller(client, helpline):
    with time_machine.travel(SUNDAY_BEFORE_28_DEC, tick=False):
        for url_name in ("pages:home", "helpline:detail", "contacts:list"):
            html = client.get(reverse(url_name)).content.decode()
            items = re.findall(r"<li[^>]*>\s*(.*?)</li>", html, flags=re.S)
            assert items and not [i for i in items if i.lower().startswith("eller")]


def test_the_staffed_line_follows_what_editors_set(client, helpline):
    with time_machine.travel(MONDAY_OPEN, tick=False):
        page = text(client.get(reverse("pages:home")))
    # In the helpline box and in the footer.
    assert page.count("Bemannad vardagar 09.00–16.00.") == 2
    assert "kontorstid" not in page
    friday = helpline.weekly_hours.get(weekday=4)
    friday.closes = time(12, 0)
    friday.save()
    with time_machine.travel(MONDAY_OPEN, tick=False):
        page = text(client.get(reverse("pages:about")))
    assert "Bemannad måndag–torsdag 09.00–16.00 och fredag 09.00–12.00." in page


def test_an_exception_day_shows_the_editors_note_in_the_status(client, helpline):
    day = MONDAY_OPEN.astimezone(TZ).date()
    HoursException.objects.create(
        helpline=helpline, start_date=day, kind=HoursException.CLOSED, note="Personalkonferens"
    )
    with time_machine.travel(MONDAY_OPEN, tick=False):
        for url_name in ("pages:about", "pages:home"):
            page = text(client.get(reverse(url_name)))
            assert "Stängt – öppnar tisdag 24 november kl. 09.00" in page
            assert "I dag: Personalkonferens" in page


def test_printed_status_has_the_date_not_today(client, helpline):
    with time_machine.travel(MONDAY_EARLY, tick=False):
        html = client.get(reverse("pages:about")).content.decode()
    assert '<span class="screen-only">Stängt – öppnar i dag kl. 09.00</span>' in html
    assert (
        '<span class="print-only" hidden>Stängt – öppnar måndag 23 november kl. 09.00</span>'
        in html
    )


def test_closed_before_opening_says_today(client, helpline):
    with time_machine.travel(MONDAY_EARLY, tick=False):
        response = client.get(reverse("pages:home"))
    assert "Stängt – öppnar i dag kl. 09.00" in text(response)


def test_status_follows_the_clock_from_one_request_to_the_next(client, helpline):
    url = reverse("pages:about")
    with time_machine.travel(local(2026, 11, 23, 15, 59), tick=False) as traveller:
        assert "Öppet nu – stänger kl. 16.00" in text(client.get(url))
        traveller.move_to(local(2026, 11, 23, 16, 0))
        assert "Stängt – öppnar tisdag 24 november kl. 09.00" in text(client.get(url))


def test_helpline_page_shows_seed_text_dates_hours_and_closed_days(client, helpline):
    with time_machine.travel(local(2026, 12, 1, 10), tick=False):
        response = client.get(reverse("helpline:detail"))
    page = text(response)
    assert "Kommuner, myndigheter och frivilligorganisationer" in page
    assert "12 november 2021" in page and "9 januari 2023" in page
    assert "Måndag 09.00–16.00" in page
    assert "Fredag 09.00–16.00" in page
    assert "Lördag Stängt" in page and "Söndag Stängt" in page
    # 1 December + 60 days: weekday holidays only (Annandag jul is a Saturday).
    for day in [
        "Torsdag 24 december Stängt Julafton",
        "Fredag 25 december Stängt Juldagen",
        "Torsdag 31 december Stängt Nyårsafton",
        "Fredag 1 januari Stängt Nyårsdagen",
        "Onsdag 6 januari Stängt Trettondedag jul",
    ]:
        assert day in page
    assert "Annandag jul" not in page
    assert response.content.decode().count("<h1") == 1


def test_editor_exceptions_appear_with_their_notes_as_one_row_per_run(client, helpline):
    HoursException.objects.create(
        helpline=helpline,
        start_date=date(2026, 12, 28),
        end_date=date(2026, 12, 30),
        note="Mellandagarna",
    )
    HoursException.objects.create(
        helpline=helpline,
        start_date=date(2027, 1, 5),
        end_date=date(2027, 1, 5),
        kind=HoursException.SPECIAL,
        opens=time(9),
        closes=time(12),
        note="Kort dag",
    )
    with time_machine.travel(local(2026, 12, 1, 10), tick=False):
        page = text(client.get(reverse("helpline:detail")))
    assert "Måndag 28 december – onsdag 30 december Stängt Mellandagarna" in page
    assert "Tisdag 5 januari 09.00–12.00 Kort dag" in page


def test_jsonld_has_contact_point_weekly_hours_and_dated_closures(client, helpline):
    with time_machine.travel(local(2026, 12, 1, 10), tick=False):
        data = jsonld(client.get(reverse("helpline:detail")))
    point = data["contactPoint"]
    assert point["@type"] == "ContactPoint"
    assert point["telephone"] == "+4620390000"
    assert point["url"] == "https://nspm.test/stodtelefon/"
    weekly = [h for h in point["hoursAvailable"] if "dayOfWeek" in h]
    assert [h["dayOfWeek"].rsplit("/", 1)[1] for h in weekly] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    assert {(h["opens"], h["closes"]) for h in weekly} == {("09:00", "16:00")}
    closures = [h for h in point["hoursAvailable"] if "validFrom" in h]
    assert {"validFrom": "2026-12-24", "validThrough": "2026-12-24"}.items() <= closures[0].items()
    assert closures[0]["opens"] == closures[0]["closes"] == "00:00"
    assert closures[0]["description"] == "Julafton"


def test_jsonld_cannot_be_broken_out_of_by_a_note(client, helpline):
    HoursException.objects.create(
        helpline=helpline,
        start_date=date(2026, 12, 2),
        end_date=date(2026, 12, 2),
        note='</script><script>alert("x")</script>&<!--',
    )
    with time_machine.travel(local(2026, 12, 1, 10), tick=False):
        response = client.get(reverse("helpline:detail"))
    html = response.content.decode()
    assert "<script>alert" not in html
    closures = jsonld(response)["contactPoint"]["hoursAvailable"]
    noted = [h for h in closures if h.get("validFrom") == "2026-12-02"]
    assert noted[0]["description"] == '</script><script>alert("x")</script>&<!--'


def test_status_json_open(client, helpline):
    with time_machine.travel(MONDAY_OPEN, tick=False):
        response = client.get(reverse("helpline:status_json"))
    assert response.status_code == 200
    assert response.json() == {
        "is_open": True,
        "opens_at": None,
        "closes_at": "2026-11-23T16:00:00+01:00",
        "number": "020-39 00 00",
        "number_e164": "+4620390000",
    }
    assert "max-age=60" in response["Cache-Control"]


def test_status_json_closed_in_summer_time(client, helpline):
    with time_machine.travel(local(2027, 6, 25, 11), tick=False):  # Midsommarafton
        data = client.get(reverse("helpline:status_json")).json()
    assert data["is_open"] is False
    assert data["opens_at"] == "2027-06-28T09:00:00+02:00"
    assert data["closes_at"] is None


@pytest.mark.parametrize(
    ("moment", "max_age"),
    [
        (local(2026, 11, 23, 15, 59, 30), 30),
        (local(2026, 11, 23, 8, 59, 59), 1),
        (local(2026, 11, 23, 12, 0), 60),
    ],
)
def test_status_json_is_never_cached_past_the_next_change(client, helpline, moment, max_age):
    with time_machine.travel(moment, tick=False):
        response = client.get(reverse("helpline:status_json"))
    assert re.search(rf"\bmax-age={max_age}\b", response["Cache-Control"])


def test_status_json_without_database_gives_numbers_and_no_status(client, helpline, database_down):
    response = client.get(reverse("helpline:status_json"))
    assert response.status_code == 503
    assert response.json()["number"] == "020-39 00 00"
    assert response.json()["is_open"] is None
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url_name", ["helpline:detail", "helpline:status_json"])
def test_wrong_methods_are_refused(client, helpline, url_name):
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(reverse(url_name)).status_code == 405
    assert client.head(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "?q=" + "x" * 5000,
        "?q=<script>alert(1)</script>",
        "?q=' OR 1=1 --",
        "?q=%00%ff%fe",
        "?q=%F0%9F%92%A9%E2%80%AE",
    ],
)
def test_hostile_query_strings_change_nothing(client, helpline, query):
    with time_machine.travel(MONDAY_OPEN, tick=False):
        for url_name in ("helpline:detail", "helpline:status_json"):
            response = client.get(reverse(url_name) + query)
            assert response.status_code == 200
            assert b"<script>alert" not in response.content


@pytest.mark.parametrize("exceptions", [0, 25])
def test_helpline_page_runs_a_constant_number_of_queries(
    client, helpline, exceptions, django_assert_num_queries, settings
):
    # The page's own reads only: whether the page cache stores the page (and asks when it
    # expires) depends on whether this test's writes are committed, not on the rows.
    settings.PAGE_CACHE_SECONDS = 0
    for i in range(exceptions):
        day = date(2026, 12, 2) + timedelta(days=i)
        HoursException.objects.create(helpline=helpline, start_date=day, end_date=day)
    # The page and its documents, then the helpline's four, whatever the number of rows.
    with (
        time_machine.travel(local(2026, 12, 1, 10), tick=False),
        django_assert_num_queries(6),
    ):
        assert client.get(reverse("helpline:detail")).status_code == 200


def test_an_editor_without_planned_hours_is_told_so(client, helpline):
    helpline.weekly_hours.update(opens=None, closes=None)
    from helpline.loader import snapshot_cache_clear

    snapshot_cache_clear()
    with time_machine.travel(MONDAY_OPEN, tick=False):
        page = text(client.get(reverse("pages:home")))
    assert "Stängt – inga planerade öppettider" in page
    assert "Stödtelefonen har inga fasta öppettider just nu." in page
