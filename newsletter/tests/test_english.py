"""The newsletter stays Swedish: the English signup page says so and signs up to the same
list, and every mail (confirmation, links in it) is Swedish whatever page was used."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db


def english(name: str) -> str:
    with translation.override("en"):
        return reverse(name)


def test_the_english_signup_page_says_the_newsletter_is_in_swedish(client):
    response = client.get(english("newsletter:signup"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert '<html lang="en">' in html
    assert "newsletter is written in Swedish. There is no English edition." in html
    assert 'method="post"' in html and "Email address" in html and ">Subscribe<" in html


def test_signing_up_in_english_joins_the_same_list_and_gets_swedish_mail(mailoutbox):
    client = Client()
    response = client.post(english("newsletter:signup"), {"email": "reader@example.org"})
    assert response.status_code == 302
    assert response["Location"] == english("newsletter:thanks")
    thanks = client.get(response["Location"]).content.decode()
    assert "Check your email" in thanks
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.state == Subscriber.State.PENDING
    [mail] = mailoutbox
    assert "Bekräfta" in mail.subject
    body = mail.body
    with translation.override("sv"):
        swedish_confirm = reverse("newsletter:confirm", kwargs={"token": "x"}).rsplit("x/", 1)[0]
    assert swedish_confirm in body  # /nyhetsbrev/bekrafta/…
    assert "/en/" not in body


def test_a_swedish_and_an_english_signup_of_one_address_are_one_subscriber(mailoutbox):
    Client().post(english("newsletter:signup"), {"email": "both@example.org"})
    with translation.override("sv"):
        Client().post(reverse("newsletter:signup"), {"email": "both@example.org"})
    assert Subscriber.objects.filter(email="both@example.org").count() == 1
