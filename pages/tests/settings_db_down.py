"""Test settings with a database nobody answers on (a closed port on loopback)."""

from nspm_portal.settings.test import *  # noqa: F403

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "nspm_down",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "1",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_HEALTH_CHECKS": True,
        "CONN_MAX_AGE": 0,
    }
}
ROOT_URLCONF = "pages.tests.urls_boom"
