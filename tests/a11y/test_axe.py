"""axe-core in Chromium: zero WCAG 2.2 AA and best-practice violations on every public page."""

import pytest

from tests.conftest import ROOT
from tests.helpers import report, visit

pytestmark = [pytest.mark.browser, pytest.mark.node]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return {
    version: axe.version,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + " – " + (n.failureSummary || "").replace(/\\s+/g, " ")),
    })),
  };
}"""


def test_axe_reports_no_violations_on_any_public_page(new_context, public_pages):
    # axe has to be injected as an inline script, which the site's CSP (scripts only from
    # our own files) rightly refuses. bypass_csp lifts the policy for this context only, so
    # the test page can run axe; every other browser test runs under the real policy.
    context = new_context(bypass_csp=True)
    page = context.new_page()
    source = AXE.read_text(encoding="utf-8")
    failures = []
    for entry, _response in visit(page, public_pages, failures):
        page.add_script_tag(content=source)
        result = page.evaluate(RUN_AXE, TAGS)
        for violation in result["violations"]:
            nodes = "\n    ".join(violation["nodes"])
            failures.append(
                f"{entry.label} {entry.path}: [{violation['impact']}] {violation['id']}: "
                f"{violation['help']}\n    {nodes}"
            )
    assert not failures, report(f"axe-core {TAGS}", failures)
