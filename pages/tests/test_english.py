"""A page's English text: edited in the same admin form as the Swedish, with its own
"Last updated" kept by Page.save(), shown under /en/ and never mixed with the Swedish."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from pages.models import Page
from pages.tests.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

# 22.30 UTC on 10 June is 00.30 on 11 June in Stockholm: "today" is the Swedish date.
LATE_EVENING_UTC = datetime(2026, 6, 10, 22, 30, tzinfo=UTC)


def english_url(name: str) -> str:
    with translation.override("en"):
        return reverse(name)


def test_the_seeded_english_texts_have_their_own_dates():
    about = Page.objects.by_slug(Page.ABOUT)
    assert about.title_en == "About NSPM"
    assert about.updated_on_en == about.published_on_en == date(2026, 11, 30)
    assert about.updated_on == date(2024, 4, 11)  # the Swedish text's, untouched


@time_machine.travel(LATE_EVENING_UTC, tick=False)
@pytest.mark.parametrize("field", ["title_en", "description_en", "body_en"])
def test_changing_the_english_text_moves_only_the_english_date(admin_client, field):
    page = Page.objects.by_slug(Page.ABOUT)
    swedish_date = page.updated_on
    value = getattr(page, field) + " A new sentence."
    response = admin_client.post(change_url(page), form_data(page, **{field: value}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert getattr(page, field) == value
    assert page.updated_on_en == date(2026, 6, 11)
    assert page.updated_on == swedish_date


@time_machine.travel(LATE_EVENING_UTC, tick=False)
def test_changing_the_swedish_text_keeps_the_english_date(admin_client):
    page = Page.objects.by_slug(Page.ABOUT)
    english_date = page.updated_on_en
    admin_client.post(change_url(page), form_data(page, body=page.body + " Ny mening."))
    page.refresh_from_db()
    assert page.updated_on == date(2026, 6, 11)
    assert page.updated_on_en == english_date


def test_the_admin_form_shows_both_languages(admin_client):
    page = Page.objects.by_slug(Page.ABOUT)
    form = admin_client.get(change_url(page)).content.decode()
    for name in ("title", "body", "title_en", "description_en", "body_en"):
        assert f'name="{name}"' in form
    assert "Rubrik på engelska" in form  # the staff side stays Swedish


def test_first_english_text_gets_its_publication_date_when_saved():
    page = Page.objects.by_slug(Page.PRIVACY)
    assert page.published_on_en is None
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        page.title_en = "Personal data and cookies"
        page.body_en = "What we store."
        page.save()
    page.refresh_from_db()
    assert page.published_on_en == page.updated_on_en == date(2026, 6, 11)


def test_the_english_page_shows_the_english_dates(client):
    page = Page.objects.by_slug(Page.ABOUT)
    Page.objects.filter(pk=page.pk).update(
        updated_on_en=date(2026, 12, 1), published_on_en=date(2026, 11, 30)
    )
    html = client.get(english_url("pages:about")).content.decode()
    assert 'Last updated: <time datetime="2026-12-01">1 December 2026</time>' in html
    assert 'Published: <time datetime="2026-11-30">30 November 2026</time>' in html
    assert "2024" not in html  # not the Swedish text's date
    with translation.override("sv"):
        swedish = client.get(reverse("pages:about")).content.decode()
    assert "11 april 2024" in swedish


def test_a_page_shown_in_english_cannot_be_saved_over_the_swedish_text():
    page = Page.objects.by_slug(Page.ABOUT).in_language("en")
    with pytest.raises(ValueError):
        page.save()
    assert Page.objects.by_slug(Page.ABOUT).title == "Om NSPM"


@pytest.mark.parametrize("url_name", ["pages:home", "pages:about", "helpline:detail", "nmt:index"])
def test_seeded_english_pages_have_no_swedish_text(client, url_name):
    html = client.get(english_url(url_name)).content.decode()
    for swedish in ("Jämställdhetsmyndigheten är", "stödtelefonen", "Senast uppdaterad", "Sök"):
        assert swedish not in html
