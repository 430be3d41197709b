"""vCard 3.0 (RFC 2426) for a contact: UTF-8, CRLF line endings, lines folded at 75 octets.

Version 3.0 rather than 4.0 because it is what the phones practitioners carry import most
reliably; everything used here means the same in both.
"""

from collections.abc import Iterable

CRLF = "\r\n"
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, comma, semicolon and newlines (RFC 2426 §4)."""
    value = (value or "").replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def structured(parts: Iterable[str]) -> str:
    """A structured value (N, ORG): components escaped, then joined by unescaped semicolons."""
    return ";".join(escape_text(p) for p in parts)


def fold_line(line: str) -> str:
    """Fold a content line so no physical line exceeds 75 octets of UTF-8, never splitting a
    character: continuation lines start with one space, which counts towards their 75."""
    out: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, MAX_OCTETS
        current += char
        size += width
    out.append(current)
    return CRLF.join(out)


def _split_name(name: str) -> tuple[str, str]:
    """(family, given): the last word is the family name, as in the NSPM email rule."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    return words[-1], " ".join(words[:-1])


def contact_vcard(contact, *, phones, url: str = "") -> str:
    """The vCard text of one contact. ``phones`` are the contact's Phone objects, in order."""
    family, given = _split_name(contact.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{structured([family, given, '', '', ''])}",
        f"FN:{escape_text(contact.name)}",
    ]
    org = [p for p in (contact.organisation, contact.unit) if p]
    if org:
        lines.append(f"ORG:{structured(org)}")
    if contact.title:
        lines.append(f"TITLE:{escape_text(contact.title)}")
    for phone in phones:
        types = "CELL,VOICE" if phone.kind == phone.Kind.MOBILE else "WORK,VOICE"
        lines.append(f"TEL;TYPE={types}:{phone.e164}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{escape_text(contact.email)}")
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) + CRLF for line in lines)
