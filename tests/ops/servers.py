"""Real app servers for the operations tests: gunicorn with production settings on a
PostgreSQL database of their own and a Redis database, talked to over HTTP on loopback as
the TLS proxy would (X-Forwarded-Proto: https), plus a TCP relay that can cut the database.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import selectors
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("OPS_REDIS_URL", "redis://127.0.0.1:6379/7")
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(static_root.parent / "media"),
        EMAIL_URL="dummymail://",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        PYTHONPATH=str(ROOT),
        **extra,
    )
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


class Relay:
    """A TCP relay to the database that the test can cut and restore."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._selector = selectors.DefaultSelector()
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and break every open one, as a dead database would."""
        if self._listener:
            # shutdown() wakes the thread blocked in accept(); close() alone would not,
            # and the port would go on accepting.
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            for a, b in self._pairs:
                for sock in (a, b):
                    with contextlib.suppress(KeyError, ValueError):
                        self._selector.unregister(sock)
                    sock.close()
            self._pairs.clear()

    def close(self) -> None:
        self._stop.set()
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if listener is not self._listener:
                client.close()
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._pairs.append((client, upstream))
                self._selector.register(client, selectors.EVENT_READ, upstream)
                self._selector.register(upstream, selectors.EVENT_READ, client)

    def _pump(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                registered = bool(self._selector.get_map())
            if not registered:
                time.sleep(0.01)
                continue
            try:
                events = self._selector.select(timeout=0.05)
            except (OSError, ValueError):  # a socket was closed by cut() meanwhile
                continue
            for key, _ in events:
                source, destination = key.fileobj, key.data
                try:
                    data = source.recv(65536)
                    if not data:
                        raise OSError("closed")
                    destination.sendall(data)
                except OSError:
                    with self._lock:
                        for sock in (source, destination):
                            with contextlib.suppress(KeyError, ValueError):
                                self._selector.unregister(sock)
                            sock.close()
                        self._pairs = [
                            p for p in self._pairs if source not in p and destination not in p
                        ]
