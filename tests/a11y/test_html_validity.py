"""The Nu Html Checker (vnu-jar) on the HTML every public page sends: zero errors.

vnu refuses loopback URLs, so the HTML the live server sent to Chromium is saved to files and
checked in one JVM run for all pages.
"""

import json
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT
from tests.helpers import report, visit

pytestmark = [pytest.mark.browser, pytest.mark.java]

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_nu_html_checker_reports_no_errors_on_any_public_page(new_context, public_pages, tmp_path):
    page = new_context().new_page()
    failures = []
    files = {}
    for number, (entry, response) in enumerate(visit(page, public_pages, failures)):
        name = f"{number:02d}-{re.sub(r'[^a-z0-9]+', '-', entry.label.lower()).strip('-')}.html"
        (tmp_path / name).write_text(response.text(), encoding="utf-8")
        files[name] = entry
    assert files, report("no page could be loaded", failures)

    result = subprocess.run(
        [shutil.which("java") or "java", "-jar", str(VNU), "--errors-only", "--format", "json"]
        + sorted(str(tmp_path / name) for name in files),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr.
    messages = json.loads(result.stderr or result.stdout)["messages"]
    for message in messages:
        name = message.get("url", "").rsplit("/", 1)[-1]
        entry = files.get(name)
        where = f"{entry.label} {entry.path}" if entry else name
        failures.append(
            f"{where}: line {message.get('lastLine', '?')}: {message.get('type')}: "
            f"{message.get('message')} [{message.get('extract', '').strip()}]"
        )
    assert not failures, report("Nu Html Checker errors", failures)
