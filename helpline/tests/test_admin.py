"""Editors (staff with the helpline permissions, not superusers) change hours in /redaktion/."""

import re
from datetime import date, time
from html.parser import HTMLParser

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from editors.testing import login_verified, make_staff
from helpline.models import Alternative, HoursException, WeeklyHours
from helpline.tests.test_hours import local
from helpline.tests.test_views import text

pytestmark = pytest.mark.django_db


class FormValues(HTMLParser):
    """The values a browser would submit from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            else:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(response) -> dict[str, str]:
    parser = FormValues()
    parser.feed(response.content.decode())
    values = parser.values
    values.pop("csrfmiddlewaretoken", None)
    return values


@pytest.fixture
def editor_client(client, db):
    user, _ = make_staff("helplineredaktor")
    codenames = [
        f"{action}_{model}"
        for model in ("helpline", "weeklyhours", "hoursexception", "alternative")
        for action in ("view", "change", "add", "delete")
    ]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="helpline", codename__in=codenames)
    )
    assert not user.is_superuser
    return login_verified(client, user)


def change_url(helpline):
    return reverse("admin:helpline_helpline_change", args=[helpline.pk])


def weekday_index(values, weekday: int) -> int:
    for key, value in values.items():
        match = re.fullmatch(r"weekly_hours-(\d+)-id", key)
        if match and WeeklyHours.objects.get(pk=value).weekday == weekday:
            return int(match.group(1))
    raise AssertionError(f"weekday {weekday} not in the form")


def test_editor_changes_the_hours_and_the_public_page_follows(editor_client, client, helpline):
    with time_machine.travel(local(2026, 11, 23, 16, 30), tick=False):
        assert "Stängt – öppnar tisdag 24 november" in text(client.get(reverse("pages:home")))
        values = form_values(editor_client.get(change_url(helpline)))
        i = weekday_index(values, 0)
        values[f"weekly_hours-{i}-closes"] = "17:00"
        response = editor_client.post(change_url(helpline), values)
        assert response.status_code == 302, text(response)[:3000]
        assert WeeklyHours.objects.get(weekday=0).closes == time(17)
        # The same visitor, next request: open until 17.00 now.
        client.logout()
        assert "Öppet nu – stänger kl. 17.00" in text(client.get(reverse("pages:home")))
    assert helpline.history.count() + WeeklyHours.history.filter(weekday=0).count() >= 2


def test_editor_adds_an_exception_and_the_pages_follow(editor_client, client, helpline):
    with time_machine.travel(local(2026, 11, 23, 10), tick=False):
        home = reverse("pages:home")
        assert "Öppet nu" in text(client.get(home))
        response = editor_client.post(
            reverse("admin:helpline_hoursexception_add"),
            {
                "start_date": "2026-11-23",
                "end_date": "2026-11-24",
                "kind": "closed",
                "opens": "",
                "closes": "",
                "note": "Utbildningsdagar",
            },
        )
        assert response.status_code == 302, text(response)[:3000]
        page = text(client.get(home))
        assert "Stängt – öppnar onsdag 25 november kl. 09.00" in page
        detail = text(client.get(reverse("helpline:detail")))
        assert "Måndag 23 november – tisdag 24 november Stängt Utbildningsdagar" in detail
        assert HoursException.history.count() == 1


def exception_post(editor_client, **fields):
    data = {
        "start_date": "2027-01-05",
        "end_date": "",
        "kind": "special",
        "opens": "09:00",
        "closes": "12:00",
        "note": "",
    }
    data.update(fields)
    return editor_client.post(reverse("admin:helpline_hoursexception_add"), data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"opens": "12:00", "closes": "09:00"}, "måste vara senare än öppningstiden"),
        ({"opens": "12:00", "closes": "12:00"}, "måste vara senare än öppningstiden"),
        ({"opens": "", "closes": ""}, "Ange när stödtelefonen öppnar"),
        ({"opens": "09:00", "closes": ""}, "Ange när stödtelefonen stänger"),
        ({"kind": "closed"}, "Töm tiderna"),
        ({"end_date": "2027-01-01"}, "Slutdatumet kan inte vara före startdatumet"),
        ({"start_date": "igår"}, "Skriv datumet som 7 december 2026 eller 2026-12-07."),
        ({"opens": "25:99"}, "Skriv tiden som 12.00."),
        ({"kind": "<script>x</script>"}, "Välj ett giltigt alternativ"),
        ({"note": "x" * 5000}, "200 tecken"),
    ],
)
def test_bad_exceptions_are_refused_in_swedish(editor_client, helpline, fields, message):
    response = exception_post(editor_client, **fields)
    assert response.status_code == 200
    assert message in text(response)
    assert "<script>x</script>" not in response.content.decode()
    assert not HoursException.objects.exists()


def test_overlapping_exceptions_are_refused(editor_client, helpline):
    HoursException.objects.create(
        helpline=helpline, start_date=date(2027, 1, 4), end_date=date(2027, 1, 8)
    )
    response = exception_post(editor_client, start_date="2027-01-01", end_date="2027-01-05")
    assert response.status_code == 200
    assert "överlappar ett annat undantag (4 januari 2027 – 8 januari 2027, Stängt)" in text(
        response
    )
    assert HoursException.objects.count() == 1


def test_editing_an_exception_does_not_overlap_itself(editor_client, helpline):
    existing = HoursException.objects.create(
        helpline=helpline, start_date=date(2027, 1, 4), end_date=date(2027, 1, 8)
    )
    url = reverse("admin:helpline_hoursexception_change", args=[existing.pk])
    values = form_values(editor_client.get(url))
    values["end_date"] = "2027-01-09"
    assert editor_client.post(url, values).status_code == 302
    existing.refresh_from_db()
    assert existing.end_date == date(2027, 1, 9)


def test_a_single_day_exception_needs_no_end_date(editor_client, helpline):
    assert exception_post(editor_client, note="Kort dag").status_code == 302
    exception = HoursException.objects.get()
    assert exception.start_date == exception.end_date == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        ("16:00", "09.00", "Stängningstiden (09.00) måste vara senare än öppningstiden (16.00)"),
        ("09:00", "", "Ange när stödtelefonen stänger"),
        ("", "16:00", "Ange när stödtelefonen öppnar"),
        ("nio", "16:00", "Skriv tiden som 12.00."),
    ],
)
def test_bad_weekly_hours_are_refused_in_swedish(editor_client, helpline, opens, closes, message):
    values = form_values(editor_client.get(change_url(helpline)))
    i = weekday_index(values, 2)
    values[f"weekly_hours-{i}-opens"] = opens
    values[f"weekly_hours-{i}-closes"] = closes
    response = editor_client.post(change_url(helpline), values)
    assert response.status_code == 200
    assert message in text(response)
    assert WeeklyHours.objects.get(weekday=2).opens == time(9)


def test_a_day_can_be_closed_and_open_to_midnight(editor_client, helpline):
    values = form_values(editor_client.get(change_url(helpline)))
    values[f"weekly_hours-{weekday_index(values, 2)}-opens"] = ""
    values[f"weekly_hours-{weekday_index(values, 2)}-closes"] = ""
    values[f"weekly_hours-{weekday_index(values, 3)}-closes"] = "00:00"
    assert editor_client.post(change_url(helpline), values).status_code == 302
    assert WeeklyHours.objects.get(weekday=2).opens is None
    assert WeeklyHours.objects.get(weekday=3).closes == time(0)


@pytest.mark.parametrize(
    ("number", "shown", "e164"),
    [
        ("020390000", "020-39 00 00", "+4620390000"),
        ("+46 8 123 456 78", "08-123 456 78", "+46812345678"),
    ],
)
def test_the_number_is_formatted_and_given_its_e164_form(
    editor_client, helpline, number, shown, e164
):
    values = form_values(editor_client.get(change_url(helpline)))
    values["number_display"] = number
    assert editor_client.post(change_url(helpline), values).status_code == 302
    helpline.refresh_from_db()
    assert (helpline.number_display, helpline.number_e164) == (shown, e164)


@pytest.mark.parametrize("number", ["123", "020-39 00 00 00 00", "ring oss", "<b>112</b>", "\x00"])
def test_invalid_numbers_are_refused_in_swedish(editor_client, helpline, number):
    values = form_values(editor_client.get(change_url(helpline)))
    values["number_display"] = number
    response = editor_client.post(change_url(helpline), values)
    assert response.status_code == 200
    assert "inte ett giltigt telefonnummer" in text(response) or "Null characters" not in text(
        response
    )
    assert "<b>112</b>" not in response.content.decode()
    helpline.refresh_from_db()
    assert helpline.number_display == "020-39 00 00"


@pytest.mark.parametrize(
    ("number", "tel"), [("114 14", "11414"), ("112", "112"), ("031-392 90 31", "+46313929031")]
)
def test_alternatives_take_short_numbers_as_short_tel_links(editor_client, helpline, number, tel):
    values = form_values(editor_client.get(change_url(helpline)))
    values["alternatives-0-number"] = number
    assert editor_client.post(change_url(helpline), values).status_code == 302
    assert Alternative.objects.order_by("order").first().tel == tel


def test_alternatives_refuse_numbers_that_are_neither(editor_client, helpline):
    values = form_values(editor_client.get(change_url(helpline)))
    values["alternatives-0-number"] = "99999"
    response = editor_client.post(change_url(helpline), values)
    assert response.status_code == 200
    assert "varken ett giltigt kortnummer" in text(response)


def test_the_helpline_cannot_be_deleted_or_duplicated(editor_client, helpline):
    assert editor_client.get(reverse("admin:helpline_helpline_add")).status_code == 403
    delete = reverse("admin:helpline_helpline_delete", args=[helpline.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403


def test_admin_lists_render(editor_client, helpline):
    HoursException.objects.create(
        helpline=helpline, start_date=date(2027, 1, 4), end_date=date(2027, 1, 8), note="Lista"
    )
    response = editor_client.get(reverse("admin:helpline_helpline_changelist"), {"q": "'--"})
    assert response.status_code == 200
    response = editor_client.get(
        reverse("admin:helpline_hoursexception_changelist"), {"nar": "kommande", "q": "Lista"}
    )
    assert response.status_code == 200
    assert "Lista" in text(response)


def test_staff_without_helpline_permissions_cannot_change_hours(client, helpline):
    user, _ = make_staff("annanredaktor")
    login_verified(client, user)
    assert client.get(change_url(helpline)).status_code == 403
