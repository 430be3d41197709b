"""The gate (how many requests may wait on the database at once) and the watchdog (a query
that never answers has its connection cut)."""

import threading
import time

import pytest
from django.db import OperationalError, connection

from common.database import Activity, Gate, begin_request, end_request


def _hold(gate: Gate, activity: Activity, release: threading.Event) -> threading.Thread:
    def run():
        assert gate.enter(activity)
        release.wait(10)
        gate.leave(activity)

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 5
    while activity not in gate.holders:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    return thread


def test_a_request_gets_a_place_when_one_frees_up_within_the_wait():
    gate = Gate(slots=1, wait=2.0)
    release = threading.Event()
    holder = _hold(gate, Activity(), release)
    threading.Timer(0.2, release.set).start()
    started = time.monotonic()
    assert gate.enter(Activity())
    assert time.monotonic() - started < 1.5
    holder.join()


def test_a_request_is_refused_after_the_wait_when_no_place_frees_up():
    gate = Gate(slots=1, wait=0.3)
    release = threading.Event()
    holder = _hold(gate, Activity(), release)
    started = time.monotonic()
    assert not gate.enter(Activity())
    assert 0.2 <= time.monotonic() - started < 1.0
    release.set()
    holder.join()


def test_no_wait_at_all_while_every_place_is_held_by_a_request_stuck_on_the_database():
    gate = Gate(slots=2, wait=0.5)
    release = threading.Event()
    stuck = [Activity(), Activity()]
    holders = [_hold(gate, activity, release) for activity in stuck]
    for activity in stuck:
        activity.query_started = time.monotonic() - 5  # no answer for five seconds
    started = time.monotonic()
    assert not gate.enter(Activity())
    assert time.monotonic() - started < 0.1
    release.set()
    for holder in holders:
        holder.join()
    assert gate.enter(Activity())  # places free again: no restart needed


def test_requests_busy_with_their_own_work_are_waited_for_not_refused():
    # Both places held by requests busy with their own work, not waiting on the database
    # (building the lookup index, rendering): a newcomer waits its turn.
    gate = Gate(slots=2, wait=1.0)
    release = threading.Event()
    busy = [Activity(), Activity()]
    holders = [_hold(gate, activity, release) for activity in busy]
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    assert gate.enter(Activity())
    assert 0.2 <= time.monotonic() - started < 0.9
    for holder in holders:
        holder.join()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_query_without_an_answer_is_cut_by_the_watchdog(settings):
    # pg_sleep stands in for a server that never answers: the statement timeout is off
    # in test settings, so only the watchdog can end the wait.
    settings.DB_QUERY_WATCHDOG = 1
    outcome = {}

    def request():
        begin_request()
        started = time.monotonic()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(20)")
        except OperationalError as exc:
            outcome["error"] = exc
        finally:
            outcome["seconds"] = time.monotonic() - started
            end_request()
            connection.close()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join(15)
    # The server goes on sleeping for the connection that is gone (in production until the
    # statement timeout): end it, or the test database cannot be dropped.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query = 'SELECT pg_sleep(20)' AND pid <> pg_backend_pid()"
        )
    assert not thread.is_alive()
    assert "error" in outcome
    assert 0.9 <= outcome["seconds"] < 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_quick_queries_are_left_alone(settings):
    settings.DB_QUERY_WATCHDOG = 1
    begin_request()
    try:
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute("SELECT pg_sleep(0.4)")
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        end_request()
