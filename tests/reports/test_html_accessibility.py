"""The HTML report passes axe-core's WCAG 2.2 A and AA rules in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfreport.core.periods import parse_period
from perfreport.data.selectors import evaluate_period
from perfreport.reports.charts import ChartRenderer
from perfreport.reports.context import ReportSettings, build_context
from perfreport.reports.html import render_html

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(path: Path, width: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    assert AXE.exists(), f"{AXE} is missing: `make install` installs axe-core"
    assert CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: `make install` installs it"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(path.as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES
            )
        finally:
            browser.close()
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
