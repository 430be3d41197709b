"""What each role can do on every model in the admin, proved by requests.

Walks `admin.site._registry`, so a model someone registers later is covered without
touching this file, and must be placed in one of the tables below or the test fails.
"""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from editors.testing import login_verified, make_staff

pytestmark = pytest.mark.django_db

EDITOR = "Redaktör"
NEWSLETTER_MANAGER = "Nyhetsbrevsansvarig"

# The issue's words, as (app_label, model): what an editor writes and corrects.
CONTENT = {
    ("pages", "page"),
    ("pages", "document"),
    ("helpline", "helpline"),
    ("helpline", "hoursexception"),
    ("contacts", "contact"),
    ("contacts", "region"),
    ("contacts", "county"),
    ("contacts", "municipality"),
    ("nmt", "member"),
    ("nmt", "nmtcontact"),
    ("newsletter", "issue"),
}
# Subscriber data: only the newsletter managers. The value says which admin actions they get.
SUBSCRIBER_DATA = {
    ("newsletter", "subscriber"): {"add", "change", "delete", "view"},
    ("newsletter", "delivery"): {"change", "view"},
    ("newsletter", "outboxmessage"): {"view"},
    ("newsletter", "suppression"): {"view"},
}
# Answers to "Hjälpte sidan dig?": both roles read them, mark them handled and may delete
# one; nobody adds one (they come from visitors).
FEEDBACK = {("feedback", "pagefeedback"): {"change", "delete", "view"}}
# Administration: superusers only.
ADMINISTRATION = {
    ("auth", "user"),
    ("auth", "group"),
    # django-axes' login records, under Swedish names (editors/models.py).
    ("editors", "loginattempt"),
    ("editors", "loginrecord"),
    ("editors", "loginfailure"),
    # django-otp's devices, under Swedish names (editors/models.py).
    ("editors", "authenticatorapp"),
    ("editors", "backupcodes"),
}

FULL = {"add", "change", "delete", "view"}
GRANTS = {
    EDITOR: {**dict.fromkeys(CONTENT, FULL), **FEEDBACK},
    NEWSLETTER_MANAGER: {**dict.fromkeys(CONTENT, FULL), **SUBSCRIBER_DATA, **FEEDBACK},
}

# Which permission each admin page needs; a change page opens read-only with "view".
NEEDS = {
    "changelist": {"view", "change"},
    "add": {"add"},
    "change": {"view", "change"},
    "delete": {"delete"},
}


def key(model) -> tuple[str, str]:
    return (model._meta.app_label, model._meta.model_name)


def test_every_registered_model_has_a_place_in_the_role_tables():
    known = CONTENT | set(SUBSCRIBER_DATA) | set(FEEDBACK) | ADMINISTRATION
    unknown = sorted(key(model) for model in admin.site._registry if key(model) not in known)
    assert not unknown, (
        f"Registered in the admin but not in a role: {unknown}. Add each to CONTENT, "
        "SUBSCRIBER_DATA, FEEDBACK or ADMINISTRATION here and to editors/migrations (a new "
        "migration)."
    )


def test_the_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITOR, NEWSLETTER_MANAGER}


@pytest.fixture
def data(db):
    """An object of the models that have no seed, so change and delete pages have one."""
    from newsletter.models import Issue, Subscriber

    Subscriber.objects.create(email="anna.andersson@example.se", state="confirmed")
    Issue.objects.create(subject="Nyhetsbrev i mars", body="Text.")


def urls_for(model) -> dict[str, str]:
    info = key(model)
    obj = model._default_manager.order_by("pk").first()
    pk = obj.pk if obj is not None else 999_999  # a missing object: 302 if allowed, 403 if not
    return {
        "changelist": reverse("admin:{}_{}_changelist".format(*info)),
        "add": reverse("admin:{}_{}_add".format(*info)),
        "change": reverse("admin:{}_{}_change".format(*info), args=[pk]),
        "delete": reverse("admin:{}_{}_delete".format(*info), args=[pk]),
    }


def statuses(client) -> dict[tuple[str, str, str], int]:
    result = {}
    for model in admin.site._registry:
        for page, url in urls_for(model).items():
            result[(*key(model), page)] = client.get(url).status_code
    return result


@pytest.fixture
def superuser_statuses(client, data):
    """What the admin allows at all: some pages are closed to everyone by design
    (a page the site needs cannot be deleted; subscribers come only through the form)."""
    user, _ = make_staff("chef", superuser=True)
    login_verified(client, user)
    result = statuses(client)
    client.logout()
    return result


@pytest.mark.parametrize("role", [EDITOR, NEWSLETTER_MANAGER])
def test_role_reaches_exactly_what_it_should_on_every_model(client, role, superuser_statuses):
    user, _ = make_staff(f"person-{role}", groups=[Group.objects.get(name=role)])
    login_verified(client, user)
    actual = statuses(client)
    grants = GRANTS[role]
    wrong = []
    for (app_label, model_name, page), status in sorted(actual.items()):
        granted = bool(grants.get((app_label, model_name), set()) & NEEDS[page])
        expected = superuser_statuses[(app_label, model_name, page)] if granted else 403
        if status != expected:
            wrong.append(f"{app_label}.{model_name} {page}: {status}, expected {expected}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
    # Not vacuous: every content model's list opens for the role.
    for app_label, model_name in CONTENT:
        if (app_label, model_name, "changelist") in actual:
            assert actual[(app_label, model_name, "changelist")] == 200, (app_label, model_name)


def test_editor_sees_neither_subscribers_nor_users(client, data):
    user, _ = make_staff("redaktor", groups=[Group.objects.get(name=EDITOR)])
    login_verified(client, user)
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:newsletter_subscriber_changelist") not in index
    assert reverse("admin:auth_user_changelist") not in index
    assert "anna.andersson@example.se" not in index
    for url in (
        reverse("admin:newsletter_subscriber_changelist") + "?q=anna",
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
    ):
        assert client.get(url).status_code == 403, url


def export(client):
    from newsletter.models import Subscriber

    return client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )


def test_subscriber_export_works_for_the_newsletter_manager(client, data):
    user, _ = make_staff("ansvarig", groups=[Group.objects.get(name=NEWSLETTER_MANAGER)])
    login_verified(client, user)
    response = export(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert any("anna.andersson@example.se" in row for row in rows)


def test_subscriber_export_is_refused_to_the_editor(client, data):
    user, _ = make_staff("redaktor", groups=[Group.objects.get(name=EDITOR)])
    login_verified(client, user)
    response = export(client)
    assert response.status_code == 403
    assert b"anna.andersson@example.se" not in response.content


def test_newsletter_manager_has_the_custom_subscriber_permissions(db):
    user, _ = make_staff("ansvarig", groups=[Group.objects.get(name=NEWSLETTER_MANAGER)])
    for codename in ("export_subscriber", "import_subscriber", "erase_subscriber"):
        assert user.has_perm(f"newsletter.{codename}"), codename
    editor, _ = make_staff("redaktor", groups=[Group.objects.get(name=EDITOR)])
    assert not any(
        editor.has_perm(f"newsletter.{c}")
        for c in ("view_subscriber", "export_subscriber", "import_subscriber", "erase_subscriber")
    )


def test_groups_migration_is_idempotent(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("editors.migrations.0002_groups")
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    migration.create_groups(apps, None)
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after
