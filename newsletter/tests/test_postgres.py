"""Locking and crash safety with real processes. PostgreSQL only (skipped on SQLite)."""

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from newsletter.models import Delivery, Issue, Subscriber

from .conftest import make_issue

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
# Small batches, so a kill lands mid-send with batches before and after it.
BATCH = 10


def _env(smtp_port: int) -> dict:
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env.update(
        DJANGO_SETTINGS_MODULE="nspm_portal.settings.dev",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        EMAIL_TIMEOUT="5",
        SITE_URL="https://nspm.test",
        LOG_LEVEL="ERROR",
        NEWSLETTER_SEND_BATCH=str(BATCH),
    )
    return env


def _sender(port: int, rate: str = "0") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_newsletter", "--rate", rate],
        cwd=ROOT,
        env=_env(port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _subscribers(n: int):
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"p{i:03d}@example.org", state="confirmed") for i in range(n)]
    )


def test_sigkill_mid_send_then_rerun_mails_nobody_twice_and_skips_nobody(smtp_server):
    _subscribers(60)
    issue = make_issue()
    smtp_server.delay = 0.05
    first = _sender(smtp_server.port)
    smtp_server.wait_for(15, timeout=60)  # inside the second batch
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL
    assert smtp_server.wait_until_idle(), "a message the server was reading never landed"
    got_before = len(smtp_server.messages)
    assert 0 < got_before < 60, "the kill must land mid-send"

    second = _sender(smtp_server.port)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err

    received = Counter(m["To"] for m in smtp_server.messages)
    assert max(received.values()) == 1, "somebody got the issue twice"
    in_flight = Delivery.objects.filter(issue=issue, state=Delivery.State.IN_FLIGHT)
    uncertain = set(in_flight.values_list("subscriber__email", flat=True))
    # At most the one batch that was claimed but not yet recorded is uncertain.
    assert len(uncertain) <= BATCH
    everyone = set(Subscriber.objects.values_list("email", flat=True))
    assert everyone - uncertain <= set(received), "someone not uncertain was skipped"
    sent = Delivery.objects.filter(issue=issue, state=Delivery.State.SENT)
    assert sent.count() == 60 - len(uncertain)
    message_ids = {m["Message-ID"] for m in smtp_server.messages}
    assert set(sent.values_list("message_id", flat=True)) <= message_ids
    # An uncertain one that did arrive can be found by its recorded Message-ID.
    for delivery in in_flight.select_related("subscriber"):
        if delivery.subscriber.email in received:
            assert delivery.message_id in message_ids
    issue.refresh_from_db()
    if uncertain:
        # Not "sent" while some are uncertain: the editor is told, and decides.
        assert issue.state == Issue.State.SENDING
        flagged = Issue.objects.needing_attention().get(pk=issue.pk)
        assert flagged.n_uncertain == len(uncertain)
    else:
        assert issue.state == Issue.State.SENT


def test_a_second_run_while_one_is_sending_does_nothing(smtp_server):
    _subscribers(120)
    make_issue()
    # Thirty seconds of sending, claimed ten at a time: even on a loaded machine, where a
    # new Django process takes seconds to start, the second run finds deliveries still
    # waiting (and so the issue due) while the first run holds it.
    smtp_server.delay = 0.25
    first = _sender(smtp_server.port)
    smtp_server.wait_for(3, timeout=60)
    second = _sender(smtp_server.port)
    out2, err2 = second.communicate(timeout=60)
    assert second.returncode == 0, err2
    assert "hoppar över" in out2
    out1, err1 = first.communicate(timeout=180)
    assert first.returncode == 0, err1
    received = Counter(m["To"] for m in smtp_server.messages)
    assert len(received) == 120 and max(received.values()) == 1


def test_issue_row_is_skipped_while_another_transaction_holds_it():
    from django.db import transaction

    from newsletter import services

    issue = make_issue()
    import psycopg

    db = connection.settings_dict
    other = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
    )
    try:
        other.execute("SELECT id FROM newsletter_issue WHERE id = %s FOR UPDATE", [issue.pk])
        with transaction.atomic():
            assert services.issue_start(issue_id=issue.pk) is None
    finally:
        other.rollback()
        other.close()
    assert services.issue_start(issue_id=issue.pk) is not None
    assert Issue.objects.get().state == Issue.State.SENDING
