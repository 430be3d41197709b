"""Common misspellings of the mail providers people in Sweden use ("Menade du …?").

A fixed table and an edit distance, nothing looked up over the network. A suggestion is
only ever a question; the visitor may keep what they typed.
"""

from .addresses import display, domain_of

# Providers a misspelling is corrected to.
PROVIDERS = (
    "gmail.com",
    "hotmail.com",
    "hotmail.se",
    "outlook.com",
    "live.se",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.se",
    "icloud.com",
    "me.com",
    "telia.com",
    "bredband.net",
    "comhem.se",
    "tele2.se",
    "bahnhof.se",
    "spray.se",
    "protonmail.com",
)
# Real domains that look like a misspelled provider: never "corrected".
KNOWN = frozenset(
    (
        *PROVIDERS,
        "mail.com",
        "email.com",
        "gmx.com",
        "gmx.se",
        "gmx.net",
        "gmx.de",
        "aol.com",
        "proton.me",
        "yahoo.de",
        "yahoo.co.uk",
        "hotmail.co.uk",
        "live.co.uk",
        "outlook.de",
        "telia.se",
        "tele2.com",
    )
)
# Top-level domains nobody has mail at, and what was meant.
TLD_SLIPS = {
    "con": "com",
    "cmo": "com",
    "ocm": "com",
    "vom": "com",
    "xom": "com",
    "cpm": "com",
    "coom": "com",
    "comm": "com",
    "conm": "com",
    "cm": "com",
    "c0m": "com",
    "co": "com",
    "om": "com",
    "nte": "net",
    "ner": "net",
    "ent": "net",
    "sw": "se",
    "ssee": "se",
    "see": "se",
}
# Misspellings the distance rule cannot reach (a whole other top-level domain).
FIXED = {"gmail.se": "gmail.com", "icloud.se": "icloud.com", "telia.nu": "telia.com"}


def suggest_correction(address: str) -> str | None:
    """The address with its domain corrected, or None when it looks right."""
    domain = domain_of(address)
    if domain in KNOWN:
        return None
    corrected = FIXED.get(domain) or _closest_provider(domain)
    if corrected is None or corrected == domain:
        return None
    return display(f"{address.rpartition('@')[0]}@{corrected}")


def _closest_provider(domain: str) -> str | None:
    name, _dot, tld = domain.rpartition(".")
    tld = TLD_SLIPS.get(tld, tld)
    best, best_distance, tie = None, None, False
    for provider in PROVIDERS:
        provider_name, _dot, provider_tld = provider.rpartition(".")
        if provider_tld != tld:
            continue
        distance = _distance(name, provider_name)
        if distance > _allowed_distance(provider_name):
            continue
        if best_distance is None or distance < best_distance:
            best, best_distance, tie = provider, distance, False
        elif distance == best_distance:
            tie = True
    return None if tie else best


def _allowed_distance(name: str) -> int:
    # Short names are one letter away from many real domains (lime.se, live.se).
    if len(name) < 5:
        return 0
    return 1 if len(name) < 7 else 2


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one (gmial, gmail)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
