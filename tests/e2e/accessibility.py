"""axe-core (the npm package, pinned in frontend/package-lock.json) run inside a
Playwright page: the accessibility rules a screen-reader or keyboard user trips on.

The script is evaluated through the DevTools protocol, which the page's CSP does
not govern, so the page is checked under its real policy.
"""

from functools import cache

from playwright.sync_api import Page

from tests.integration.servers import ROOT

AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")

RUN = """
async (impacts) => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((violation) => impacts.includes(violation.impact))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      where: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}
"""


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page) -> list[dict]:
    """Violations of critical or serious impact on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source() + "\n;0")
    return page.evaluate(RUN, list(BLOCKING))
