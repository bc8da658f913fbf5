"""Shared checks for the browser tests: axe-core (WCAG 2.1 AA) and "no page wider than the screen"."""

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": 390, "laptop": 1366, "desktop": 1920}
BLOCKING = ("serious", "critical")

# Containers that scroll their own content sideways (data tables, month strips); what is inside them may be
# wider than the screen, the page itself may not.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1)
    problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p); if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') return true; }
    return false; };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if ((r.right > width + 1 || r.left < -1) && !scrolls(el) && !el.closest('.sr-only')) {
      problems.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className || ''} spans ${Math.round(r.left)}–${Math.round(r.right)}px`);
      if (problems.length > 5) break;
    }
  }
  return problems;
}"""


def overflow(page) -> list[str]:
    """What sticks out of the window sideways, outside the boxes that scroll (data tables); empty when none."""
    return page.evaluate(_OVERFLOW_JS)


def axe_available() -> bool:
    if AXE.exists():
        return True
    message = f"axe-core is not installed at {AXE}: run `npm ci` (make install does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
    return False


def axe_violations(page) -> list[str]:
    """Serious and critical WCAG 2.1 A/AA violations on the page, one line each (rule, what to fix, where)."""
    axe_available()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                             resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
        }"""
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in result if v["impact"] in BLOCKING]
