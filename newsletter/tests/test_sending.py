"""send_newsletter against a real SMTP server: refusals, deferrals, outages, pause, progress."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from newsletter import services
from newsletter.addresses import address_hash
from newsletter.models import Delivery, Issue, Subscriber, Suppression, default_send_at

from .conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def _run(**kwargs):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("send_newsletter", rate=0, stdout=out, stderr=err, **kwargs)
    except SystemExit as exc:
        return out.getvalue(), err.getvalue(), exc.code
    return out.getvalue(), err.getvalue(), 0


def test_sends_each_subscriber_once_over_one_connection(smtp_server):
    subs = [make_subscriber(f"s{i}@example.org") for i in range(5)]
    make_subscriber("pending@example.org", Subscriber.State.PENDING)
    issue = make_issue()
    out, _err, code = _run()
    assert code == 0
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(s.email for s in subs)
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 5
    assert "5 skickade" in out
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENT and issue.finished_at
    # A second run mails nobody again.
    _run()
    assert len(smtp_server.messages) == 5


def test_draft_and_future_issues_are_not_sent(smtp_server):
    make_subscriber("s@example.org")
    make_issue(number=1, state=Issue.State.DRAFT)
    make_issue(number=2, send_at=timezone.now() + timedelta(hours=1))
    out, _err, _code = _run()
    assert smtp_server.messages == []
    assert "Inget nyhetsbrev" in out


def test_permanent_refusal_fails_and_suppresses_temporary_is_retried_later(smtp_server):
    good = make_subscriber("good@example.org")
    gone = make_subscriber("gone@example.org")
    busy = make_subscriber("busy@example.org")
    smtp_server.refuse = {
        "gone@example.org": "550 5.1.1 <gone@example.org>: no such user",
        "busy@example.org": "452 4.2.2 mailbox full",
    }
    issue = make_issue()
    _run()
    states = {d.subscriber.email: d for d in Delivery.objects.select_related("subscriber")}
    assert states["good@example.org"].state == Delivery.State.SENT
    assert states["gone@example.org"].state == Delivery.State.FAILED
    assert "gone@example.org" not in states["gone@example.org"].error
    assert states["busy@example.org"].state == Delivery.State.PENDING
    gone.refresh_from_db()
    assert gone.state == Subscriber.State.BOUNCED
    assert Suppression.objects.filter(address_hash=address_hash("gone@example.org")).exists()
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENDING  # someone is still waiting

    smtp_server.refuse = {"gone@example.org": "550 no such user"}
    _run()
    assert [m["To"] for m in smtp_server.messages].count("busy@example.org") == 1
    assert [m["To"] for m in smtp_server.messages].count(good.email) == 1
    busy.refresh_from_db()
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENT


def test_retry_failed_only_requeues_the_failed(smtp_server):
    make_subscriber("ok@example.org")
    make_subscriber("gone@example.org")
    smtp_server.refuse = {"gone@example.org": "550 no such user"}
    issue = make_issue()
    _run()
    smtp_server.refuse = {}
    assert services.deliveries_retry_failed(issue=issue) == 1
    _run()
    assert [m["To"] for m in smtp_server.messages].count("ok@example.org") == 1
    assert [m["To"] for m in smtp_server.messages].count("gone@example.org") == 1


@override_settings(NEWSLETTER_MAX_CONNECTION_ERRORS=3)
def test_mail_server_down_stops_the_run_and_says_why(smtp_down):
    make_subscriber("a@example.org")
    issue = make_issue()
    out, err, code = _run()
    assert code == 1
    assert "anslutningsfel" in err
    assert Delivery.objects.get(issue=issue).state == Delivery.State.PENDING


def test_paused_issue_stops_and_resumes_without_duplicates(smtp_server):
    for i in range(3):
        make_subscriber(f"s{i}@example.org")
    issue = make_issue()
    services.issue_start(issue_id=issue.pk)
    # The editor pauses before the sender gets going.
    issue.refresh_from_db()
    services.issue_pause(issue=issue)
    _run()
    assert smtp_server.messages == []
    services.issue_resume(issue=issue)
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENDING
    _run()
    assert len(smtp_server.messages) == 3


def test_in_flight_deliveries_are_never_sent_again_automatically(smtp_server):
    a = make_subscriber("a@example.org")
    make_subscriber("b@example.org")
    issue = make_issue()
    services.issue_start(issue_id=issue.pk)
    Delivery.objects.filter(subscriber=a).update(state=Delivery.State.IN_FLIGHT)
    _run()
    assert [m["To"] for m in smtp_server.messages] == ["b@example.org"]
    # The editor decides to resend.
    services.deliveries_resend(queryset=Delivery.objects.filter(subscriber=a))
    _run()
    assert sorted(m["To"] for m in smtp_server.messages) == ["a@example.org", "b@example.org"]


def test_unsubscribing_during_a_send_cancels_that_delivery(smtp_server):
    a = make_subscriber("a@example.org")
    issue = make_issue()
    services.issue_start(issue_id=issue.pk)
    Subscriber.objects.filter(pk=a.pk).update(state=Subscriber.State.UNSUBSCRIBED)
    _run()
    assert smtp_server.messages == []
    assert Delivery.objects.get().state == Delivery.State.CANCELLED


def test_progress_is_printed_for_long_sends(smtp_server):
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"m{i}@example.org", state="confirmed") for i in range(205)]
    )
    make_issue()
    out, _err, _code = _run()
    assert "100 av 205 skickade" in out and "200 av 205 skickade" in out


def test_rate_setting_paces_the_send(smtp_server):
    import time

    for i in range(4):
        make_subscriber(f"r{i}@example.org")
    make_issue()
    started = time.monotonic()
    call_command("send_newsletter", rate=10, stdout=io.StringIO())
    assert time.monotonic() - started >= 0.3


def test_default_send_at_is_six_weeks_after_the_last_issue():
    last = make_issue(number=1, send_at=timezone.now() - timedelta(days=3))
    assert default_send_at() == last.send_at + timedelta(weeks=6)
    new = Issue.objects.create(subject="Nästa", body="x")
    assert new.number == 2 and new.state == Issue.State.DRAFT
    assert new.send_at == last.send_at + timedelta(weeks=6)


def test_poison_outbox_rows_and_a_broken_issue_subject_do_not_stop_the_run(smtp_server):
    """Issue 13: the others are sent, the run exits 0, the bad rows carry their reasons."""
    from newsletter.models import OutboxMessage

    from .test_outbox import poison_rows

    readers = [make_subscriber(f"r{i}@example.org") for i in range(3)]
    broken = make_issue(number=1)
    # A crafted POST or a hand-edited row: the admin form refuses this subject.
    Issue.objects.filter(pk=broken.pk).update(subject="Nyheter\r\nBcc: alla@example.org")
    good = make_issue(number=2)
    bad_mail = poison_rows(smtp_server)
    welcome = OutboxMessage.objects.create(
        kind="confirm", to="ny@example.org", subject="Bekräfta", body="Hej"
    )

    out, err, code = _run()
    assert code == 0, err

    letters = [m for m in smtp_server.messages if m["Subject"].startswith("NSPM:s nyhetsbrev")]
    assert sorted(m["To"] for m in letters) == sorted(r.email for r in readers)
    assert {m["Subject"] for m in letters} == {"NSPM:s nyhetsbrev nr 2: Nyheter 2"}
    good.refresh_from_db()
    assert good.state == Issue.State.SENT
    broken.refresh_from_db()
    assert broken.state == Issue.State.PAUSED
    assert "Ämnesraden får bara vara en rad" in broken.send_error
    assert not broken.deliveries.exists() and broken.started_at is None  # nobody got it
    assert "Nr 1: stoppade" in out

    welcome.refresh_from_db()
    assert welcome.sent_at
    for row in bad_mail.values():
        row.refresh_from_db()
        assert row.failed_at and row.last_error

    # Fixed by the editor and resumed: it goes out on the next run.
    Issue.objects.filter(pk=broken.pk).update(subject="Nyheter rättade")
    broken.refresh_from_db()
    services.issue_resume(issue=broken, send_now=True)  # the editor answered "skicka direkt"
    _run()
    fixed = [m for m in smtp_server.messages if m["Subject"].endswith("Nyheter rättade")]
    assert len(fixed) == 3


def test_a_delivery_that_cannot_go_out_as_stored_fails_alone(smtp_server):
    make_subscriber("a@example.org")
    # Written around the signup's rule (which refuses non-ASCII local parts).
    odd = Subscriber.objects.create(email="åsa@exempel.se", state="confirmed")
    make_subscriber("b@example.org")
    issue = make_issue()
    _out, err, code = _run()
    assert code == 0, err
    assert sorted(m["To"] for m in smtp_server.messages) == ["a@example.org", "b@example.org"]
    failed = Delivery.objects.get(subscriber=odd)
    assert failed.state == Delivery.State.FAILED
    assert "kan inte skickas precis som den är sparad" in failed.error
    assert "åsa" not in failed.error
    odd.refresh_from_db()
    assert odd.state == Subscriber.State.CONFIRMED  # not the server's refusal: not blocked
    issue.refresh_from_db()
    assert issue.state == Issue.State.SENT


def test_a_run_sends_in_batches_and_records_each_batch(smtp_server, settings):
    settings.NEWSLETTER_SEND_BATCH = 4
    for i in range(10):
        make_subscriber(f"b{i}@example.org")
    issue = make_issue()
    _run()
    assert len(smtp_server.messages) == 10
    deliveries = list(issue.deliveries.order_by("pk"))
    assert all(d.state == Delivery.State.SENT for d in deliveries)
    # A Message-ID per delivery, as sent.
    assert {d.message_id for d in deliveries} == {m["Message-ID"] for m in smtp_server.messages}
    # Claimed four at a time: three claims, so three distinct Message-ID prefixes.
    assert len({d.message_id.split(".")[1] for d in deliveries}) == 3


def test_batch_size_follows_the_setting_and_the_rate(settings):
    settings.NEWSLETTER_SEND_BATCH = 100
    assert services.batch_size(0) == 100  # as fast as possible
    assert services.batch_size(10) == 10  # one second at ten a second
    assert services.batch_size(0.2) == 1
    assert services.batch_size(1000) == 100
