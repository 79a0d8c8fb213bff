"""The HTML report passes axe-core's WCAG 2.2 A and AA rules in a real browser."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import browser_page

from perfreport.core.periods import parse_period
from perfreport.data.selectors import evaluate_period
from perfreport.reports.charts import ChartRenderer
from perfreport.reports.context import ReportSettings, build_context
from perfreport.reports.html import render_html

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(path: Path, width: int) -> list[dict]:
    assert AXE.exists(), f"{AXE} is missing: `make install` installs axe-core"
    with browser_page(width) as page:  # in the session's Chromium (tests/web/browser.py)
        page.goto(path.as_uri())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES
        )
    return result["violations"]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_seed_report_has_no_axe_violations(imported_example, tmp_path, width):
    context = build_context(evaluate_period(parse_period("2020/21 Q2")), ReportSettings())
    path = tmp_path / "report.html"
    path.write_text(render_html(context, ChartRenderer()), encoding="utf-8")

    violations = axe_violations(path, width)

    summary = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in violations
    ]
    assert summary == []
