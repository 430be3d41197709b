"""The editors' start page at /redaktion/."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import DatabaseError
from django.urls import reverse

from editors.testing import login_verified, make_staff
from pages.models import Page

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Wednesday 16 December 2026, 10.00 in Stockholm: the seeded hours (09–16) say open.
WEDNESDAY_MORNING = datetime(2026, 12, 16, 10, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def wednesday_morning():
    # A fixture, not a decorator, so the login below happens at the travelled time too.
    with time_machine.travel(WEDNESDAY_MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def wednesday_evening():
    with time_machine.travel(datetime(2026, 12, 16, 18, 0, tzinfo=STOCKHOLM), tick=False) as t:
        yield t


def dashboard(client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_start_page_shows_helpline_open_now_and_the_christmas_closures(
    wednesday_morning, editor_client
):
    body = dashboard(editor_client)
    assert "Öppet nu – stänger kl. 16.00" in body
    assert "Nästa stängda dagar" in body
    # Julafton (Thursday), juldagen (Friday): closed though the week says open.
    assert "torsdag 24 december – Julafton" in body
    assert "fredag 25 december – Juldagen" in body
    assert body.index("24 december") < body.index("25 december")


def test_start_page_shows_helpline_closed_and_when_it_opens(wednesday_evening, editor_client):
    assert "Stängt – öppnar torsdag 17 december kl. 09.00" in dashboard(editor_client)


def test_an_editors_closed_day_appears_with_its_note(wednesday_morning, editor_client):
    from helpline.models import Helpline, HoursException

    HoursException.objects.create(
        helpline=Helpline.objects.current(),
        start_date=date(2026, 12, 18),
        end_date=date(2026, 12, 18),
        kind=HoursException.CLOSED,
        note="Personalkonferens",
    )
    assert "fredag 18 december (Personalkonferens)" in dashboard(editor_client)


def test_start_page_counts_subscribers_without_showing_addresses(editor_client):
    from newsletter.models import Subscriber

    for n in range(3):
        Subscriber.objects.create(email=f"bekraftad{n}@example.se", state="confirmed")
    Subscriber.objects.create(email="vantar@example.se", state="pending")
    Subscriber.objects.create(email="slutat@example.se", state="unsubscribed")
    body = dashboard(editor_client)
    assert '<span class="big-number">3</span> bekräftade prenumeranter' in body
    assert '<span class="big-number">1</span> anmälan som väntar på bekräftelse' in body
    assert "@example.se" not in body
    # The editor may not open the list, so there is no link to it.
    assert reverse("admin:newsletter_subscriber_changelist") not in body


def test_start_page_says_one_subscriber_in_the_singular(editor_client):
    from newsletter.models import Subscriber

    Subscriber.objects.create(email="ensam@example.se", state="confirmed")
    body = dashboard(editor_client)
    assert '<span class="big-number">1</span> bekräftad prenumerant</p>' in body
    assert "1</span> bekräftade" not in body
    assert '<span class="big-number">0</span> anmälningar som väntar' in body


def test_newsletter_manager_gets_a_link_to_the_subscribers(client):
    user, _ = make_staff("ansvarig", groups=[Group.objects.get(name="Nyhetsbrevsansvarig")])
    login_verified(client, user)
    assert reverse("admin:newsletter_subscriber_changelist") in dashboard(client)


def test_start_page_shows_the_next_issue_and_its_state(wednesday_morning, editor_client):
    from newsletter.models import Issue

    Issue.objects.create(
        number=7,
        subject="Julnumret",
        body="Text.",
        state="sent",
        send_at=datetime(2026, 11, 2, 9, 0, tzinfo=STOCKHOLM),
    )
    Issue.objects.create(
        number=8,
        subject="Vårens utbildningar",
        body="Text.",
        state="scheduled",
        send_at=datetime(2027, 1, 12, 9, 0, tzinfo=STOCKHOLM),
    )
    body = dashboard(editor_client)
    assert "Nr 8: Vårens utbildningar" in body
    assert "Status: Schemalagt. Skickas tisdag 12 januari 2027 kl. 09.00." in body
    assert "Julnumret" not in body.split("Nästa nummer")[1].split("</div>")[0]


def test_no_next_issue_says_so(editor_client):
    assert "Inget nummer är på gång." in dashboard(editor_client)


def test_pages_are_listed_oldest_update_first_with_links(editor_client):
    Page.objects.filter(slug=Page.PRIVACY).update(updated_on=date(2019, 5, 1))
    Page.objects.filter(slug=Page.START).update(updated_on=date(2026, 1, 2))
    body = dashboard(editor_client)
    section = body[body.index('id="dashboard-pages"') :]
    titles = [p.title for p in Page.objects.order_by("updated_on", "title")]
    positions = [section.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "1 maj 2019" in section
    privacy = Page.objects.by_slug(Page.PRIVACY)
    assert reverse("admin:pages_page_change", args=[privacy.pk]) in section
    assert privacy.get_absolute_url() in section


def test_the_app_list_is_still_below(editor_client):
    body = dashboard(editor_client)
    assert body.index('id="dashboard-pages"') < body.index('class="app-pages module')


def test_a_broken_card_does_not_break_the_start_page(editor_client, monkeypatch):
    def broken():
        raise DatabaseError("connection refused")

    monkeypatch.setattr("helpline.loader.load_snapshot", broken)
    body = dashboard(editor_client)
    assert "Öppettiderna kunde inte läsas just nu." in body
    assert 'id="dashboard-pages"' in body


def test_start_page_runs_a_constant_number_of_queries(
    wednesday_morning, editor_client, django_assert_max_num_queries
):
    from newsletter.models import Subscriber

    dashboard(editor_client)  # the helpline schedule is cached after the first read
    with django_assert_max_num_queries(30) as small:
        dashboard(editor_client)
    for n in range(40):
        Subscriber.objects.create(email=f"a{n}@example.se", state="confirmed")
    with django_assert_max_num_queries(30) as large:
        dashboard(editor_client)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_helpline_edit_link_only_with_permission(client):
    user, _ = make_staff("ingen-behorighet")
    login_verified(client, user)
    body = dashboard(client)
    assert "Ändra öppettider och undantag" not in body


def test_helpline_edit_link_for_the_editor(editor_client):
    from helpline.models import Helpline

    body = dashboard(editor_client)
    url = reverse("admin:helpline_helpline_change", args=[Helpline.objects.current().pk])
    assert f'href="{url}"' in body


# Failed logins (superusers only) -------------------------------------------------------


def _fail_login(username, ip):
    from django.test import Client

    from editors.testing import post_login

    return post_login(Client(), username, "fel-lösenord", "123456", ip=ip)


def _logins_card(body: str) -> str:
    start = body.index('id="dashboard-logins"')
    return body[start : body.index("</section>", start)]


def test_superusers_see_failed_logins_of_the_last_day_by_username_and_network(
    wednesday_morning, client
):
    user, _ = make_staff("chef", superuser=True)
    with time_machine.travel(datetime(2026, 12, 15, 9, 0, tzinfo=STOCKHOLM), tick=False):
        _fail_login("i-forrgar", "203.0.113.250")  # 25 hours ago: not shown
    for n in range(3):
        _fail_login(f"gissning{n}", "198.51.100.77")
    _fail_login("redaktor", "198.51.100.78")
    _fail_login("redaktor", "2001:db8:aa:bb:cc::1")
    login_verified(client, user)
    card = _logins_card(dashboard(client))
    assert "Misslyckade inloggningar, senaste 24 timmarna" in card
    assert '<span class="big-number">5</span> misslyckade inloggningar' in card
    assert "i-forrgar" not in card and "203.0.113" not in card
    assert '<th scope="row">redaktor</th><td class="numeric">2</td>' in card
    assert '<th scope="row">gissning0</th><td class="numeric">1</td>' in card
    # Networks with their counts and how many usernames were tried from each.
    assert (
        '<th scope="row"><code>198.51.100.0/24</code></th>'
        '<td class="numeric">4</td><td class="numeric">4</td>'
    ) in card
    assert '<code>2001:db8:aa::/48</code></th><td class="numeric">1</td>' in card
    # No address beyond the network prefix.
    for address in ("198.51.100.77", "198.51.100.78", "2001:db8:aa:bb"):
        assert address not in card


def test_a_quiet_day_says_so(client):
    user, _ = make_staff("chef", superuser=True)
    login_verified(client, user)
    assert "Inga misslyckade inloggningar." in _logins_card(dashboard(client))


def test_editors_who_are_not_superusers_do_not_see_failed_logins(editor_client):
    _fail_login("nagon", "198.51.100.77")
    body = dashboard(editor_client)
    assert 'id="dashboard-logins"' not in body
    assert "Misslyckade inloggningar" not in body
    assert "nagon" not in body


def test_usernames_someone_typed_are_escaped_and_shortened(client):
    user, _ = make_staff("chef", superuser=True)
    _fail_login("<script>alert(1)</script>" + "x" * 100, "198.51.100.77")
    login_verified(client, user)
    card = _logins_card(dashboard(client))
    assert "<script>alert(1)" not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert "x" * 50 not in card
