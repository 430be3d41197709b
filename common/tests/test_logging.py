"""A dependency that is down must not write the same warning for every request."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from common.logging import warn_now_and_then
from tests.builders import CACHE_REFUSED


def test_a_warning_is_written_once_then_again_after_the_interval(caplog):
    log = logging.getLogger("nspm.test")
    with caplog.at_level(logging.WARNING, logger="nspm.test"):
        try:
            raise ConnectionError("refused")
        except ConnectionError:
            written = [warn_now_and_then(log, "cache down", every=0.2) for _ in range(5)]
    assert written == [True, False, False, False, False]
    assert [r.getMessage() for r in caplog.records] == ["cache down"]
    assert caplog.records[0].exc_info[0] is ConnectionError


def test_an_interval_gone_by_writes_it_again(caplog):
    log = logging.getLogger("nspm.test")
    with caplog.at_level(logging.WARNING, logger="nspm.test"):
        assert warn_now_and_then(log, "cache down", every=0)
        assert warn_now_and_then(log, "cache down", every=0)
        assert warn_now_and_then(log, "another message")
    assert len(caplog.records) == 3


@pytest.mark.django_db
@override_settings(CACHES=CACHE_REFUSED)
def test_with_the_cache_down_many_visits_log_each_problem_once(client, caplog):
    with caplog.at_level(logging.WARNING):
        for _ in range(10):
            response = client.get(reverse("helpline:detail"))
            assert response.status_code == 200
            assert "020-39 00 00" in response.content.decode()
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert messages.count("helpline cache unavailable") == 1, messages
    assert len(messages) == len(set(messages)), messages
