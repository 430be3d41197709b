"""The database goes away and comes back while a real server runs: clear 503 pages in the
site's layout (or the cached copy), /healthz 503, a signup told to try again, nothing
crashes, and the site recovers by itself when the database is back."""

import json

import pytest
from django.urls import reverse

from tests.ops.proxy import TcpProxy
from tests.ops.servers import REDIS_URL, Server, csrf_form, flush_redis

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def relay(ops_site):
    relay = TcpProxy(ops_site.host, ops_site.port)
    yield relay
    relay.close()


@pytest.fixture
def server(ops_site, relay, tmp_path):
    flush_redis(REDIS_URL)
    server = Server(ops_site.env(port=relay.port), tmp_path / "server.log")
    try:
        yield server.start()
    finally:
        server.stop()


def _is_outage_page(response) -> bool:
    body = response.body
    return (
        response.status == 503
        and '<html lang="sv">' in body
        and 'id="main"' in body  # the site's layout, with its navigation and footer
        and "Webbplatsen är tillfälligt otillgänglig" in body
        and "020-39 00 00" in body  # the helpline number, even without a database
        and response.headers.get("retry-after")
    )


def test_the_site_answers_clearly_while_the_database_is_down_and_recovers(server, relay):
    home, about, signup = (
        reverse("pages:home"),
        reverse("pages:about"),
        reverse("newsletter:signup"),
    )
    assert server.get("/healthz").status == 200
    cached_home = server.get(home)  # now in the page cache
    assert cached_home.status == 200
    cookies, token = csrf_form(server, signup)

    relay.cut()

    health = server.get("/healthz")
    assert health.status == 503
    assert json.loads(health.body) == {"status": "unavailable"}
    assert (
        "no-cache" in health.headers["cache-control"]
        or "no-store" in health.headers["cache-control"]
    )

    # A page not in the cache: the outage page, in the layout, never cached.
    outage = server.get(about)
    assert _is_outage_page(outage), outage.body[:2000]
    assert "no-store" in outage.headers["cache-control"]

    # A page in the cache is still served as it was.
    assert server.get(home).body == cached_home.body

    # A signup: told that nothing was saved and to try again; not a 500.
    attempt = server.request(
        "POST",
        signup,
        cookies=cookies,
        form={"email": "anna@example.se", "csrfmiddlewaretoken": token},
    )
    assert _is_outage_page(attempt), attempt.body[:2000]
    assert "Försök igen" in attempt.body
    assert "inget du har skrivit har sparats" in attempt.body

    assert server.alive  # nothing crashed

    relay.restore()

    assert server.get("/healthz").status == 200
    assert server.get(about).status == 200
    assert server.get(signup).status == 200
    assert server.alive

    lines = [line for line in server.log_lines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every log line is one JSON object
    assert not any(r["level"] == "CRITICAL" for r in records)
    assert any(r["message"].startswith("database unavailable") for r in records)
    assert not any("anna@example.se" in line for line in lines)
