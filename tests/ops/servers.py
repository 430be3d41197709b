"""Real app servers for the operations tests: gunicorn with production settings on a
PostgreSQL database of their own and a Redis database, talked to over HTTP on loopback as
the TLS proxy would (X-Forwarded-Proto: https). The TCP proxy that breaks the database or
Redis under them is in proxy.py.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tests.ops.proxy import free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("OPS_REDIS_URL", "redis://127.0.0.1:6379/7")
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def redis_problem(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"needs Redis at {url} ({type(exc).__name__}): start redis-server"
    return None


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: str


@dataclass
class Server:
    """One gunicorn (one worker, two threads) with its own port and log file."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = {**self.env, "GUNICORN_BIND": self.host}
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own server
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-3000:]}")
            try:
                self.request("GET", "/healthz")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def request(
        self,
        method: str,
        path: str,
        *,
        cookies: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> Response:
        headers = {"X-Forwarded-Proto": "https", "Host": self.host}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # An HTTPS POST must come from our own origin (Django's CSRF origin check).
            headers["Origin"] = f"https://{self.host}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            jar = SimpleCookie()
            for value in raw.headers.get_all("Set-Cookie") or []:
                jar.load(value)
            return Response(
                raw.status,
                {k.lower(): v for k, v in raw.getheaders()},
                {k: m.value for k, m in jar.items()},
                text,
            )
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def log_lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


def site_env(*, database_url: str, cache_url: str, static_root: Path, **extra: str) -> dict:
    """The environment of a production server (nspm_portal.settings.prod) on loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CACHE_", "PYTEST", "NSPM_REQUIRE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="nspm_portal.settings.prod",
        SECRET_KEY="ops-test-not-secret-5d1c9e7a",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(static_root.parent / "media"),
        EMAIL_URL="dummymail://",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def csrf_form(server: Server, path: str) -> tuple[dict[str, str], str]:
    """GET a form page: (the cookies it set, the token in its form)."""
    page = server.get(path)
    assert page.status == 200, page.status
    return page.cookies, TOKEN_INPUT.search(page.body).group(1)
