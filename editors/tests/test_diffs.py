"""What a version changed, field by field: before and after, long text as a word diff."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from editors.history import display_value, word_diff
from editors.testing import login_verified, make_staff

pytestmark = pytest.mark.django_db


def test_word_diff_marks_inserted_and_deleted_words_and_keeps_the_rest():
    html = word_diff("Stödtelefonen har öppet på vardagar.", "Stödtelefonen har alltid öppet.")
    assert html == "Stödtelefonen har <ins>alltid </ins>öppet<del> på vardagar</del>."
    replaced = word_diff("Den nya stödtelefonen", "Den gamla stödtelefonen")
    assert replaced == "Den <del>nya</del><ins>gamla</ins> stödtelefonen"


def test_word_diff_escapes_text_and_is_not_shortened():
    old = "<script>alert(1)</script> " + "ord " * 2000
    new = old + "slut"
    html = word_diff(old, new)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.endswith("<ins>slut</ins>")
    assert html.count("ord") == 2000
    assert "chars]" not in html


def test_word_diff_keeps_line_breaks_and_ignores_windows_line_endings():
    assert word_diff("ett\r\ntvå", "ett\ntvå") == "ett\ntvå"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "(tomt)"),
        ("", "(tomt)"),
        ([], "(tomt)"),
        (True, "ja"),
        (False, "nej"),
        (dt.date(2026, 12, 7), "7 december 2026"),
        (dt.time(12, 0), "12.00"),
        (dt.datetime(2026, 12, 7, 11, 0, tzinfo=dt.UTC), "7 december 2026 kl. 12.00"),
    ],
)
def test_values_read_the_way_editors_write_them(value, shown):
    assert display_value(None, value) == shown


@pytest.fixture
def editor_client(client):
    user, _ = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
    user.first_name, user.last_name = "Rut", "Redaktör"
    user.save()
    login_verified(client, user)
    client.user = user
    return client


def edit_page_body(user, new_body):
    from pages.models import Page

    page = Page.objects.get(slug=Page.ABOUT)
    page.body = new_body
    page._history_user = user
    page.save()
    return page


def test_page_history_shows_the_words_an_edit_inserted_and_deleted(editor_client):
    from pages.models import Page

    page = Page.objects.get(slug=Page.ABOUT)
    old_body = page.body
    first_words = " ".join(old_body.split()[:3])
    new_body = old_body.replace(first_words, first_words + " alldeles nya ord", 1)
    new_body = new_body.rstrip() + "\n\nEtt helt nytt stycke."
    edit_page_body(editor_client.user, new_body)

    body = editor_client.get(reverse("admin:pages_page_history", args=[page.pk])).content.decode()
    assert "<ins> alldeles nya ord</ins>" in body
    assert "Ett helt nytt stycke" in body
    assert "Brödtext" in body
    assert "chars]" not in body
    assert ">None<" not in body and "Anledning: None" not in body
    assert "Rut Redaktör" in body


def test_change_log_names_the_changed_fields_and_links_to_the_full_change(editor_client):
    from pages.models import Page

    page = Page.objects.get(slug=Page.ABOUT)
    edit_page_body(editor_client.user, page.body.rstrip() + "\n\nSista meningen är ny.")
    log = editor_client.get(reverse("admin:change_log"), {"modell": "pages.page"})
    text = log.content.decode()
    assert "Brödtext:" in text
    assert "lång text, se ändringen" in text
    record = page.history.latest()
    detail_url = reverse("admin:change_detail", args=["pages.page", record.history_id])
    assert detail_url in text

    detail = editor_client.get(detail_url).content.decode()
    assert "<ins>\n\nSista meningen är ny.</ins>" in detail
    assert page.body.split()[-1] in detail  # the whole text, not a shortened excerpt


@pytest.mark.parametrize(
    ("key", "history_id"),
    [("pages.page", 999999), ("newsletter.subscriber", 1), ("nope.nope", 1), ("x" * 300, 1)],
)
def test_change_detail_answers_404_for_what_does_not_exist_or_may_not_be_seen(
    editor_client, key, history_id
):
    url = reverse("admin:change_detail", args=[key, history_id])
    assert editor_client.get(url).status_code == 404


def test_change_detail_needs_a_verified_login(client):
    from pages.models import Page

    record = Page.objects.get(slug=Page.ABOUT).history.latest()
    user, _ = make_staff("chef", superuser=True)
    client.force_login(user)  # password only, no code
    url = reverse("admin:change_detail", args=["pages.page", record.history_id])
    assert client.get(url).status_code == 302
