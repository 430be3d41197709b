"""The real thing: gunicorn under production settings, spoken to over HTTP on loopback.

One server for the module: a fresh SQLite database migrated with the seed content,
collectstatic (hashed files, as deployed), gunicorn.conf.py from the repository, and the
TLS proxy played by sending ``X-Forwarded-Proto: https`` as it does.
"""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

HOST = "nspm.example.se"
# Markers that must never reach a log line.
CLIENT_IP = "203.0.113.77"
USER_AGENT = "Fuzzbrowser/9.9 (markör-UA-7c1f)"
QUERY_MARKER = "hemlig-sokning-5e2a"

PAGES = [
    "/",
    "/om-nspm/",
    "/stodtelefon/",
    "/kontakt/",
    "/kontakt/regionkoordinatorer/?kommun=Mal%C3%A5",
    "/nmt/",
    "/nyhetsbrev/",
    "/tillganglighet/",
    "/personuppgifter/",
    "/redaktion/login/",
]
ONE_YEAR = 365 * 24 * 60 * 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_url() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/13"
    except OSError:
        return None
    return None


class Server:
    def __init__(self, port: int, env: dict, log: Path):
        self.port = port
        self.env = env
        self.log = log

    def request(
        self, method, path, *, https=True, host=HOST, headers=None, body=None, peer="127.0.0.1"
    ):
        # Any 127.x address reaches the loopback server; only 127.0.0.1 is the trusted proxy.
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=20, source_address=(peer, 0)
        )
        sent = {"Host": host, "User-Agent": USER_AGENT, "X-Forwarded-For": CLIENT_IP}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        sent.update(headers or {})
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        response.body = response.read().decode("utf-8", "replace")
        connection.close()
        return response

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    redis_url = _redis_url()
    if redis_url is None:
        # Production refuses to start without a cache every process shares.
        reason = "needs Redis on 127.0.0.1:6379 for production settings: start redis-server"
        (pytest.fail if os.environ.get("NSPM_REQUIRE_ALL") == "1" else pytest.skip)(reason)
    tmp = tmp_path_factory.mktemp("prod")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "ACCESS_LOG", "GUNICORN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="nspm_portal.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        CACHE_URL=redis_url,
        TRUSTED_PROXY_COUNT="1",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        SITE_URL=f"https://{HOST}",
        EMAIL_URL="consolemail://",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        PYTHONUNBUFFERED="1",
    )
    server = Server(port, env, tmp / "gunicorn.log")
    # Both at once: they touch different things and collectstatic (compressing every
    # file, as deployed) is the slow one.
    preparing = [
        subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for args in (("migrate", "--noinput"), ("collectstatic", "--noinput"))
    ]
    for process in preparing:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, output
    server.manage("shell", "-c", "from django.core.cache import cache; cache.clear()")
    # A document whose file is gone: the one way to make the real server answer 500.
    done = server.manage(
        "shell",
        "-c",
        "from pages.models import Document, Page; Document.objects.create("
        "page=Page.objects.get(slug='om-nspm'), title='Saknas', slug='saknad-fil', "
        "file='dokument/finns-inte.pdf', file_type='pdf', content_type='application/pdf')",
    )
    assert done.returncode == 0, done.stderr
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with server.log.open("w") as log:
        process = subprocess.Popen(
            [str(gunicorn), "nspm_portal.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if server.request("GET", "/healthz").status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, server.log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start:\n" + server.log.read_text()
            time.sleep(0.2)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def test_check_deploy_reports_nothing_under_production_settings(server):
    done = server.manage("check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_every_page_carries_the_security_headers(server):
    failures = []
    for path in PAGES:
        response = server.request("GET", path)
        where = f"{path} ({response.status})"
        if response.status != 200:
            failures.append(f"{where}: not 200")
            continue
        csp = response.getheader("Content-Security-Policy") or ""
        directives = _csp(csp)
        for name, expected in {
            "default-src": ["'none'"],
            "frame-ancestors": ["'none'"],
            "base-uri": ["'none'"],
            "form-action": ["'self'"],
        }.items():
            if directives.get(name) != expected:
                failures.append(f"{where}: CSP {name} is {directives.get(name)}, not {expected}")
        for name, sources in directives.items():
            for source in sources:
                if not (
                    source in {"'self'", "'none'"} or re.fullmatch(r"'nonce-[\w+/=-]+'", source)
                ):
                    failures.append(f"{where}: CSP {name} allows {source}")
        if "unsafe" in csp:
            failures.append(f"{where}: CSP has an unsafe- source: {csp}")
        hsts = response.getheader("Strict-Transport-Security") or ""
        max_age = re.search(r"max-age=(\d+)", hsts)
        if not max_age or int(max_age.group(1)) < ONE_YEAR:
            failures.append(f"{where}: HSTS {hsts!r} is shorter than a year")
        expected = {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
            "X-Frame-Options": "DENY",
        }
        for name, value in expected.items():
            if response.getheader(name) != value:
                failures.append(f"{where}: {name} is {response.getheader(name)!r}, not {value!r}")
        permissions = response.getheader("Permissions-Policy") or ""
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            if f"{feature}=()" not in permissions.replace(" ", ""):
                failures.append(f"{where}: Permissions-Policy does not deny {feature}")
        if "DEBUG" in response.body or "Traceback" in response.body:
            failures.append(f"{where}: debug output in the page")
    assert not failures, "\n".join(failures)


def test_static_files_are_hashed_and_served_with_nosniff(server):
    home = server.request("GET", "/")
    css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.body)
    assert css, "the stylesheet link is not a hashed file name"
    response = server.request("GET", css.group(1))
    assert response.status == 200
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "max-age=315360000" in (response.getheader("Cache-Control") or "")


def test_plain_http_is_redirected_to_https_except_the_health_check(server):
    response = server.request("GET", "/om-nspm/?a=1", https=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/om-nspm/?a=1"
    health = server.request("GET", "/healthz", https=False)
    assert health.status == 200
    assert json.loads(health.body) == {"status": "ok"}


def test_only_the_trusted_proxy_may_say_a_request_came_over_https(server):
    """A client reaching gunicorn past the proxy (here from 127.0.0.2, outside
    FORWARDED_ALLOW_IPS) cannot claim HTTPS with X-Forwarded-Proto: it is sent to HTTPS and
    gets no HSTS, and the login form's __Host- cookie is not handed out over plain HTTP."""
    for path in ("/om-nspm/", "/redaktion/login/"):
        spoofed = server.request("GET", path, peer="127.0.0.2")
        assert spoofed.status == 301, (path, spoofed.status)
        assert spoofed.getheader("Location") == f"https://{HOST}{path}"
        assert spoofed.getheader("Strict-Transport-Security") is None
        assert not spoofed.headers.get_all("Set-Cookie")
    # Only the header the proxy sets counts, not another a proxy might pass through.
    other_header = server.request(
        "GET", "/om-nspm/", https=False, headers={"X-Forwarded-Ssl": "on"}
    )
    assert other_header.status == 301
    proxied = server.request("GET", "/redaktion/login/")
    assert proxied.status == 200
    assert proxied.getheader("Strict-Transport-Security")
    assert proxied.headers.get_all("Set-Cookie")


def test_an_unknown_host_gets_400_and_reveals_nothing(server):
    response = server.request("GET", "/", host="evil.example.com")
    assert response.status == 400
    for leak in ("evil.example.com", "ALLOWED_HOSTS", "Traceback", "DisallowedHost"):
        assert leak not in response.body


def test_error_pages_reveal_nothing(server):
    not_found = server.request("GET", "/finns-inte/")
    broken = server.request("GET", "/dokument/saknad-fil/")
    assert not_found.status == 404
    assert broken.status == 500
    assert "Sidan hittades inte" in not_found.body
    assert "Något gick fel hos oss" in broken.body
    for response in (not_found, broken):
        for leak in (
            "Traceback",
            "DEBUG",
            "SECRET_KEY",
            "settings",
            "URLconf",
            "urlpatterns",
            "FileNotFoundError",
            "finns-inte.pdf",
            str(ROOT),
            server.env["SECRET_KEY"],
        ):
            assert leak not in response.body, f"{leak!r} in the {response.status} page"


def test_cookies_are_host_prefixed_secure_httponly_and_samesite(server):
    response = server.request("GET", "/redaktion/login/")
    headers = response.headers.get_all("Set-Cookie") or []
    assert headers, "the login form sets no CSRF cookie"
    for header in headers:
        cookie = SimpleCookie(header)
        (name,) = cookie.keys()
        assert name.startswith("__Host-"), header
        morsel = cookie[name]
        assert morsel["secure"] and morsel["httponly"], header
        assert morsel["samesite"] in {"Lax", "Strict"}, header
        assert morsel["path"] == "/" and not morsel["domain"], header
    shown = server.manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; print(json.dumps([s.DEBUG, "
        "s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE]))",
    )
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == [
        False,
        "__Host-sessionid",
        True,
        True,
        "Lax",
        "__Host-csrftoken",
        True,
    ]


def _form_post(server, path, fields, headers=None):
    """GET the form, then POST it back with its token as a browser on HTTPS would."""
    form = server.request("GET", path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    cookie = SimpleCookie()
    for header in form.headers.get_all("Set-Cookie") or []:
        cookie.load(header)
    from urllib.parse import urlencode

    body = urlencode({"csrfmiddlewaretoken": token.group(1) if token else "", **fields})
    return server.request(
        "POST",
        path,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookie.items()),
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
            **(headers or {}),
        },
    )


def test_a_form_post_with_its_token_passes_csrf_and_without_it_gets_403(server):
    # The admin login exists from the start; a wrong password is refused by the form,
    # not by the CSRF check (which would answer 403).
    with_token = _form_post(
        server, "/redaktion/login/", {"username": "ingen", "password": "fel-losenord-123"}
    )
    assert with_token.status == 200, with_token.status
    without = server.request(
        "POST",
        "/redaktion/login/",
        body="username=ingen&password=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert without.status == 403


def test_logs_hold_no_ip_user_agent_or_query_string(server):
    server.request("GET", f"/kontakt/regionkoordinatorer/?kommun={QUERY_MARKER}")
    server.request("GET", f"/finns-inte/?q={QUERY_MARKER}")
    server.request("GET", f"/dokument/saknad-fil/?q={QUERY_MARKER}")
    server.request("GET", f"/?q={QUERY_MARKER}", host="evil.example.com")
    _form_post(server, f"/redaktion/login/?next={QUERY_MARKER}", {"username": "x", "password": "y"})
    # Django logs inside the request and the handler flushes each line (unbuffered), so
    # everything is in the file once the last response has arrived.
    log = server.log.read_text(encoding="utf-8")
    assert '"level": "ERROR"' in log, "the 500 was not logged at all:\n" + log
    for leak in (CLIENT_IP, USER_AGENT, "markör-UA", QUERY_MARKER, "kommun="):
        assert leak not in log, f"{leak!r} in the log:\n{log}"
    for line in log.splitlines():
        if "127.0.0.1" in line:
            assert "Listening at" in line, f"an address in the log: {line}"
        json.loads(line)  # every line is one JSON object


BOGUS_FORWARDED_FOR = ["192.000.002.077", "unknown", "1.2.3.4:80", "[::1]", "x" * 4000]


def test_a_bogus_forwarded_for_at_login_is_ignored_and_logged_without_its_value(server):
    """Through gunicorn and django-axes (which stores the address): never a 500."""
    before = server.log.read_text(encoding="utf-8").count("hop is not an IP address")
    for n, forwarded in enumerate(BOGUS_FORWARDED_FOR):
        response = _form_post(
            server,
            "/redaktion/login/",
            # Another name each time: the failures all count for the proxy's address.
            {"username": f"ingen{n}", "password": "fel-losenord-123", "otp_token": "123456"},
            headers={"X-Forwarded-For": forwarded},
        )
        assert response.status == 200, (forwarded[:40], response.status)
        assert "Fel användarnamn, lösenord eller engångskod" in response.body
    log = server.log.read_text(encoding="utf-8")
    # One line per request, whatever number of times the address was asked for in it.
    assert log.count("hop is not an IP address") - before == len(BOGUS_FORWARDED_FOR)
    for value in ("192.000.002.077", "1.2.3.4:80", "[::1]", "x" * 100):
        assert value not in log
