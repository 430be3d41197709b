"""Pure helpers for addresses, hashes, IP truncation and tokens. No database, no clock."""

import hashlib
import hmac
import ipaddress
import re

from django.conf import settings
from django.core import signing
from email_validator import EmailNotValidError, validate_email

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


class InvalidAddress(ValueError):
    pass


def normalise(raw: str) -> str:
    """The address as stored and compared: validated without DNS, Unicode-normalised, lower case.

    email-validator does the syntax and normalisation (IDNA, NFC, domain case); we also
    lower-case the local part because real mailboxes do not distinguish case and two rows
    for "Anna@x.se" and "anna@x.se" would mail the same person twice.
    """
    raw = (raw or "").strip()
    if not raw or len(raw) > 254 or "\x00" in raw:
        raise InvalidAddress(raw)
    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidAddress(raw) from exc
    return result.normalized.lower()


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
