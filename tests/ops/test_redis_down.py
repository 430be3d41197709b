"""Redis refuses connections (nothing listens): pages are rendered afresh, /healthz says 503,
and a signup is refused with the 503 page ("försök igen") because its rate limit cannot be
counted: never a 500, and nothing stored."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from newsletter.models import Subscriber
from pagecache.breaker import reset_breakers

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def redis_down(settings):
    reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # a port where nothing listens
        }
    }
    yield
    reset_breakers()


def test_pages_are_rendered_and_healthz_says_503(redis_down):
    visitor = Client()
    for name in ("pages:home", "contacts:list", "newsletter:signup"):
        assert visitor.get(reverse(name)).status_code == 200
    assert visitor.get("/healthz").status_code == 503


def test_a_signup_is_refused_with_the_try_again_page(redis_down):
    visitor = Client(enforce_csrf_checks=True, raise_request_exception=False)
    url = reverse("newsletter:signup")
    token = TOKEN.search(visitor.get(url).content.decode()).group(1)
    response = visitor.post(url, {"email": "anna@example.se", "csrfmiddlewaretoken": token})
    assert response.status_code == 503
    html = response.content.decode()
    assert "Försök igen om en stund – inget du har skrivit har sparats." in html
    assert "020-39 00 00" in html
    assert not Subscriber.objects.filter(email="anna@example.se").exists()
