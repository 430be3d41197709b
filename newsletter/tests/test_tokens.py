"""Confirm and leave links: single use, expiry, GET changes nothing, one-click, undo."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.addresses import confirm_token, unsubscribe_token
from newsletter.models import Delivery, Subscriber

from .conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def _confirm_url(sub):
    return reverse("newsletter:confirm", kwargs={"token": confirm_token(sub.pk, sub.confirm_nonce)})


def _unsubscribe_url(sub):
    return reverse(
        "newsletter:unsubscribe", kwargs={"token": unsubscribe_token(sub.pk, sub.unsubscribe_key)}
    )


def test_get_on_the_confirm_link_changes_nothing():
    sub = make_subscriber("p@example.org", Subscriber.State.PENDING)
    for _ in range(3):
        assert Client().get(_confirm_url(sub)).status_code == 200
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.PENDING and sub.confirmed_at is None


def test_confirm_link_expires_after_seven_days(time_machine):
    sub = make_subscriber("p@example.org", Subscriber.State.PENDING)
    url = _confirm_url(sub)
    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=1))
    assert Client().get(url).status_code == 404
    assert Client().post(url).status_code == 404
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.PENDING


def test_confirm_link_still_works_on_day_six(time_machine):
    sub = make_subscriber("p@example.org", Subscriber.State.PENDING)
    url = _confirm_url(sub)
    time_machine.move_to(timezone.now() + timedelta(days=6))
    response = Client().post(url)
    assert response.status_code == 200
    assert "Du prenumererar nu" in response.content.decode()
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.CONFIRMED and sub.confirmed_at is not None


def test_a_new_signup_while_pending_keeps_the_earlier_link_working(mailoutbox):
    # The first mail may arrive late (greylisting): its link must still work.
    sub = make_subscriber(
        "p@example.org", Subscriber.State.PENDING, last_mail_at=timezone.now() - timedelta(days=2)
    )
    old = _confirm_url(sub)
    Client().post(reverse("newsletter:signup"), {"email": "p@example.org"})
    assert len(mailoutbox) == 1
    new = re.search(r"https://nspm\.test(/nyhetsbrev/bekrafta/[^/\s]+/)", mailoutbox[0].body)
    assert Client().get(new.group(1)).status_code == 200
    assert Client().post(old).status_code == 200
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.CONFIRMED


def test_after_leaving_the_old_confirmation_link_no_longer_works():
    sub = make_subscriber("p@example.org", Subscriber.State.PENDING)
    old = _confirm_url(sub)
    Client().post(_unsubscribe_url(sub))
    response = Client().post(old)
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.UNSUBSCRIBED


def test_an_expired_link_of_a_subscriber_says_already_subscribed(time_machine):
    sub = make_subscriber("p@example.org", Subscriber.State.PENDING)
    url = _confirm_url(sub)
    assert Client().post(url).status_code == 200
    time_machine.move_to(timezone.now() + timedelta(days=30))
    response = Client().get(url)
    assert response.status_code == 200
    assert "Du prenumererar redan" in response.content.decode()


def test_confirm_requires_csrf_like_every_other_form():
    sub = make_subscriber("p@example.org", Subscriber.State.PENDING)
    assert Client(enforce_csrf_checks=True).post(_confirm_url(sub)).status_code == 403
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.PENDING and sub.confirmed_at is None


@pytest.mark.parametrize(
    "token",
    ["x", "a" * 400, "<script>", "' OR 1=1 --", "WzEsIngiXQ:1abc:forged", "%00", "é✓"],
)
def test_bad_tokens_are_a_clear_404_never_a_500(token):
    pending = make_subscriber("p@example.org", Subscriber.State.PENDING)
    confirmed = make_subscriber("c@example.org")
    names = ["confirm", "unsubscribe", "unsubscribe_one_click", "resubscribe"]
    for name in [f"newsletter:{n}" for n in names]:
        url = reverse(name, kwargs={"token": token})
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            assert response.status_code in (404, 405), (name, method)
            assert b"<script>" not in response.content
    for sub, state in (
        (pending, Subscriber.State.PENDING),
        (confirmed, Subscriber.State.CONFIRMED),
    ):
        sub.refresh_from_db()
        assert sub.state == state


def test_confirm_token_cannot_be_used_to_unsubscribe_and_vice_versa():
    sub = make_subscriber("p@example.org", Subscriber.State.PENDING)
    swapped = reverse(
        "newsletter:unsubscribe", kwargs={"token": confirm_token(sub.pk, sub.confirm_nonce)}
    )
    assert Client().post(swapped).status_code == 404
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.PENDING and sub.unsubscribed_at is None
    confirmed = make_subscriber("c@example.org")
    swapped = reverse(
        "newsletter:confirm",
        kwargs={"token": unsubscribe_token(confirmed.pk, confirmed.unsubscribe_key)},
    )
    assert Client().post(swapped).status_code == 404
    confirmed.refresh_from_db()
    assert confirmed.state == Subscriber.State.CONFIRMED and confirmed.unsubscribed_at is None


def _one_click_url(sub):
    return reverse(
        "newsletter:unsubscribe_one_click",
        kwargs={"token": unsubscribe_token(sub.pk, sub.unsubscribe_key)},
    )


def test_unsubscribe_page_get_changes_nothing_and_button_leaves_with_undo():
    sub = make_subscriber("c@example.org")
    url = _unsubscribe_url(sub)
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Avsluta</button>" in html
    assert page["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex' in html
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.CONFIRMED
    assert client.post(url).status_code == 403  # the page's form is CSRF-protected

    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    left = client.post(url, {"csrfmiddlewaretoken": csrf})
    assert left.status_code == 200
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.UNSUBSCRIBED and sub.unsubscribed_at
    html = left.content.decode()
    undo_url = reverse("newsletter:resubscribe", kwargs={"token": url.split("/")[-2]})
    assert undo_url in html and "Ångra och fortsätt prenumerera" in html
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert client.post(undo_url).status_code == 403
    assert client.post(undo_url, {"csrfmiddlewaretoken": csrf}).status_code == 200
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.CONFIRMED


def test_get_on_the_one_click_url_changes_nothing():
    sub = make_subscriber("c@example.org")
    response = Client().get(_one_click_url(sub))
    assert response.status_code == 302 and response["Location"] == _unsubscribe_url(sub)
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.CONFIRMED


def test_undo_is_post_only():
    sub = make_subscriber("c@example.org", Subscriber.State.UNSUBSCRIBED)
    url = reverse(
        "newsletter:resubscribe", kwargs={"token": unsubscribe_token(sub.pk, sub.unsubscribe_key)}
    )
    assert Client().get(url).status_code == 405
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.UNSUBSCRIBED


def test_one_click_works_repeatedly_and_cancels_pending_deliveries():
    sub = make_subscriber("c@example.org")
    issue = make_issue()
    Delivery.objects.create(issue=issue, subscriber=sub)
    provider = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = provider.post(_one_click_url(sub), {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert not response.cookies
        sub.refresh_from_db()
        assert sub.state == Subscriber.State.UNSUBSCRIBED and sub.unsubscribed_at
    assert Delivery.objects.get().state == Delivery.State.CANCELLED


def test_unsubscribe_link_in_an_old_issue_still_works(time_machine):
    sub = make_subscriber("c@example.org")
    url = _one_click_url(sub)
    time_machine.move_to(timezone.now() + timedelta(days=400))
    assert (
        Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"}).status_code
        == 200
    )
    sub.refresh_from_db()
    assert sub.state == Subscriber.State.UNSUBSCRIBED
