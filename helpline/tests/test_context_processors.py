"""`helpline` in every template: lazy, and never failing when the database is down."""

import pytest
import time_machine
from django.template import loader
from django.test import RequestFactory

from helpline.tests.test_hours import local

pytestmark = pytest.mark.django_db

MONDAY_OPEN = local(2026, 11, 23, 10, 0)


def test_error_page_with_the_database_down_shows_numbers_without_status(helpline, database_down):
    request = RequestFactory().get("/")
    html = loader.get_template("500.html").render({}, request)
    assert 'href="tel:+4620390000"' in html
    assert 'href="tel:11414"' in html and 'href="tel:112"' in html
    assert "Öppet nu" not in html and "Stängt –" not in html


def test_status_is_not_computed_when_no_template_shows_it(helpline, monkeypatch):
    from django.template import RequestContext, Template

    from helpline import hours
    from helpline.context_processors import get_helpline

    computed = []
    status_at = hours.status_at
    monkeypatch.setattr(hours, "status_at", lambda *args: computed.append(args) or status_at(*args))
    request = RequestFactory().get("/")
    with time_machine.travel(MONDAY_OPEN, tick=False):
        number = Template("{{ helpline.number_display }}").render(RequestContext(request))
        assert number == "020-39 00 00"
        assert computed == []
        shown = Template("{{ helpline.status_text }}").render(RequestContext(request))
    assert shown == "Öppet nu – stänger kl. 16.00"
    assert len(computed) == 1
    context = get_helpline(request)
    assert context.status.next_change == local(2026, 11, 23, 16, 0)
    assert context.status.next_change.tzinfo is not None
    assert context.now.tzinfo is not None


def test_building_the_context_reads_nothing(helpline, django_assert_num_queries):
    from helpline.context_processors import helpline as processor

    with django_assert_num_queries(0):
        processor(RequestFactory().get("/"))
