"""The exception pack's HTML passes axe-core's WCAG 2.2 A and AA rules in a
real browser, on a desktop and on a phone."""

from __future__ import annotations

import pytest
from pack_plan import PERIOD, build_plan
from test_html_accessibility import axe_violations

from perfreport.core.periods import parse_period
from perfreport.reports.context import ReportSettings
from perfreport.reports.pack import pack_context
from perfreport.reports.pack_formats import render_pack

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_pack_has_no_axe_violations(imported_example, tmp_path, width):
    build_plan()
    context = pack_context(parse_period(PERIOD), ReportSettings())
    path = tmp_path / "pack.html"
    path.write_bytes(render_pack(context, "html"))

    violations = axe_violations(path, width)

    summary = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})"
        for v in violations
    ]
    assert summary == []
