"""A real SMTP server on loopback (aiosmtpd) and builders for newsletter tests."""

import asyncio
import email
import socket
import threading
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from newsletter.models import Issue, Subscriber


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """Keeps every accepted message; can refuse chosen recipients or answer slowly."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        # The RCPT TO addresses of each accepted message, in the same order.
        self.envelopes: list[list[str]] = []
        self.refuse: dict[str, str] = {}
        self.delay = 0.0
        self.lock = threading.Lock()
        self.receiving = 0  # messages whose data arrived but are not yet accepted

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.receiving += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            with self.lock:
                self.messages.append(message)
                self.envelopes.append(list(envelope.rcpt_tos))
        finally:
            with self.lock:
                self.receiving -= 1
        return "250 Message accepted"

    def to(self, address: str):
        return [m for m in self.messages if m["To"] == address]

    def wait_until_idle(self, timeout: float = 10.0) -> bool:
        """Until no message is half-received (e.g. after its sender was killed)."""
        deadline = time.monotonic() + timeout
        while self.receiving and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self.receiving

    def wait_for(self, count: int, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return len(self.messages)


@pytest.fixture
def smtp_server():
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    recorder.port = port
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=5,
    ):
        yield recorder
    controller.stop()


@pytest.fixture
def smtp_down():
    """Settings pointing at a port where nothing listens."""
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=2,
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_subscriber(email: str, state=Subscriber.State.CONFIRMED, **extra) -> Subscriber:
    from django.utils import timezone

    now = timezone.now()
    defaults = {"requested_at": now, "signup_text_version": "test"}
    if state == Subscriber.State.CONFIRMED:
        defaults["confirmed_at"] = now
    defaults.update(extra)
    return Subscriber.objects.create(email=email, state=state, **defaults)


def make_issue(number=1, state=Issue.State.SCHEDULED, **extra) -> Issue:
    from datetime import timedelta

    from django.utils import timezone

    defaults = {
        "subject": f"Nyheter {number}",
        "body": "## Rubrik\n\nText med en [länk](https://example.org/rapport).",
        "send_at": timezone.now() - timedelta(minutes=1),
    }
    defaults.update(extra)
    return Issue.objects.create(number=number, state=state, **defaults)
