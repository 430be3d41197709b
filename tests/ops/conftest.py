"""Fixtures for the operations tests that run real servers (PostgreSQL and Redis)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.ops.servers import REDIS_URL, manage, redis_problem, site_env

# CI (NSPM_REQUIRE_ALL=1) has Redis: there a missing one is a failure, not a skip.
REQUIRE_ALL = os.environ.get("NSPM_REQUIRE_ALL") == "1"


@dataclass
class OpsSite:
    name: str
    host: str
    port: int
    user: str
    password: str
    static_root: Path
    tmp: Path

    def database_url(self, *, port: int | None = None) -> str:
        credentials = quote(self.user) + (f":{quote(self.password)}" if self.password else "")
        return f"postgres://{credentials}@{self.host}:{port or self.port}/{self.name}"

    def env(self, *, port: int | None = None, cache_url: str = REDIS_URL, **extra: str) -> dict:
        return site_env(
            database_url=self.database_url(port=port),
            cache_url=cache_url,
            static_root=self.static_root,
            **extra,
        )


@pytest.fixture(scope="session")
def ops_site(tmp_path_factory) -> OpsSite:
    """A migrated PostgreSQL database of its own (not the test database, whose rows live in
    rolled-back transactions other processes cannot see) and collected static files."""
    import psycopg
    from django.conf import settings
    from psycopg import sql

    problem = redis_problem(REDIS_URL)
    if problem:
        (pytest.fail if REQUIRE_ALL else pytest.skip)(problem)
    db = settings.DATABASES["default"]
    tmp = tmp_path_factory.mktemp("ops")
    site = OpsSite(
        name=f"{db['NAME']}_ops"[:63],
        host=db.get("HOST") or "127.0.0.1",
        port=int(db.get("PORT") or 5432),
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or "",
        static_root=tmp / "static",
        tmp=tmp,
    )
    admin = {
        "host": site.host,
        "port": site.port,
        "user": site.user,
        "password": site.password or None,
        "dbname": "postgres",
        "autocommit": True,
    }

    def drop():
        with psycopg.connect(**admin) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(site.name))
            )

    drop()
    with psycopg.connect(**admin) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(site.name)))
    try:
        env = site.env()
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        yield site
    finally:
        drop()
