"""History of content: who changed what, when, the previous values; never subscriber data."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import registered_models

from editors.testing import login_verified, make_staff

pytestmark = pytest.mark.django_db

SUBSCRIBER_MODELS = {"subscriber", "outboxmessage", "delivery", "suppression"}


def history_models():
    return [m for m in registered_models.values() if not m._meta.auto_created]


def test_every_registered_model_with_history_shows_it_in_its_admin():
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model in history_models() and not isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert not missing, (
        f"history recorded but not shown (admin is not SimpleHistoryAdmin): {missing}"
    )


def test_content_models_have_history():
    labels = {m._meta.label_lower for m in history_models()}
    for label in (
        "pages.page",
        "pages.document",
        "helpline.helpline",
        "helpline.weeklyhours",
        "helpline.hoursexception",
        "contacts.contact",
        "contacts.region",
        "nmt.member",
        "newsletter.issue",
    ):
        assert label in labels, label


def test_subscriber_data_has_no_history():
    for model in history_models():
        assert not (
            model._meta.app_label == "newsletter" and model._meta.model_name in SUBSCRIBER_MODELS
        ), model


def test_subscriber_address_ends_up_in_no_history_table(client):
    from newsletter.models import Subscriber

    user, _ = make_staff("chef", superuser=True)
    login_verified(client, user)
    subscriber = Subscriber.objects.create(email="hemlig.adress@example.se", state="pending")
    response = client.post(
        reverse("admin:newsletter_subscriber_change", args=[subscriber.pk]), {"state": "confirmed"}
    )
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.state == "confirmed"
    for model in history_models():
        manager = getattr(model, model._meta.simple_history_manager_attribute)
        for record in manager.all():
            assert "hemlig.adress" not in str(record.__dict__), model
    change_log = client.get(reverse("admin:change_log")).content.decode()
    assert "hemlig.adress" not in change_log


def test_seeded_content_has_a_first_history_record():
    """So the first edit of seeded text shows what it replaced (editors.0001)."""
    for model in history_models():
        manager = getattr(model, model._meta.simple_history_manager_attribute)
        with_history = set(manager.values_list(model._meta.pk.attname, flat=True))
        without = model._default_manager.exclude(pk__in=with_history).count()
        assert without == 0, f"{model._meta.label}: {without} objects without history"


def test_the_latest_history_record_holds_what_the_seed_migrations_left():
    """Including the English texts filled in after the baseline (editors.0005): an editor's
    first save must not appear to have written them."""
    from editors.history import differences

    for model in history_models():
        manager = getattr(model, model._meta.simple_history_manager_attribute)
        for obj in model._default_manager.all():
            latest = manager.filter(**{model._meta.pk.attname: obj.pk}).latest("history_date")
            current = latest.__class__(
                **{
                    f.attname: getattr(obj, f.attname)
                    for f in model._meta.concrete_fields
                    if hasattr(latest, f.attname)
                },
                history_type="~",
                history_date=latest.history_date,
            )
            changed = [c.name for c in differences(latest, current)]
            assert not changed, f"{model._meta.label} {obj.pk}: {changed}"


def test_line_breaks_sent_as_crlf_are_not_a_change(db):
    from editors.history import differences
    from pages.models import Page

    page = Page.objects.get(slug=Page.ABOUT)
    page.body = "Första stycket.\n\nAndra stycket."
    page.save()
    page.body = page.body.replace("\n", "\r\n")  # as a browser sends a textarea back
    page.save()
    page.body = page.body + " Nytt."
    page.save()
    newest, crlf, lf = page.history.order_by("-history_date", "-history_id")[:3]
    assert differences(lf, crlf) == []
    assert [c.name for c in differences(crlf, newest)] == ["body"]


def test_change_log_shows_inline_weekday_change_with_who_and_previous_value(client):
    from helpline.models import Helpline

    editor, _ = make_staff("redaktor", groups=[Group.objects.get(name="Redaktör")])
    editor.first_name, editor.last_name = "Rut", "Redaktör"
    editor.save()
    wednesday = Helpline.objects.current().weekly_hours.get(weekday=2)
    wednesday.closes = wednesday.closes.replace(hour=12)
    wednesday._history_user = editor
    wednesday.save()

    login_verified(client, editor)
    body = client.get(reverse("admin:change_log")).content.decode()
    assert "Rut Redaktör" in body
    assert "Öppettid för veckodag" in body
    assert "<del>16.00</del> → <ins>12.00</ins>" in body

    only = client.get(reverse("admin:change_log"), {"modell": "helpline.weeklyhours"})
    assert "<del>16.00</del>" in only.content.decode()
    other = client.get(reverse("admin:change_log"), {"modell": "pages.page"})
    assert "<del>16.00</del>" not in other.content.decode()


@pytest.mark.parametrize(
    "value", ["x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "\x00\u202e\ufeff"]
)
def test_change_log_filter_takes_hostile_input(client, value):
    user, _ = make_staff("chef", superuser=True)
    login_verified(client, user)
    response = client.get(reverse("admin:change_log"), {"modell": value})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_change_log_shows_only_what_the_user_may_view(client):
    from helpline.models import Helpline

    helpline = Helpline.objects.current()
    helpline.name = "Stödtelefonen (ny)"
    helpline.save()
    nobody, _ = make_staff("utan-behorighet")
    login_verified(client, nobody)
    body = client.get(reverse("admin:change_log")).content.decode()
    assert "Stödtelefonen (ny)" not in body
    assert "Inga ändringar ännu." in body


def test_change_log_needs_a_verified_login(client):
    user, _ = make_staff("chef", superuser=True)
    client.force_login(user)  # password only, no code
    assert client.get(reverse("admin:change_log")).status_code == 302
