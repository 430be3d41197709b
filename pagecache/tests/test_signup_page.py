"""The newsletter signup page from the page cache: everything around the form is stored,
each visitor still gets a CSRF token of their own, and the form keeps working."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pagecache.middleware import CSRF_PLACEHOLDER

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


def test_a_second_visitor_gets_the_stored_page_with_a_token_of_their_own():
    url = reverse("newsletter:signup")
    first, first_queries = _get(Client(enforce_csrf_checks=True), url)
    visitor = Client(enforce_csrf_checks=True)
    second, second_queries = _get(visitor, url)

    assert first_queries > 0
    assert second_queries == 0
    first_token = TOKEN.search(first.content.decode()).group(1)
    second_token = TOKEN.search(second.content.decode()).group(1)
    assert first_token != second_token
    assert CSRF_PLACEHOLDER not in second.content.decode()
    # Everything but the token is the same page.
    assert first.content.decode().replace(first_token, "") == second.content.decode().replace(
        second_token, ""
    )
    # The cookie the token belongs to, and only that one.
    assert list(second.cookies) == [settings.CSRF_COOKIE_NAME]
    assert second["Cache-Control"].startswith("private")

    # The stored page's form really works: a bad address gets the error page (not a 403).
    answer = visitor.post(url, {"email": "inte en adress", "csrfmiddlewaretoken": second_token})
    assert answer.status_code == 200
    assert "<title>Fel: " in answer.content.decode()


def test_the_form_with_errors_is_never_stored():
    url = reverse("newsletter:signup")
    visitor = Client()
    visitor.post(url, {"email": "<script>x</script>"})
    page = Client().get(url).content.decode()
    assert "<title>Fel: " not in page
    assert "&lt;script&gt;" not in page
