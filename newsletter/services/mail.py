"""Mail building: site URLs, list headers, and a mail serialised once for every recipient.

A mail is built once as MIME bytes by the standard library; what differs per recipient
(the address, the Message-ID, the date and the personal leave links) is put in as bytes.
For an issue sent to thousands that is the difference between building one message and
building thousands (see bench/newsletter_send.py).
"""

from __future__ import annotations

import binascii
import secrets
import smtplib
from dataclasses import dataclass
from email import policy
from email.errors import MessageError
from email.message import EmailMessage as MIMEMessage
from email.utils import formatdate, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.markup import render_markdown, render_plain

from .. import addresses
from ..models import Issue, Subscriber, single_line

UNSUBSCRIBE_PLACEHOLDER = _LINK = "@@UNSUBSCRIBE_URL@@"
_TOKEN = "@@TOKEN@@"
# RFC 5322 2.1.1: no line may be longer than 998 octets; a body with a longer line goes
# out quoted-printable. A personal link is about 150 octets; this leaves room for more.
_MAX_LINE = 998
_LONGEST_LINK = 400


class BadMessage(ValueError):
    """This mail cannot be built or sent as it is; the text says why, without the address."""


def mail_domain() -> str:
    return settings.NEWSLETTER_MAIL_DOMAIN or urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id() -> str:
    # Quoted: a colon is not allowed in an unquoted phrase (RFC 2919, RFC 5322 3.2.5).
    return f'"{_("NSPM:s nyhetsbrev")}" <nyhetsbrev.{mail_domain()}>'


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def confirm_url(subscriber: Subscriber) -> str:
    token = addresses.confirm_token(subscriber.pk, subscriber.confirm_nonce)
    return absolute(reverse("newsletter:confirm", kwargs={"token": token}))


def unsubscribe_url(subscriber: Subscriber, *, one_click: bool = False) -> str:
    """The page with the "Avsluta" button, or (one_click) the RFC 8058 POST endpoint."""
    token = addresses.unsubscribe_token(subscriber.pk, subscriber.unsubscribe_key)
    name = "newsletter:unsubscribe_one_click" if one_click else "newsletter:unsubscribe"
    return absolute(reverse(name, kwargs={"token": token}))


@dataclass(frozen=True)
class LeaveLinks:
    """The two personal leave links, with the URLs resolved once per run, not per person."""

    page: str
    one_click: str

    def for_subscriber(self, subscriber: Subscriber) -> tuple[str, str]:
        token = addresses.unsubscribe_token(subscriber.pk, subscriber.unsubscribe_key)
        return self.page.replace(_TOKEN, token), self.one_click.replace(_TOKEN, token)


def leave_links() -> LeaveLinks:
    return LeaveLinks(
        page=absolute(reverse("newsletter:unsubscribe", kwargs={"token": _TOKEN})),
        one_click=absolute(reverse("newsletter:unsubscribe_one_click", kwargs={"token": _TOKEN})),
    )


def wire_address(address: str) -> str:
    """The address exactly as it goes into RCPT TO and the To header; BadMessage otherwise.

    Stored addresses follow addresses.normalise. This checks only that the transport
    would not change the one in hand (a row written around the rule, or an editor's own
    address): ASCII, one line, and read back unchanged by smtplib's envelope parser.
    """
    if (
        not address
        or not address.isascii()
        or any(char.isspace() for char in address)
        or smtplib.quoteaddr(address) != f"<{address}>"
    ):
        raise BadMessage(_("adressen kan inte skickas precis som den är sparad"))
    return address


@dataclass(frozen=True)
class _Part:
    """One body part: its lines encoded once, the lines with the leave link left as text."""

    lines: tuple[bytes | str, ...]
    quoted: bool

    def encode(self, link: str) -> bytes:
        return b"\r\n".join(
            line
            if isinstance(line, bytes)
            else self._line(line.replace(UNSUBSCRIBE_PLACEHOLDER, link))
            for line in self.lines
        )

    def _line(self, text: str) -> bytes:
        data = text.encode()
        if not self.quoted:
            return data
        return binascii.b2a_qp(data, istext=True).replace(b"\n", b"\r\n")

    @classmethod
    def of(cls, text: str) -> _Part:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").removesuffix("\n").split("\n")
        longest = max(len(line.encode()) + line.count(_LINK) * _LONGEST_LINK for line in lines)
        part = cls(lines=(), quoted=longest > _MAX_LINE)
        encoded = tuple(
            line if UNSUBSCRIBE_PLACEHOLDER in line else part._line(line) for line in lines
        )
        return cls(lines=encoded, quoted=part.quoted)


@dataclass(frozen=True)
class MailTemplate:
    """A mail serialised once: the skeleton's pieces with the bodies to go between them."""

    subject: str
    text: str
    pieces: tuple[bytes, ...]
    parts: tuple[_Part, ...]

    def for_recipient(
        self, *, to: str, message_id: str, link: str = "", one_click: str = ""
    ) -> bytes:
        head = [
            f"To: {wire_address(to)}",
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}",
            f"Message-ID: {message_id}",
        ]
        if one_click:
            head.append(f"List-Unsubscribe: <{one_click}>")
        chunks = ["\r\n".join(head).encode() + b"\r\n" + self.pieces[0]]
        for part, piece in zip(self.parts, self.pieces[1:], strict=True):
            chunks.append(part.encode(link))
            chunks.append(piece)
        return b"".join(chunks)


def mail_template(
    *, subject: str, text: str, html: str | None = None, headers: dict | None = None
) -> MailTemplate:
    """Build the mail once; BadMessage (with the reason) if it cannot go out as it is."""
    try:
        single_line(subject)
        marks = [f"NSPM-BODY-{secrets.token_hex(8)}" for _part in range(2 if html else 1)]
        parts = tuple(_Part.of(body) for body in ([text, html] if html else [text]))
        message = MIMEMessage(policy=policy.SMTP)
        message["From"] = settings.DEFAULT_FROM_EMAIL
        message["Subject"] = subject
        for name, value in dict(headers or {}).items():
            message[str(name)] = str(value)
        _set_body(message, marks[0], parts[0], "plain")
        if html:
            _set_body(message, marks[1], parts[1], "html", alternative=True)
        skeleton = message.as_bytes(policy=policy.SMTP)
    except ValidationError as exc:
        raise BadMessage(" ".join(exc.messages)) from exc
    except (ValueError, TypeError, LookupError, MessageError) as exc:
        raise BadMessage(
            _("mejlet kunde inte byggas (%(error)s)") % {"error": type(exc).__name__}
        ) from exc
    pieces = _split(skeleton, marks)
    return MailTemplate(subject=subject, text=text, pieces=pieces, parts=parts)


def _set_body(message, mark: str, part: _Part, subtype: str, *, alternative=False) -> None:
    cte = "quoted-printable" if part.quoted else "8bit"
    add = message.add_alternative if alternative else message.set_content
    add(mark, subtype=subtype, charset="utf-8", cte=cte)


def _split(skeleton: bytes, marks: list[str]) -> tuple[bytes, ...]:
    pieces = []
    rest = skeleton
    for mark in marks:
        before, found, rest = rest.partition(mark.encode())
        if not found:
            raise BadMessage(_("mejlet kunde inte byggas"))
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


def envelope_sender() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


@dataclass
class RenderedIssue:
    subject: str
    text: str
    html: str


def issue_render(issue: Issue, *, unsubscribe: str = UNSUBSCRIBE_PLACEHOLDER) -> RenderedIssue:
    """The issue as mail, rendered once; the personal link is filled in per subscriber."""
    context = {
        "issue": issue,
        "body_text": render_plain(issue.body),
        "body_html": mark_safe(render_markdown(issue.body)),  # noqa: S308 - cleaned by nh3
        "web_url": absolute(issue.get_absolute_url()),
        "archive_url": absolute(reverse("newsletter:archive")),
        "signup_url": absolute(reverse("newsletter:signup")),
        "unsubscribe_url": unsubscribe,
    }
    return RenderedIssue(
        subject=issue_subject(issue),
        text=render_to_string("newsletter/email/issue.txt", context),
        html=render_to_string("newsletter/email/issue.html", context),
    )


def issue_subject(issue: Issue) -> str:
    return _("NSPM:s nyhetsbrev nr %(number)s: %(subject)s") % {
        "number": issue.number,
        "subject": issue.subject,
    }


def issue_mail(issue: Issue, *, test: bool = False) -> MailTemplate:
    """An issue's mail for everyone; BadMessage if it cannot be sent (a crafted subject).

    A test mail is marked "[PROV]" in the subject and carries no personal leave link:
    the editor is not a subscriber, so her link goes to the signup page's leave form.
    """
    # The rule for the subject is checked on the issue's own text, so the reason names it.
    try:
        single_line(issue.subject)
    except ValidationError as exc:
        raise BadMessage(" ".join(exc.messages)) from exc
    rendered = issue_render(issue)
    subject = rendered.subject
    headers = {"List-Id": list_id()}
    if test:
        subject = _("[PROV] %(subject)s") % {"subject": subject}
    else:
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return mail_template(subject=subject, text=rendered.text, html=rendered.html, headers=headers)


def preview_leave_link() -> str:
    """Where the leave link of a test mail and of the admin preview points."""
    return absolute(reverse("newsletter:signup")) + "#avsluta"
