"""Import, export, erase and purge: the address survives nowhere it should not."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter import services
from newsletter.addresses import address_hash
from newsletter.models import Delivery, OutboxMessage, Subscriber, Suppression

from .conftest import make_issue, make_subscriber

pytestmark = pytest.mark.django_db


def _import(tmp_path, text: str) -> str:
    path = tmp_path / "lista.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_subscribers", str(path), stdout=out)
    return out.getvalue()


def test_import_counts_and_skips_bad_rows(tmp_path, mailoutbox):
    make_subscriber("finns@example.org", Subscriber.State.UNSUBSCRIBED)
    services.subscriber_erase(subscriber=make_subscriber("raderad@example.org"))
    out = _import(
        tmp_path,
        "email,subscribed_at\n"
        "ny@example.org,2024-03-01\n"
        "NY@example.org,\n"
        "Finns@Example.org,\n"
        "raderad@example.org,\n"
        "inte-en-adress,\n"
        "=cmd|' /C calc'!A0,\n"
        "datum@example.org,igår\n"
        "framtid@example.org,2999-01-01\n"
        "ok2@example.org,2025-01-02T10:00:00+01:00\n",
    )
    assert "Importerade 2" in out
    assert "4 ogiltiga" in out and "2 dubbletter" in out and "1 spärrade" in out
    new = Subscriber.objects.get(email="ny@example.org")
    assert new.state == Subscriber.State.CONFIRMED and new.basis == Subscriber.Basis.IMPORT
    assert new.confirmed_at.date().isoformat() == "2024-03-01"
    assert Subscriber.objects.get(email="finns@example.org").state == Subscriber.State.UNSUBSCRIBED
    assert mailoutbox == []


def test_import_without_email_column_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        _import(tmp_path, "namn\nAnna\n")


def test_purge_deletes_old_unconfirmed_only(time_machine):
    old = make_subscriber("old@example.org", Subscriber.State.PENDING)
    make_subscriber("kept@example.org")
    time_machine.move_to(timezone.now() + timedelta(days=31))
    make_subscriber("fresh@example.org", Subscriber.State.PENDING)
    out = io.StringIO()
    call_command("purge_unconfirmed", stdout=out)
    assert "Raderade 1 " in out.getvalue()
    assert not Subscriber.objects.filter(pk=old.pk).exists()
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "kept@example.org",
        "fresh@example.org",
    }
    call_command("purge_unconfirmed", days=1, stdout=out)


def _all_text_in_database() -> str:
    """Every text cell of every table, to look for a leaked address."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                chunks.extend(str(v) for v in row if v is not None)
    return "\n".join(chunks).lower()


def _manager(username="ansvarig") -> User:
    user = User.objects.create_user(username, password="lösenord-för-test-123", is_staff=True)
    group, _ = Group.objects.get_or_create(name="Nyhetsbrevsansvarig")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsletter",
            codename__in=[
                "view_subscriber",
                "change_subscriber",
                "export_subscriber",
                "erase_subscriber",
                "import_subscriber",
            ],
        )
    )
    user.groups.add(group)
    return user


def _admin_client(user) -> Client:
    from django_otp.plugins.otp_static.models import StaticDevice

    client = Client()
    client.force_login(user)
    device = StaticDevice.objects.create(user=user, name="test")
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_erasure_removes_the_address_from_every_table(smtp_server):
    sub = make_subscriber("hemlig.person@example.org")
    OutboxMessage.objects.create(
        subscriber=sub, kind="confirm", to=sub.email, subject="s", body="b"
    )
    issue = make_issue()
    services.issue_send(issue_id=issue.pk, rate=0)
    client = _admin_client(_manager())
    # An editor changes the state (change log), then erases.
    url = reverse("admin:newsletter_subscriber_change", args=[sub.pk])
    response = client.post(url, {"state": "unsubscribed"})
    assert response.status_code == 302
    changelist = reverse("admin:newsletter_subscriber_changelist")
    response = client.post(changelist, {"action": "erase", "_selected_action": [sub.pk]})
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    text = _all_text_in_database()
    assert "hemlig.person" not in text
    assert Suppression.objects.filter(
        address_hash=address_hash("hemlig.person@example.org")
    ).exists()
    assert Delivery.objects.get().subscriber is None  # the count survives
    assert OutboxMessage.objects.count() == 0
    reprs = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert reprs and all(r == f"Prenumerant #{sub.pk}" for r in reprs)
    # And a later import cannot bring them back silently.
    report = services.subscribers_import(rows=[{"email": "Hemlig.Person@example.org"}])
    assert report.suppressed == 1 and not Subscriber.objects.exists()


def test_export_has_evidence_and_defuses_formulas():
    make_subscriber(
        "a@example.org", signup_text_version='=HYPERLINK("x")', confirmed_ip="192.0.2.0/24"
    )
    make_subscriber("b@example.org", Subscriber.State.UNSUBSCRIBED)
    client = _admin_client(_manager())
    response = client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {
            "action": "export_csv",
            "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["id", "email"]
    assert [r[1] for r in rows[1:]] == ["a@example.org"]  # active only
    assert rows[1][6].startswith("'=")
    assert rows[1][7] == "192.0.2.0/24"


def test_an_editor_without_permission_sees_no_addresses():
    editor = User.objects.create_user("redaktor", password="lösenord-för-test-123", is_staff=True)
    make_subscriber("dold@example.org")
    client = _admin_client(editor)
    assert client.get(reverse("admin:newsletter_subscriber_changelist")).status_code == 403
    index = client.get(reverse("admin:index"))
    assert b"dold@example.org" not in index.content


def test_issue_admin_shows_counts_and_previews(smtp_server):
    superuser = User.objects.create_superuser("chef", password="lösenord-för-test-123")
    client = _admin_client(superuser)
    make_subscriber("a@example.org")
    issue = make_issue(state="draft", body="## Hej\n\nText <script>x</script>")
    change = client.get(reverse("admin:newsletter_issue_change", args=[issue.pk]))
    assert change.status_code == 200
    mail = client.get(reverse("admin:newsletter_issue_preview_mail", args=[issue.pk]))
    assert mail.status_code == 200 and b"List-Unsubscribe" in mail.content
    assert b"<script>x" not in mail.content
    web = client.get(reverse("admin:newsletter_issue_preview_web", args=[issue.pk]))
    assert web.status_code == 200 and b"<h2>Hej</h2>" in web.content
    listing = client.get(reverse("admin:newsletter_issue_changelist"))
    assert listing.status_code == 200
    for name in ("delivery", "outboxmessage", "suppression", "subscriber"):
        assert client.get(reverse(f"admin:newsletter_{name}_changelist")).status_code == 200
