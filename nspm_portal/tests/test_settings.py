"""Production settings refuse to start without the values they cannot guess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "nspm.example.se",
    "DATABASE_URL": "sqlite:////tmp/nspm-prod-settings-test.sqlite3",
}


def _load_prod_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    clean.update(env, DJANGO_SETTINGS_MODULE="nspm_portal.settings.prod")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without_each_required_variable(missing):
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = _load_prod_settings(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {missing} is required" in result.stderr


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_treats_a_blank_variable_as_missing(missing):
    result = _load_prod_settings({**REQUIRED, missing: "  "})
    assert result.returncode != 0
    assert f"Environment variable {missing} is required" in result.stderr


def test_production_starts_with_all_required_variables():
    result = _load_prod_settings(REQUIRED)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


_PRINT_SETTING = "from django.conf import settings; print(settings.{name})"


@pytest.mark.parametrize(("value", "expected"), [(None, "300"), ("42", "42")])
def test_helpline_cache_seconds_comes_from_the_environment(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "HELPLINE_CACHE_SECONDS"}
    if value is not None:
        env["HELPLINE_CACHE_SECONDS"] = value
    env["DJANGO_SETTINGS_MODULE"] = "nspm_portal.settings.test"
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_SETTING.format(name="HELPLINE_CACHE_SECONDS")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_settings_are_swedish_and_stockholm_time(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
