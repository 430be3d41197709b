"""RedirectThenRun: the work runs after the body is out, once, before request_finished."""

import pytest
from django.core.signals import request_finished

from common.responses import PageThenRun, RedirectThenRun


def test_work_runs_when_the_server_closes_the_response_not_before():
    events = []
    response = RedirectThenRun("/tack/", after=lambda: events.append("work"))

    def finished(**_kwargs):
        events.append("request_finished")

    request_finished.connect(finished)
    try:
        # What a WSGI server does: send status, headers and every chunk of the body...
        assert response.status_code == 302 and response["Location"] == "/tack/"
        b"".join(response)
        assert events == []
        # ...then call close().
        response.close()
        response.close()  # a second close (some servers) does not repeat the work
    finally:
        request_finished.disconnect(finished)
    assert events == ["work", "request_finished", "request_finished"]


def test_failing_work_still_closes_the_response():
    closed = []

    def boom():
        raise RuntimeError("mail server on fire")

    response = RedirectThenRun("/tack/", after=boom)

    def finished(**_kwargs):
        closed.append(True)

    request_finished.connect(finished)
    try:
        with pytest.raises(RuntimeError):
            response.close()
    finally:
        request_finished.disconnect(finished)
    assert closed == [True]


def test_a_page_can_run_work_after_it_is_sent_too():
    events = []
    response = PageThenRun("<p>Klart</p>", after=lambda: events.append("work"))
    assert response.status_code == 200 and b"".join(response) == b"<p>Klart</p>"
    assert events == []
    response.close()
    assert events == ["work"]
