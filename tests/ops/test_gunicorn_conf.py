"""gunicorn.conf.py: values from the environment, privacy-preserving defaults."""

import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def _load(monkeypatch, **env):
    for name in ("ACCESS_LOG", "WEB_CONCURRENCY", "GUNICORN_BIND", "PORT", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_gunicorn_access_log_is_off_unless_asked_for(monkeypatch):
    assert _load(monkeypatch)["accesslog"] is None
    assert _load(monkeypatch, ACCESS_LOG="1")["accesslog"] == "-"


def test_workers_bind_and_proxy_come_from_the_environment(monkeypatch):
    config = _load(
        monkeypatch,
        WEB_CONCURRENCY="3",
        GUNICORN_BIND="127.0.0.1:9000 unix:/run/nspm.sock",
        FORWARDED_ALLOW_IPS="10.0.0.0/8",
    )
    assert config["workers"] == 3
    assert config["bind"] == ["127.0.0.1:9000", "unix:/run/nspm.sock"]
    assert config["forwarded_allow_ips"] == "10.0.0.0/8"
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0


def test_defaults_bind_port_and_use_every_core(monkeypatch):
    import os

    config = _load(monkeypatch, PORT="8123")
    assert config["bind"] == ["0.0.0.0:8123"]
    assert config["workers"] == 2 * os.cpu_count() + 1


def test_with_nothing_set_gunicorn_listens_on_loopback_only(monkeypatch):
    # Reachable from elsewhere only when the operator says so (GUNICORN_BIND or PORT).
    assert _load(monkeypatch)["bind"] == ["127.0.0.1:8000"]
    assert _load(monkeypatch, GUNICORN_BIND="10.0.0.5:8000")["bind"] == ["10.0.0.5:8000"]


def test_a_new_worker_builds_the_lookup_index_before_the_first_lookup(
    monkeypatch, transactional_db, django_db_serialized_rollback
):
    # The warm-up reads on a connection of its own: the seed rows must be committed, and
    # are put back should an earlier transactional test have flushed them.
    import logging
    import threading
    from types import SimpleNamespace

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contacts import memo, places

    memo.forget()
    config = _load(monkeypatch)
    config["post_worker_init"](SimpleNamespace(log=logging.getLogger("gunicorn.test")))
    for thread in threading.enumerate():
        if thread.name == "lookup-warm-up":
            thread.join(30)
    with CaptureQueriesContext(connection) as queries:
        directory = places.directory()
    assert directory.index.municipalities  # the real index, ready
    assert not queries.captured_queries, [q["sql"][:80] for q in queries.captured_queries]
