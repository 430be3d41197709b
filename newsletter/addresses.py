"""Pure helpers for addresses, hashes, IP truncation and tokens. No database, no clock.

The address rule lives here and nowhere else: what `normalise` returns is stored, shown
in the consent record and given, unchanged, to RCPT TO and the To header.
"""

import hashlib
import hmac
import ipaddress
import re
import smtplib
import unicodedata
from email.errors import HeaderParseError, MessageError
from email.headerregistry import Address
from email.utils import parseaddr
from enum import StrEnum

import idna
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address
from email_validator import EmailNotValidError, validate_email

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
MAX_LENGTH = 254  # RFC 5321: the longest path a mail server must accept
MAX_LOCAL_OCTETS = 64  # RFC 5321 4.5.3.1.1, counted in octets as sent

# An RFC 2047 encoded word ("=?utf-8?q?...?=", "=?UTF-8?B?...?="). Legal characters in a
# local part, but mail libraries decode them on the way out, so the mailbox that gets the
# mail would differ from the one stored. Anything shaped like one is refused.
ENCODED_WORD = re.compile(r"=\?.*\?=", re.DOTALL)


class Problem(StrEnum):
    """Why an address is refused; the form turns each into its own Swedish message."""

    FORMAT = "format"
    TOO_LONG = "too_long"
    LOCAL_TOO_LONG = "local_too_long"
    NON_ASCII_LOCAL = "non_ascii_local"


class InvalidAddress(ValueError):
    def __init__(self, problem: Problem = Problem.FORMAT):
        super().__init__(problem)
        self.problem = problem


def normalise(raw: str) -> str:
    """The address as stored, compared and mailed; raises InvalidAddress.

    Lower case throughout (real mailboxes do not distinguish case, and two rows for
    "Anna@x.se" and "anna@x.se" would mail the same person twice); an internationalised
    domain in its ASCII (punycode) form, which is what goes over SMTP. The local part must
    be ASCII: many mail servers do not offer SMTPUTF8, and without it "åsa@" cannot be
    delivered at all.
    """
    raw = (raw or "").strip()
    if not raw:
        raise InvalidAddress(Problem.FORMAT)
    if len(raw) > MAX_LENGTH:
        raise InvalidAddress(Problem.TOO_LONG)
    if any(unicodedata.category(char)[0] in "CZ" for char in raw) or ENCODED_WORD.search(raw):
        # Control, format (zero-width, bidi) and space characters, and encoded words.
        raise InvalidAddress(Problem.FORMAT)
    local, at, _domain = raw.rpartition("@")
    if not at or not local:
        raise InvalidAddress(Problem.FORMAT)
    if not local.isascii():
        raise InvalidAddress(Problem.NON_ASCII_LOCAL)
    if len(local.encode()) > MAX_LOCAL_OCTETS:
        raise InvalidAddress(Problem.LOCAL_TOO_LONG)
    try:
        result = validate_email(
            raw,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
            strict=True,
        )
    except EmailNotValidError as exc:
        raise InvalidAddress(Problem.FORMAT) from exc
    address = f"{result.local_part}@{result.ascii_domain}".lower()
    if len(address) > MAX_LENGTH:
        raise InvalidAddress(Problem.TOO_LONG)
    if not mailed_unchanged(address):
        raise InvalidAddress(Problem.FORMAT)
    return address


def mailed_unchanged(address: str) -> bool:
    """True if every way the address is read on its way out gives back the same string.

    The sender writes the stored address into the To header and gives it to smtplib as
    the envelope recipient, which quotes it with `smtplib.quoteaddr`; the development and
    test backends go through Django's EmailMessage, whose envelope and To header come
    from `sanitize_address`. The standard library's header parser stands for the mail
    server reading the To header.
    """
    try:
        envelope = smtplib.quoteaddr(address)
        django_envelope = sanitize_address(address, "utf-8")
        django_header = EmailMessage(to=[address]).message()["To"]
        parsed = Address(addr_spec=address).addr_spec
    except (ValueError, IndexError, TypeError, HeaderParseError, MessageError):
        return False
    return (
        envelope == f"<{address}>"
        and django_envelope == django_header == parsed == address
        and parseaddr(address) == ("", address)
    )


def display(address: str) -> str:
    """A stored address for people to read: the domain in Unicode (räksmörgås.se)."""
    local, _at, domain = address.rpartition("@")
    try:
        return f"{local}@{idna.decode(domain)}"
    except idna.IDNAError:
        return address


def mailbox_key(address: str) -> str:
    """The mailbox a stored address reaches, for limits: "name+tag@x.se" is "name@x.se".

    Only plus tags (and case, already folded): dots are significant almost everywhere
    outside Gmail, and guessing at a provider's other rules would merge real people.
    """
    local, _at, domain = address.rpartition("@")
    base = local.split("+", 1)[0] or local
    return f"{base}@{domain}"


def domain_of(address: str) -> str:
    return address.rpartition("@")[2]


def _hash_key() -> bytes:
    key = getattr(settings, "NEWSLETTER_HASH_KEY", "")
    if key:
        return key.encode()
    # Without its own key, derive one from SECRET_KEY (rotating that key would then
    # make old suppression entries unmatchable; production sets NEWSLETTER_HASH_KEY).
    return hashlib.sha256(b"newsletter.suppression:" + settings.SECRET_KEY.encode()).digest()


def address_hash(address: str) -> str:
    """Keyed hash of a normalised address: matches a later import, cannot be read back."""
    return hmac.new(_hash_key(), address.encode(), hashlib.sha256).hexdigest()


def truncate_ip(ip: str) -> str:
    """IPv4 to its /24 and IPv6 to its /48 network, as evidence that is not a personal address."""
    try:
        addr = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    if addr.version == 6 and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))


def confirm_token(subscriber_id: int, nonce: str) -> str:
    return signing.dumps([subscriber_id, nonce], salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str, *, max_age) -> tuple[int, str]:
    """(subscriber id, nonce); raises signing.BadSignature (SignatureExpired when too old)."""
    return _read(token, CONFIRM_SALT, max_age)


def unsubscribe_token(subscriber_id: int, key: str) -> str:
    return signing.dumps([subscriber_id, key], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    # No max age: the link in an issue from last year must still work (RFC 8058).
    return _read(token, UNSUBSCRIBE_SALT, None)


def _read(token: str, salt: str, max_age) -> tuple[int, str]:
    if not token or len(token) > 300:
        raise signing.BadSignature("bad token")
    value = signing.loads(token, salt=salt, max_age=max_age)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise signing.BadSignature("bad payload")
    return value[0], value[1]


def scrub(text: str, address: str) -> str:
    """An SMTP error text without the recipient's address (servers like to echo it)."""
    text = str(text or "")
    if address:
        text = re.sub(re.escape(address), "<mottagare>", text, flags=re.IGNORECASE)
    text = re.sub(r"[^\s<>@]+@[^\s<>@]+", "<adress>", text)
    return text[:300]
