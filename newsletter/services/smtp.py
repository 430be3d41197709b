"""One connection to the mail server, and one attempt at one mail over it.

The connection is Django's configured mail backend (host, port, TLS, login and timeout
come from the EMAIL_* settings). With the SMTP backend the prebuilt bytes go to smtplib's
`sendmail` as they are, with the stored address as the envelope recipient: Django's own
`send_messages` would rebuild the message and re-parse the address for every mail (and
for some addresses rewrite it). Other backends (the console in development, memory in
tests) get an EmailMessage that carries the same bytes.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Callable
from email import message_from_bytes, policy

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from .mail import envelope_sender
from .outcomes import MESSAGE_ERRORS, SENT, Outcome, Result, classify, error_text


class RawMessage(EmailMessage):
    """An EmailMessage whose MIME form is given, for the backends that want one."""

    def __init__(self, data: bytes, to: str):
        self.raw = message_from_bytes(data, policy=policy.SMTP)
        body = self.raw.get_body(("plain",))
        super().__init__(
            subject=str(self.raw["Subject"] or ""),
            body=body.get_content() if body is not None else "",
            from_email=str(self.raw["From"] or ""),
            to=[to],
        )

    def message(self, *, policy=None):
        return self.raw


class Transport:
    def __init__(self, backend=None):
        self.backend = backend or get_connection(fail_silently=False)
        self.is_smtp = isinstance(self.backend, SMTPBackend)
        self.sender = envelope_sender()
        self.is_open = False

    def attempt(self, *, to: str, message: Callable[[], bytes]) -> Result:
        """Build one mail and hand it over; the outcome, never an exception."""
        try:
            data = message()
        except MESSAGE_ERRORS as exc:
            return classify(exc, address=to, in_transaction=False)
        if not self.is_open:
            try:
                self.backend.open()
            except (smtplib.SMTPException, OSError) as exc:
                self.close()
                return Result(Outcome.UNAVAILABLE, error_text(exc, ""))
            self.is_open = True
        try:
            self._send(to, data)
        except (smtplib.SMTPException, OSError, *MESSAGE_ERRORS) as exc:
            result = classify(exc, address=to, in_transaction=True)
            if result.outcome not in (Outcome.REFUSED, Outcome.DEFERRED, Outcome.REJECTED):
                # smtplib resets the session after a refusal; after anything else the
                # session is in an unknown state, so the next mail starts a new one.
                self.close()
            return result
        return SENT

    def _send(self, to: str, data: bytes) -> None:
        if self.is_smtp:
            self.backend.connection.sendmail(self.sender, [to], data)
        else:
            self.backend.send_messages([RawMessage(data, to)])

    def close(self) -> None:
        self.is_open = False
        with contextlib.suppress(Exception):
            self.backend.close()
