"""Staff get a fresh page; any other session cookie is served the stored page, like no
cookie at all (a cookie anyone can send must not be a way round the cache)."""

import secrets

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(views, no_next_change):
    """/plain/ stored by an anonymous visitor."""
    Client().get("/plain/")
    assert views["count"] == 1
    return views


def _visitor_with_session_cookie(value: str) -> Client:
    visitor = Client()
    visitor.cookies[settings.SESSION_COOKIE_NAME] = value
    return visitor


@pytest.mark.parametrize(
    "value",
    [
        "x",
        "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32)),
        "' OR 1=1 --",
        "a" * 4000,
    ],
)
def test_a_session_cookie_that_is_no_staff_session_is_served_the_stored_page(stored, value):
    visitor = _visitor_with_session_cookie(value)
    first = visitor.get("/plain/")
    second = visitor.get("/plain/")
    assert first.status_code == second.status_code == 200
    assert stored["count"] == 1
    assert settings.SESSION_COOKIE_NAME not in first.cookies  # nothing set or deleted


def test_a_logged_in_editor_always_gets_a_fresh_page(stored, django_user_model):
    editor = Client()
    staff = django_user_model.objects.create_user("redaktor", password="x" * 12, is_staff=True)
    editor.force_login(staff)
    editor.get("/plain/")
    editor.get("/plain/")
    assert stored["count"] == 3


def test_a_user_who_is_not_staff_is_served_the_stored_page(stored, django_user_model):
    member = Client()
    user = django_user_model.objects.create_user("besokare", password="x" * 12)
    member.force_login(user)
    member.get("/plain/")
    assert stored["count"] == 1


def test_after_logout_the_old_session_cookie_is_just_a_cookie(stored, django_user_model):
    editor = Client()
    staff = django_user_model.objects.create_user("redaktor", password="x" * 12, is_staff=True)
    editor.force_login(staff)
    old_cookie = editor.cookies[settings.SESSION_COOKIE_NAME].value
    editor.logout()

    _visitor_with_session_cookie(old_cookie).get("/plain/")
    assert stored["count"] == 1
