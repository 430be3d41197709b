"""Health check and error pages, with the database up and really down."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
out = {}
for path in sys.argv[1:]:
    r = client.get(path)
    out[path] = {"status": r.status_code, "body": r.content.decode(),
                 "cache": r.get("Cache-Control", "")}
print(json.dumps(out))
"""


def get_with_database_down(*paths: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pages.tests.settings_db_down"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


@pytest.fixture
def hanging_redis(settings):
    """The cache on a "Redis" that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{listener.getsockname()[1]}/0",
        }
    }
    yield
    listener.close()


@pytest.mark.django_db
def test_healthz_is_503_within_two_seconds_when_redis_hangs(client, hanging_redis):
    for _ in range(3):  # every probe, not only the first
        started = time.monotonic()
        response = client.get("/healthz")
        assert time.monotonic() - started < 2
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable"}


@pytest.fixture(scope="module")
def down():
    return get_with_database_down("/healthz", "/", "/om-nspm/", "/boom/")


def test_healthz_is_503_when_the_database_is_down(down):
    assert down["/healthz"]["status"] == 503
    assert json.loads(down["/healthz"]["body"])["status"] != "ok"
    assert "no-cache" in down["/healthz"]["cache"]


@pytest.mark.parametrize("path", ["/", "/om-nspm/"])
def test_public_pages_answer_a_clear_503_in_the_layout_when_the_database_is_down(down, path):
    page = down[path]
    assert page["status"] == 503
    assert "Webbplatsen är tillfälligt otillgänglig" in page["body"]
    # The layout still gives the numbers that matter, without a status.
    assert 'href="tel:+4620390000"' in page["body"]
    assert 'href="tel:11414"' in page["body"] and 'href="tel:112"' in page["body"]
    assert "Öppet nu" not in page["body"]


def test_500_page_renders_in_the_layout_even_with_the_database_down(down):
    page = down["/boom/"]
    assert page["status"] == 500
    assert "Något gick fel hos oss" in page["body"]
    assert "020-39 00 00" in page["body"]
    assert 'href="tel:112"' in page["body"]
    assert "RuntimeError" not in page["body"] and "Traceback" not in page["body"]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="pages.tests.urls_boom")
def test_500_page_reveals_nothing():
    response = Client(raise_request_exception=False).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Något gick fel hos oss" in html
    assert "deliberate failure" not in html and "Traceback" not in html
    assert "<h1>" in html and "Lämna sidan snabbt" in html
