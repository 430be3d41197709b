"""Editors' pitfalls with issues, through the admin as an editor logged in with 2FA."""

import html
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from editors.testing import login_verified, make_staff
from newsletter import services
from newsletter.models import Delivery, Issue

from .conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:newsletter_issue_changelist")
ADD = reverse("admin:newsletter_issue_add")


def _login(client, group: str, *, email: str = "", username: str = "redaktor"):
    user, _ = make_staff(username, groups=[Group.objects.get(name=group)])
    user.email = email
    user.save()
    return login_verified(client, user)


@pytest.fixture
def editor(client):
    return _login(client, "Redaktör", email="redaktor@nspm.test")


@pytest.fixture
def manager(client):
    return _login(client, "Nyhetsbrevsansvarig", username="ansvarig")


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _form(issue, **changes) -> dict:
    local = timezone.localtime(issue.send_at)
    data = {
        "number": issue.number,
        "subject": issue.subject,
        "body": issue.body,
        "send_at_0": local.strftime("%Y-%m-%d"),
        "send_at_1": local.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


def _act(client, action, *issues, **extra):
    data = {"action": action, "_selected_action": [i.pk for i in issues], **extra}
    return client.post(CHANGELIST, data)


def _state(issue) -> str:
    issue.refresh_from_db()
    return issue.state


# --- The state changes only through actions -------------------------------------------


def test_state_cannot_be_set_through_the_form(editor):
    issue = make_issue(state=Issue.State.DRAFT, send_at=timezone.now() + timedelta(days=3))
    url = reverse("admin:newsletter_issue_change", args=[issue.pk])
    page = editor.get(url)
    assert 'name="state"' not in page.content.decode()
    response = editor.post(url, _form(issue, state="sent", subject="Ny rubrik"))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject == "Ny rubrik"
    assert issue.state == Issue.State.DRAFT
    assert not issue.deliveries.exists()


@pytest.mark.parametrize(
    ("breaking", "says"),
    [
        ("\n", "Ämnesraden får bara vara en rad"),
        ("\r", "Ämnesraden får bara vara en rad"),
        ("\r\n", "Ämnesraden får bara vara en rad"),
        ("\u2028", "Ämnesraden får bara vara en rad"),
        ("\u2029", "Ämnesraden får bara vara en rad"),
        ("\x85", "Ämnesraden får bara vara en rad"),
        ("\x0b", "Ämnesraden får bara vara en rad"),
        ("\x00", "Null-tecken är inte tillåtna"),  # Django's own check comes first
    ],
)
def test_a_subject_with_a_line_break_is_refused_with_a_swedish_message(editor, breaking, says):
    issue = make_issue(state=Issue.State.DRAFT, send_at=timezone.now() + timedelta(days=3))
    url = reverse("admin:newsletter_issue_change", args=[issue.pk])
    crafted = f"Nyheter{breaking}Bcc: alla@example.org"
    response = editor.post(
        url, _form(issue, subject=crafted, body="Ny text som inte får försvinna")
    )
    assert response.status_code == 200
    text = _text(response)
    assert says in text
    # Nothing is lost: the editor's text is still in the form.
    assert "Ny text som inte får försvinna" in text
    assert Issue.objects.get(pk=issue.pk).subject == "Nyheter 1"


def test_a_new_issue_with_a_line_break_in_the_subject_is_not_created(editor):
    data = {
        "number": 5,
        "subject": "Rad ett\nRad två",
        "body": "Text",
        "send_at_0": "2030-01-01",
        "send_at_1": "10:00:00",
    }
    response = editor.post(ADD, data)
    assert response.status_code == 200
    assert "Ämnesraden får bara vara en rad" in _text(response)
    assert not Issue.objects.exists()


def test_schedule_with_a_future_time_schedules_at_once(editor):
    issue = make_issue(state=Issue.State.DRAFT, send_at=timezone.now() + timedelta(days=3))
    response = _act(editor, "schedule", issue)
    assert response.status_code == 302
    assert _state(issue) == Issue.State.SCHEDULED


def test_schedule_with_a_past_time_asks_skicka_direkt_first(editor, smtp_server):
    make_subscriber("s@example.org")
    issue = make_issue(state=Issue.State.DRAFT, send_at=timezone.now() - timedelta(hours=2))
    page = _act(editor, "schedule", issue)
    assert page.status_code == 200
    assert "Skicka direkt?" in _text(page)
    assert "Ja, skicka direkt" in _text(page)
    assert _state(issue) == Issue.State.DRAFT
    # The answer "yes" (what the page's form posts).
    response = _act(editor, "schedule", issue, send_now="yes")
    assert response.status_code == 302
    assert _state(issue) == Issue.State.SCHEDULED


def test_a_scheduled_issue_cannot_be_moved_into_the_past_in_the_form(editor):
    issue = make_issue(state=Issue.State.SCHEDULED, send_at=timezone.now() + timedelta(days=3))
    url = reverse("admin:newsletter_issue_change", args=[issue.pk])
    past = timezone.localtime() - timedelta(hours=1)
    response = editor.post(
        url,
        _form(issue, send_at_0=past.strftime("%Y-%m-%d"), send_at_1=past.strftime("%H:%M:%S")),
    )
    assert response.status_code == 200
    assert "skulle skicka det direkt" in _text(response)
    issue.refresh_from_db()
    assert issue.send_at > timezone.now()


@pytest.mark.parametrize(
    ("state", "action", "says"),
    [
        (Issue.State.DRAFT, "pause", "kan pausas"),
        (Issue.State.DRAFT, "resume", "kan återupptas"),
        (Issue.State.DRAFT, "mark_sent", "kan markeras som skickat"),
        (Issue.State.SCHEDULED, "schedule", "kan schemaläggas"),
        (Issue.State.SENT, "pause", "kan pausas"),
    ],
)
def test_actions_refuse_what_does_not_apply_and_say_why(editor, state, action, says):
    issue = make_issue(state=state, send_at=timezone.now() + timedelta(days=3))
    response = editor.post(
        CHANGELIST, {"action": action, "_selected_action": [issue.pk]}, follow=True
    )
    assert says in _text(response)
    assert _state(issue) == state


def test_pause_and_resume_from_the_issue_page_return_to_it(editor):
    issue = make_issue(state=Issue.State.SCHEDULED, send_at=timezone.now() + timedelta(days=3))
    change = reverse("admin:newsletter_issue_change", args=[issue.pk])
    page = _text(editor.get(change))
    assert 'value="pause"' in page and 'value="schedule"' not in page
    response = _act(editor, "pause", issue, _from_change="1")
    assert response.status_code == 302 and response["Location"] == change
    assert _state(issue) == Issue.State.PAUSED
    assert 'value="resume"' in _text(editor.get(change))
    _act(editor, "resume", issue, _from_change="1")
    assert _state(issue) == Issue.State.SCHEDULED


def test_resume_of_a_started_issue_goes_on_sending_and_clears_the_reason(editor):
    issue = make_issue()
    services.issue_start(issue_id=issue.pk)
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.PAUSED, send_error="fel")
    _act(editor, "resume", issue)
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENDING and issue.send_error == ""


def test_mark_sent_counts_uncertain_as_sent_and_sends_no_more(editor):
    a = make_subscriber("a@example.org")
    make_subscriber("b@example.org")
    issue = make_issue()
    services.issue_start(issue_id=issue.pk)
    Delivery.objects.filter(subscriber=a).update(state=Delivery.State.IN_FLIGHT)
    _act(editor, "mark_sent", issue)
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENT and issue.finished_at
    states = dict(issue.deliveries.values_list("subscriber__email", "state"))
    assert states == {"a@example.org": Delivery.State.SENT, "b@example.org": "cancelled"}


# --- Test send ------------------------------------------------------------------------


def test_test_send_goes_to_the_editor_marked_prov_and_is_not_a_delivery(editor, smtp_server):
    make_subscriber("s@example.org")
    issue = make_issue(number=4, state=Issue.State.DRAFT, subject="Rapport om människohandel")
    response = editor.post(
        CHANGELIST,
        {"action": "send_test", "_selected_action": [issue.pk], "_from_change": "1"},
        follow=True,
    )
    assert "Provutskick av nr 4 skickat till redaktor@nspm.test" in _text(response)
    assert smtp_server.wait_for(1) == 1
    (mail,) = smtp_server.messages
    assert mail["To"] == "redaktor@nspm.test"
    assert mail["Subject"] == "[PROV] NSPM:s nyhetsbrev nr 4: Rapport om människohandel"
    assert mail["List-Unsubscribe"] is None  # no personal leave link for a non-subscriber
    assert "Rubrik" in mail.get_body(("plain",)).get_content()
    assert not Delivery.objects.exists()
    assert _state(issue) == Issue.State.DRAFT


def test_test_send_without_an_address_says_so_and_sends_nothing(client, smtp_server):
    no_email = _login(client, "Redaktör")
    issue = make_issue(state=Issue.State.DRAFT)
    response = no_email.post(
        CHANGELIST, {"action": "send_test", "_selected_action": [issue.pk]}, follow=True
    )
    assert "Ditt konto har ingen e-postadress" in _text(response)
    assert smtp_server.messages == []


def test_test_send_of_a_crafted_subject_gives_the_reason(editor, smtp_server):
    issue = make_issue(state=Issue.State.DRAFT)
    Issue.objects.filter(pk=issue.pk).update(subject="Rad ett\r\nBcc: alla@example.org")
    response = editor.post(
        CHANGELIST, {"action": "send_test", "_selected_action": [issue.pk]}, follow=True
    )
    text = _text(response)
    assert "Provutskicket av nr 1 kunde inte skickas" in text
    assert "Ämnesraden får bara vara en rad" in text
    assert smtp_server.messages == []


# --- After a crash: uncertain deliveries ------------------------------------------------


def _crashed_issue():
    for name in ("a", "b", "c"):
        make_subscriber(f"{name}@example.org")
    issue = make_issue(number=9)
    services.issue_start(issue_id=issue.pk)
    # What a kill between claiming a batch and recording it leaves behind.
    Delivery.objects.filter(subscriber__email__in=["a@example.org", "b@example.org"]).update(
        state=Delivery.State.IN_FLIGHT, message_id="<x.1@nspm.test>"
    )
    Delivery.objects.filter(subscriber__email="c@example.org").update(state=Delivery.State.SENT)
    return issue


def test_uncertain_deliveries_are_flagged_on_the_issue_with_a_plain_explanation(editor):
    issue = _crashed_issue()
    text = _text(editor.get(reverse("admin:newsletter_issue_change", args=[issue.pk])))
    assert "2 mottagare har osäker status" in text
    assert "De kom troligen fram" in text
    assert "Ingen av dem skickas igen av sig själv" in text


def test_uncertain_deliveries_are_flagged_on_the_start_page(editor):
    _crashed_issue()
    text = _text(editor.get(reverse("admin:index")))
    assert "Nr 9: Nyheter 9" in text
    assert "2 mottagare har osäker status" in text
    assert "kom troligen fram" in text


def test_a_stopped_issue_shows_why_on_the_issue_and_the_start_page(editor):
    issue = make_issue(number=3)
    services.issue_fail(issue=issue, reason="Ämnesraden får bara vara en rad.")
    page = _text(editor.get(reverse("admin:newsletter_issue_change", args=[issue.pk])))
    assert "Utskicket stoppades" in page and "Ämnesraden får bara vara en rad." in page
    start = _text(editor.get(reverse("admin:index")))
    assert "Utskicket stoppades och ingen har fått numret" in start


def test_resending_uncertain_deliveries_asks_and_says_they_probably_arrived(manager):
    issue = _crashed_issue()
    uncertain = list(issue.deliveries.filter(state=Delivery.State.IN_FLIGHT))
    url = reverse("admin:newsletter_delivery_changelist")
    data = {"action": "resend", "_selected_action": [d.pk for d in uncertain]}
    page = manager.post(url, data)
    assert page.status_code == 200
    text = _text(page)
    assert "De här 2 mejlen kom troligen fram" in text
    assert "två gånger" in text
    assert "<x.1@nspm.test>" in text  # the Message-ID to look for in the server's log
    assert issue.deliveries.filter(state=Delivery.State.IN_FLIGHT).count() == 2
    response = manager.post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    assert issue.deliveries.filter(state=Delivery.State.PENDING).count() == 2


def test_marking_the_uncertain_as_sent_finishes_the_issue(manager):
    issue = _crashed_issue()
    url = reverse("admin:newsletter_delivery_changelist")
    ids = list(issue.deliveries.filter(state=Delivery.State.IN_FLIGHT).values_list("pk", flat=True))
    manager.post(url, {"action": "mark_sent", "_selected_action": ids})
    assert _state(issue) == Issue.State.SENT


def test_restoring_an_older_version_from_the_history_keeps_the_state(editor):
    issue = make_issue(state=Issue.State.DRAFT, send_at=timezone.now() + timedelta(days=3))
    draft_version = issue.history.latest()
    _act(editor, "schedule", issue)
    assert _state(issue) == Issue.State.SCHEDULED
    url = reverse(
        "admin:newsletter_issue_simple_history", args=[issue.pk, draft_version.history_id]
    )
    assert editor.get(url).status_code == 200
    response = editor.post(url, _form(issue, subject="Återställd rubrik"))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject == "Återställd rubrik"
    assert issue.state == Issue.State.SCHEDULED  # not the draft state of that version
