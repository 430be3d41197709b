"""A subscriber's whole life through a real SMTP server: new, confirm, welcome, leave, again."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from newsletter.addresses import read_unsubscribe_token
from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")
CONFIRM_RE = re.compile(r"https://nspm\.test(/nyhetsbrev/bekrafta/[^/\s]+/)")
LEAVE_RE = re.compile(r"/nyhetsbrev/avsluta/[^/\s\"]+/")


def _link(pattern, message) -> str:
    return pattern.search(message.get_content()).group(1)


def test_new_confirm_welcome_leave_used_link_and_back_again(smtp_server, time_machine):
    client = Client()
    # New: one confirmation mail.
    assert client.post(SIGNUP, {"email": "lina@kommun.se"})["Location"] == reverse(
        "newsletter:thanks"
    )
    assert smtp_server.wait_for(1) == 1
    confirm = _link(CONFIRM_RE, smtp_server.messages[0])

    # Confirm: the page gives the leave link at once…
    page = client.post(confirm).content.decode()
    assert "Du prenumererar nu" in page
    leave = LEAVE_RE.search(page).group(0)
    # …and so does a short welcome mail, with the provider's own unsubscribe button too.
    assert smtp_server.wait_for(2) == 2
    welcome = smtp_server.messages[1]
    assert "Välkommen" in welcome["Subject"]
    mailed = LEAVE_RE.search(welcome.get_content()).group(0)
    assert read_unsubscribe_token(mailed.split("/")[-2]) == read_unsubscribe_token(
        leave.split("/")[-2]
    )
    assert welcome["List-Unsubscribe"].strip().startswith("<https://nspm.test/nyhetsbrev/avsluta/")
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Leave before the first issue has come, with the link from the welcome mail.
    assert "Avsluta" in client.get(mailed).content.decode()
    left = client.post(mailed)
    assert "Du har avslutat prenumerationen" in left.content.decode()
    assert Subscriber.objects.get().state == Subscriber.State.UNSUBSCRIBED

    # The used confirmation link no longer subscribes anyone, and says so.
    used = client.post(confirm)
    assert used.status_code == 404
    assert Subscriber.objects.get().state == Subscriber.State.UNSUBSCRIBED

    # Back again: a new confirmation mail (the earlier one is over a quarter old), a new link.
    time_machine.move_to(timezone.now() + timedelta(minutes=16))
    client.post(SIGNUP, {"email": "lina@kommun.se"})
    assert smtp_server.wait_for(3) == 3
    again = _link(CONFIRM_RE, smtp_server.messages[2])
    assert again != confirm
    assert "Du prenumererar nu" in client.post(again).content.decode()
    assert Subscriber.objects.get().state == Subscriber.State.CONFIRMED
    assert smtp_server.wait_for(4) == 4
    assert "Välkommen" in smtp_server.messages[3]["Subject"]
    assert {m["To"] for m in smtp_server.messages} == {"lina@kommun.se"}


def test_signing_up_again_gets_a_new_mail_after_a_quarter_of_an_hour(mailoutbox, time_machine):
    client = Client()
    client.post(SIGNUP, {"email": "sen@kommun.se"})
    assert len(mailoutbox) == 1
    time_machine.move_to(timezone.now() + timedelta(minutes=10))
    client.post(SIGNUP, {"email": "sen@kommun.se"})
    assert len(mailoutbox) == 1  # too soon: the first may still be on its way
    time_machine.move_to(timezone.now() + timedelta(minutes=6))
    client.post(SIGNUP, {"email": "sen@kommun.se"})
    assert len(mailoutbox) == 2
    # Both links work: the first mail may simply have been late.
    first, second = (CONFIRM_RE.search(m.body).group(1) for m in mailoutbox)
    assert Client().get(first).status_code == 200
    assert Client().get(second).status_code == 200


@override_settings(NEWSLETTER_RATE_PER_ADDRESS="3/d")
def test_still_at_most_a_few_mails_a_day_per_mailbox(mailoutbox, time_machine):
    # A fixed start: django-ratelimit's day for a key begins at a moment of its own (offset
    # by a hash of the key), so from the wall clock these 2 h 40 min would, at some times of
    # day, span two of its days and rightly allow more mails.
    time_machine.move_to(datetime(2027, 3, 10, 8, 0, tzinfo=UTC))
    for attempt in range(8):
        Client().post(SIGNUP, {"email": "flitig@kommun.se"}, REMOTE_ADDR=f"203.0.113.{attempt}")
        time_machine.move_to(timezone.now() + timedelta(minutes=20))
    assert len(mailoutbox) == 3


def test_a_subscriber_signing_up_again_is_told_so_with_the_leave_link(mailoutbox):
    client = Client()
    client.post(SIGNUP, {"email": "redan@kommun.se"})
    client.post(CONFIRM_RE.search(mailoutbox[0].body).group(1))
    Subscriber.objects.update(last_mail_at=timezone.now() - timedelta(hours=1))
    client.post(SIGNUP, {"email": "redan@kommun.se"})
    already = mailoutbox[-1]
    assert "redan" in already.subject
    assert LEAVE_RE.search(already.body)


def test_thanks_page_says_what_to_do_when_nothing_arrives(settings):
    settings.NEWSLETTER_CONTACT_EMAIL = "hjalp@exempel.se"
    html = Client().get(reverse("newsletter:thanks")).content.decode()
    assert "skräpposten" in html
    assert "Vänta några minuter" in html
    assert "15 minuter" in html
    assert 'href="mailto:hjalp@exempel.se"' in html
