"""No inline script, style attribute or event handler in any page: the strict CSP holds
without nonces, so cached pages stay valid."""

import re

from tests.helpers import client_fetch, report

INLINE = [
    (
        re.compile(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
        ),
        "inline <script>",
    ),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I), "javascript: URL"),
]


def test_no_page_carries_inline_code(client, pages_for_client):
    failures = []
    for entry in pages_for_client:
        response = client_fetch(client, entry, follow=True)
        html = response.content.decode()
        for pattern, what in INLINE:
            for match in pattern.finditer(html):
                failures.append(f"{entry.label} {entry.path}: {what}: {match.group(0)[:100]}")
    assert not failures, report("inline code the CSP would block", failures)
