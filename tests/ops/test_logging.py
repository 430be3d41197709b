"""Structured logs: one JSON object a line, and nothing that identifies a visitor in them
(IP address, user agent, query string, email address, tokens in the path)."""

import io
import json
import logging

import pytest
from django.test import Client
from pythonjsonlogger.json import JsonFormatter

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"
FORWARDED = "198.51.100.23"
AGENT = "Mozilla/5.0 (TestAgent-7f3a9c)"
EMAIL = "anna.andersson@example.se"
SECRETS = [IP, FORWARDED, "TestAgent-7f3a9c", "anna.andersson", "example.se", "hemlig-token-42"]


@pytest.fixture
def log_lines(settings):
    """What the configured JSON handler writes, as a list of lines."""
    settings.ROOT_URLCONF = "tests.ops.urls"
    handlers = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert handlers, "the root logger has no JSON handler (settings.LOGGING)"
    handler = handlers[0]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield lambda: buffer.getvalue().splitlines()
    finally:
        handler.setStream(previous)


def _visitor():
    return Client(
        raise_request_exception=False,
        enforce_csrf_checks=True,
        REMOTE_ADDR=IP,
        HTTP_X_FORWARDED_FOR=FORWARDED,
        HTTP_USER_AGENT=AGENT,
    )


def _assert_clean(lines):
    assert lines, "nothing was logged"
    for line in lines:
        record = json.loads(line)  # every line is a complete JSON object
        assert {"time", "level", "logger", "message"} <= record.keys()
        for secret in SECRETS:
            assert secret not in line, f"{secret!r} in log line {line}"


def test_a_server_error_is_one_json_line_without_the_visitor(log_lines):
    response = _visitor().get(f"/ops/boom/?email={EMAIL}&token=hemlig-token-42")
    assert response.status_code == 500
    lines = log_lines()
    _assert_clean(lines)
    records = [json.loads(line) for line in lines]
    errors = [r for r in records if r["logger"] == "django.request"]
    assert len(errors) == 1
    assert errors[0]["level"] == "ERROR"
    assert "ValueError: something broke" in errors[0]["exc_info"]


def test_a_database_outage_is_logged_by_type_only(log_lines):
    response = _visitor().get(f"/ops/db-down/?email={EMAIL}")
    assert response.status_code == 503
    lines = log_lines()
    _assert_clean(lines)
    assert any(
        json.loads(line)["message"] == "database unavailable: OperationalError" for line in lines
    )
    assert not any("10.1.2.3" in line for line in lines)


def test_a_refused_csrf_post_does_not_log_the_path_or_the_visitor(log_lines):
    response = _visitor().post("/ops/protected/hemlig-token-42/", {"email": EMAIL})
    assert response.status_code == 403
    lines = log_lines()
    _assert_clean(lines)
    assert any(json.loads(line)["logger"] == "django.security.csrf" for line in lines)


def test_not_found_pages_and_normal_requests_are_not_logged(log_lines):
    visitor = _visitor()
    assert visitor.get(f"/finns-inte/?email={EMAIL}").status_code == 404
    assert visitor.get(f"/?email={EMAIL}").status_code == 200
    assert log_lines() == []


def test_an_unknown_host_is_logged_without_the_visitor(log_lines):
    response = _visitor().get(f"/?email={EMAIL}", HTTP_HOST="evil.example")
    assert response.status_code == 400
    _assert_clean(log_lines())
