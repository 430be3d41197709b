"""/.well-known/security.txt follows RFC 9116."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client


def _fields(body: str) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for line in body.splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition(":")
            fields.setdefault(name.strip().lower(), []).append(value.strip())
    return fields


def test_security_txt_has_a_contact_a_future_expiry_and_its_canonical_url(db):
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = _fields(response.content.decode())
    assert fields["contact"], "no Contact"
    assert all(c.startswith(("mailto:", "https://", "tel:")) for c in fields["contact"])
    (expires,) = fields["expires"]  # exactly one (RFC 9116 2.5.5)
    moment = datetime.fromisoformat(expires.replace("Z", "+00:00"))
    now = datetime.now(UTC)
    assert moment > now, f"security.txt expired on {expires}"
    # "less than a year into the future" is recommended so stale files get noticed.
    assert moment <= now + timedelta(days=366), expires
    assert fields["canonical"] == [f"{settings.SITE_URL}/.well-known/security.txt"]
    assert all(c.startswith("https://") for c in fields["canonical"])


@pytest.mark.django_db
def test_security_txt_never_expires_whatever_the_date(client):
    for day in ("2026-11-23", "2028-02-29", "2031-12-31"):
        with time_machine.travel(f"{day}T23:30:00+00:00", tick=False):
            sec = client.get("/.well-known/security.txt").content.decode()
        expires = next(line for line in sec.splitlines() if line.startswith("Expires: "))
        stamp = expires.removeprefix("Expires: ")
        assert stamp > f"{day}T23:59:59Z", (day, stamp)
        assert stamp[:4] in {day[:4], str(int(day[:4]) + 1)}
