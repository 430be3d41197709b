"""The privacy notice says what the site really does."""

from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_the_privacy_notice_lists_the_csrf_cookie_and_how_to_clear_history(db):
    text = Client().get(reverse("pages:privacy")).content.decode()
    # The cookie set on form pages, by the name it has in test and in production.
    assert settings.CSRF_COOKIE_NAME.removeprefix("__Host-") in text
    assert "Sidor utan formulär sätter inga kakor" in text
    assert "Rensa webbläsarhistoriken" in text
    assert "Lämna sidan snabbt" in text
    for browser in ("Chrome", "Firefox", "Safari"):
        assert browser in text


def test_the_signup_form_links_to_the_privacy_notice(db):
    html = Client().get(reverse("newsletter:signup")).content.decode()
    assert f'href="{reverse("pages:privacy")}"' in html


def test_the_privacy_notice_says_what_the_page_feedback_stores(db):
    text = Client().get(reverse("pages:privacy")).content.decode()
    assert "Hjälpte sidan dig?" in text
    assert "raderas efter tolv månader" in text
