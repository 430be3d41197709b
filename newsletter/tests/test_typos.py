"""Domain typos get "Menade du …?" with a one-press correction; what was typed may be kept."""

import socket

import pytest
from django.test import Client
from django.urls import reverse

from newsletter.models import SignupRequest, Subscriber
from newsletter.typos import suggest_correction

SIGNUP = reverse("newsletter:signup")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("anna@gmial.con", "anna@gmail.com"),
        ("anna@gmail.con", "anna@gmail.com"),
        ("anna@gmai.com", "anna@gmail.com"),
        ("anna@gmail.se", "anna@gmail.com"),
        ("anna@hotmial.com", "anna@hotmail.com"),
        ("anna@hotmail.con", "anna@hotmail.com"),
        ("anna@hotmal.se", "anna@hotmail.se"),
        ("anna@outlok.com", "anna@outlook.com"),
        ("anna@yaho.com", "anna@yahoo.com"),
        ("anna@icloud.se", "anna@icloud.com"),
        ("anna@telia.nu", "anna@telia.com"),
        ("anna@teila.com", "anna@telia.com"),
        ("anna@bredband.nte", "anna@bredband.net"),
        ("anna+nyheter@gmial.com", "anna+nyheter@gmail.com"),
    ],
)
def test_common_typos_get_a_suggestion(typed, meant):
    assert suggest_correction(typed) == meant


@pytest.mark.parametrize(
    "address",
    [
        "anna@gmail.com",
        "anna@hotmail.se",
        "anna@live.se",
        "anna@mail.com",  # one letter from gmail.com, and real
        "anna@email.com",
        "anna@yahoo.de",
        "anna@lime.se",  # one letter from live.se, and real
        "anna@kommun.se",
        "anna@malmo.se",
        "anna@jamstalldhetsmyndigheten.se",
        "anna@xn--rksmrgs-5wao1o.se",
    ],
)
def test_real_domains_are_left_alone(address):
    assert suggest_correction(address) is None


@pytest.fixture
def no_network(monkeypatch):
    """Any name lookup or new connection fails the test: the hint is computed locally."""

    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.django_db
def test_a_typo_asks_menade_du_and_records_nothing_yet(no_network, mailoutbox):
    response = Client().post(SIGNUP, {"email": "Anna@Gmial.con"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Kontrollera adressen: " in html
    assert "Menade du anna@gmail.com?" in html
    # One press: a plain submit button carrying the corrected address (no JavaScript).
    assert 'name="email" value="anna@gmail.com"' in html
    assert 'name="email" value="anna@gmial.con"' in html  # or keep what was typed
    assert 'name="spelling_checked" value="1"' in html
    assert 'value="Anna@Gmial.con"' in html  # the field still holds what was typed
    assert not SignupRequest.objects.exists() and not Subscriber.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_taking_the_correction_signs_up_the_corrected_address(mailoutbox):
    response = Client().post(SIGNUP, {"email": "anna@gmail.com", "spelling_checked": "1"})
    assert response["Location"] == reverse("newsletter:thanks")
    assert [m.to for m in mailoutbox] == [["anna@gmail.com"]]
    assert Subscriber.objects.get().email == "anna@gmail.com"


@pytest.mark.django_db
def test_keeping_what_was_typed_signs_up_that_address(mailoutbox):
    response = Client().post(SIGNUP, {"email": "anna@gmial.con", "spelling_checked": "1"})
    assert response["Location"] == reverse("newsletter:thanks")
    assert [m.to for m in mailoutbox] == [["anna@gmial.con"]]
