"""Application logs: no IP address, user agent or query string; no access log by default."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import path

from common.logging import DropRequestFilter
from nspm_portal import urls as site_urls

CLIENT_IP = "198.51.100.23"
USER_AGENT = "Loggtest/1.0 (markör-4b9d)"
SECRET_QUERY = "hemlig-fraga-88aa"


def _boom(request):
    raise RuntimeError("trasigt")


# The site's URLs plus one that fails, with the site's own error handlers.
# The site's URLs added as they are: Django allows i18n_patterns only in the root URLconf.
urlpatterns = [path("trasig/", _boom), *site_urls.urlpatterns]
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"


@pytest.fixture
def log_output():
    """The configured console handler, writing into a buffer for the test."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, DropRequestFilter) for f in handler.filters)
    ]
    assert handlers, "the JSON console handler with the request filter is not installed"
    buffer = io.StringIO()
    previous = [handler.setStream(buffer) for handler in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def test_logging_config_drops_request_details_and_keeps_the_access_log_off():
    config = settings.LOGGING
    assert config["handlers"]["console"]["formatter"] == "json"
    assert "no_request" in config["handlers"]["console"]["filters"]
    assert config["loggers"]["django.server"]["level"] == "ERROR"
    assert config["loggers"]["django.request"]["level"] == "ERROR"


@override_settings(ROOT_URLCONF="tests.security.test_logging")
def test_an_error_is_logged_without_ip_user_agent_or_query(db, log_output):
    client = Client(raise_request_exception=False)
    response = client.get(
        f"/trasig/?q={SECRET_QUERY}", REMOTE_ADDR=CLIENT_IP, HTTP_USER_AGENT=USER_AGENT
    )
    assert response.status_code == 500
    output = log_output.getvalue()
    records = [json.loads(line) for line in output.splitlines()]
    assert any(r["level"] == "ERROR" and r["logger"] == "django.request" for r in records)
    for leak in (CLIENT_IP, USER_AGENT, "markör", SECRET_QUERY, "/trasig/"):
        assert leak not in output, f"{leak!r} logged: {output}"


def test_public_requests_log_nothing_about_the_visitor(db, log_output):
    client = Client()
    meta = {"REMOTE_ADDR": CLIENT_IP, "HTTP_USER_AGENT": USER_AGENT}
    client.get(f"/kontakt/regionkoordinatorer/?kommun={SECRET_QUERY}", **meta)
    client.get(f"/finns-inte/?q={SECRET_QUERY}", **meta)
    client.get(f"/?q={SECRET_QUERY}", HTTP_HOST="evil.example.com", **meta)
    client.post("/nyhetsbrev/", {"email": f"{SECRET_QUERY}@exempel"}, **meta)
    Client(enforce_csrf_checks=True).post(f"/nyhetsbrev/?q={SECRET_QUERY}", {}, **meta)
    client.post(
        "/redaktion/login/",
        {"username": SECRET_QUERY, "password": "fel-losenord-1"},
        **meta,
    )
    output = log_output.getvalue()
    for leak in (CLIENT_IP, USER_AGENT, "markör", SECRET_QUERY):
        assert leak not in output, f"{leak!r} logged: {output}"
