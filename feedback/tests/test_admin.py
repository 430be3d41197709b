"""Editors see the answers on their start page and mark comments handled in the admin."""

from datetime import date

import pytest
from django.urls import reverse

from feedback.models import PageFeedback
from pages.models import Page

pytestmark = pytest.mark.django_db


def answer(slug: str, helpful: bool, comment: str = "", *, day=None, handled=False):
    return PageFeedback.objects.create(
        page=Page.objects.by_slug(slug),
        helpful=helpful,
        comment=comment,
        created_on=day or date.today(),
        handled=handled,
    )


def test_the_start_page_shows_counts_per_page_and_the_latest_open_comments(editor_client):
    for _ in range(3):
        answer(Page.HELPLINE, True)
    answer(Page.HELPLINE, False, "Numret syns inte på mobilen.")
    answer(Page.ABOUT, False, "Otydligt om NMT & regionerna <b>.", day=date(2026, 1, 1))
    answer(Page.ABOUT, False, "Redan åtgärdat.", handled=True)
    body = editor_client.get(reverse("admin:index")).content.decode()
    card = body[body.index('id="dashboard-feedback"') :]
    helpline = Page.objects.by_slug(Page.HELPLINE)
    assert (
        f'<th scope="row"><a href="{reverse("admin:feedback_pagefeedback_changelist")}'
        f'?page__id__exact={helpline.pk}">{helpline.title}</a></th><td>3</td><td>1</td><td>1</td>'
    ) in card
    assert "Numret syns inte på mobilen." in card
    assert "Otydligt om NMT &amp; regionerna &lt;b&gt;." in card
    assert "Redan åtgärdat." not in card
    # The newest first.
    assert card.index("Numret syns inte") < card.index("Otydligt om NMT")


def test_an_editor_marks_comments_handled_and_they_leave_the_start_page(editor_client):
    open_comment = answer(Page.ABOUT, False, "Saknar kontaktuppgifter.")
    changelist = reverse("admin:feedback_pagefeedback_changelist")
    listing = editor_client.get(changelist + "?handled__exact=0&kommentar=ja")
    assert listing.status_code == 200
    assert "Saknar kontaktuppgifter." in listing.content.decode()
    response = editor_client.post(
        changelist,
        {"action": "mark_handled", "_selected_action": [open_comment.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 svar markerat som hanterat." in response.content.decode()
    open_comment.refresh_from_db()
    assert open_comment.handled
    body = editor_client.get(reverse("admin:index")).content.decode()
    assert "Saknar kontaktuppgifter." not in body
    assert "Inga kommentarer väntar." in body


def test_an_editor_can_tick_handled_but_not_change_what_the_visitor_wrote(editor_client):
    feedback = answer(Page.ABOUT, False, "Originaltext.")
    url = reverse("admin:feedback_pagefeedback_change", args=[feedback.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    response = editor_client.post(url, {"handled": "on", "comment": "Ändrad text"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.handled is True
    assert feedback.comment == "Originaltext."


def test_nobody_adds_answers_in_the_admin(editor_client):
    assert editor_client.get(reverse("admin:feedback_pagefeedback_add")).status_code == 403
