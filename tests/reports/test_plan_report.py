"""GIVEN the example's indicators under a small plan (tests/report_plan_builders.py),
THEN the report's plan section shows the priorities with their roll-up, then
each outcome with its indicators and actions, in PDF, HTML, Word and Excel;
the Key states the roll-up rule; with no plan there is no plan section.

The documents are read back with poppler (pdftotext, pdftoppm), python-docx
and openpyxl, never with the code that wrote them. The PDF's pages are also
drawn to /tmp/plan-report/ to be looked at.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from report_helpers import seed_settings
from report_plan_builders import PERIOD, PROGRESS, build_plan
from test_pdf import pdftotext, squash, structure

from perfreport.core.periods import parse_period
from perfreport.reports.charts import ChartRenderer
from perfreport.reports.context import SECTIONS, ReportContext
from perfreport.reports.service import render, report_context

pytestmark = pytest.mark.django_db

PICTURES = Path("/tmp/plan-report")


@pytest.fixture(scope="module")
def charts() -> ChartRenderer:
    return ChartRenderer(None)


def plan_context(**settings: Any) -> ReportContext:
    chosen = seed_settings(**{"produced_on": date(2020, 12, 16), "sections": SECTIONS, **settings})
    return report_context(parse_period(PERIOD), chosen, published_only=True)


@pytest.fixture(scope="module")
def documents(
    charts: ChartRenderer, django_db_setup: None, django_db_blocker: Any
) -> dict[str, bytes]:
    """The report with the plan in every format, made once for the module
    (the tests only read them), in a transaction rolled back once made."""
    from django.db import transaction
    from test_pdf import EXAMPLE

    from perfreport.data.evaluations import forget_evaluations
    from perfreport.imports.service import import_path

    with django_db_blocker.unblock(), transaction.atomic():
        import_path(EXAMPLE)
        build_plan()
        forget_evaluations()
        context = plan_context()
        made = {fmt: render(context, fmt, charts) for fmt in ("pdf", "html", "docx", "xlsx")}
        transaction.set_rollback(True)
    forget_evaluations()
    return made


@pytest.fixture(scope="module")
def pdf(documents: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan-pdf") / "plan.pdf"
    path.write_bytes(documents["pdf"])
    return path


def plan_pages(pdf: Path) -> list[int]:
    """The pages (from 1) from the plan's heading to the first indicator's page."""
    pages = [squash(p.extract_text() or "") for p in PdfReader(pdf).pages]
    first = next(n for n, text in enumerate(pages) if "Plan: priorities and outcomes Each" in text)
    last = next(n for n, text in enumerate(pages) if n > first and " Indicator 180:" in text)
    return list(range(first + 1, last + 1))


# -- PDF ---------------------------------------------------------------------------


def test_the_pdf_shows_the_priorities_with_their_roll_up(pdf):
    text = squash(pdftotext(pdf, layout=False))

    assert "Plan: priorities and outcomes" in text
    assert "as at 30 September 2020" in text
    assert "Priority P1: A connected county" in text
    assert "Priority P2: A well-run council" in text
    # worst of: A2 is overdue under P1, so P1 is Red; A3 at risk under P2
    assert "✖ Red Red: the worst of its" in text
    assert "Lead: Director of Digital" in text
    assert "Actions: 1 At risk" in text


def test_the_pdf_shows_each_outcome_with_its_indicators_and_actions(pdf):
    text = squash(pdftotext(pdf, layout=False))

    for heading in (
        "Outcome O1.1: Everyone can get online",
        "Sub-outcome O1.1.1: Digital skills",
        "Outcome O1.2: Answer residents quickly",
        "Outcome O2.1: Requests answered on time",
    ):
        assert heading in text
    assert "Key result" in text  # indicator 180's type
    assert "Action A1: Roll out gigabit vouchers" in text
    assert "Project A2: Replace the phone system" in text
    assert "Overdue: due on 31 August 2020 and 60% complete." in text
    assert "At risk: due on 15 October 2020, within 30 days, and 20% complete" in text
    assert "Not started: it starts on 1 November 2020." in text
    assert "Milestone: Scheme launched, due 30 June 2020: Done on 15 June 2020" in text
    assert "Milestone: Half the vouchers issued, due 31 December 2020: Not due yet" in text
    assert f"Progress ({PERIOD}): {PROGRESS}" in text
    assert "Actions serving no outcome" in text
    assert "Action A5: Publish the data strategy" in text
    assert "Complete on 1 September 2020." in text


def test_the_pdf_key_states_the_roll_up_rule_and_the_action_statuses(pdf):
    text = squash(pdftotext(pdf, layout=False))

    assert "Plan status The status of a priority or outcome is the worst rating among" in text
    assert "Due within 30 days and behind schedule" in text


def test_the_pdf_with_a_plan_stays_tagged_with_headings_in_order(pdf):
    tags, _ = structure(pdf)
    assert tags["/H4"] >= 1  # the sub-outcome, under its outcome's H3
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    outline = [o.title for o in PdfReader(pdf).outline if not isinstance(o, list)]
    assert "Plan: priorities and outcomes" in outline


def test_the_plan_pages_are_drawn_to_be_looked_at(pdf, documents):
    PICTURES.mkdir(parents=True, exist_ok=True)
    for old in PICTURES.glob("*.png"):
        old.unlink()
    pages = plan_pages(pdf)
    key_page = next(
        n + 1
        for n, page in enumerate(PdfReader(pdf).pages)
        if "Plan status" in (page.extract_text() or "")
    )
    for number in [key_page, *pages]:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", str(number), "-l", str(number), str(pdf),
             str(PICTURES / f"page-{number:02d}")],
            check=True,
        )  # fmt: skip
    assert len(list(PICTURES.glob("*.png"))) == len(pages) + 1
    (PICTURES / "report.html").write_bytes(documents["html"])  # to look at in a browser


# -- HTML, Word, Excel ----------------------------------------------------------------


def test_the_html_has_the_plan_under_its_own_headings(documents):
    html = documents["html"].decode()

    assert '<h2 id="plan-heading">Plan: priorities and outcomes</h2>' in html
    assert '<h3 id="plan-p1">Priority P1: A connected county</h3>' in html
    assert '<h4 id="plan-o1-1">Outcome O1.1: Everyone can get online</h4>' in html
    assert '<h5 id="plan-o1-1-1">Sub-outcome O1.1.1: Digital skills</h5>' in html
    assert "Overdue: due on 31 August 2020 and 60% complete." in html
    assert '<a href="#plan">Plan: priorities and outcomes</a>' in html
    assert "The status of a priority or outcome is the worst rating" in html


def test_the_word_document_has_real_headings_for_the_plan(documents):
    doc = Document(io.BytesIO(documents["docx"]))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Head")]

    assert ("Heading 1", "Plan: priorities and outcomes") in headings
    assert ("Heading 2", "Priority P1: A connected county") in headings
    assert ("Heading 3", "Outcome O2.1: Requests answered on time") in headings
    assert ("Heading 4", "Sub-outcome O1.1.1: Digital skills") in headings
    assert ("Heading 2", "Plan status") in headings  # in the Key
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert any("Overdue: due on 31 August 2020" in c for c in cells)
    assert any(c.startswith("▲ At risk") for c in cells)


def test_the_workbook_has_a_plan_sheet_of_typed_cells(documents):
    book = load_workbook(io.BytesIO(documents["xlsx"]))
    sheet = book["Plan"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]

    indicators = [r for r in rows if r["row"] == "indicator"]
    actions = [r for r in rows if r["row"] == "action"]
    # 181 is in two outcomes: a row in each
    assert {(r["outcome_ref"], r["ref"]) for r in indicators} == {
        ("O1.1", "180"), ("O1.1", "181"), ("O1.2", "190"), ("O1.2", "181"),
        ("O2.1", "182"), ("O2.1", "183"),
    }  # fmt: skip
    a2 = next(r for r in actions if r["ref"] == "A2")
    assert a2["status"] == "Overdue"
    assert a2["percent_complete"] == 60
    assert isinstance(a2["due"], datetime) and a2["due"].date() == date(2020, 8, 31)
    assert a2["outcome_ref"] == "O1.2" and a2["priority_ref"] == "P1"
    a5 = next(r for r in actions if r["ref"] == "A5")
    assert a5["outcome_ref"] is None and a5["status"] == "Complete"
    value = next(r for r in indicators if r["ref"] == "180")["value"]
    assert isinstance(value, float)
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") for row in sheet.iter_rows()
        for c in row
    )  # fmt: skip
    rollup = book["Plan roll-up"]
    statuses = {row[0].value: row[4].value for row in rollup.iter_rows(2)}
    assert statuses["P1"] == "Red" and statuses["O1.1"] == "Amber"


# -- when there is no plan, or it is not asked for -------------------------------------


def test_with_no_plan_the_report_has_no_plan_heading(imported_example, charts):
    from perfreport.registry.models import PlanAction, PlanItem

    PlanAction.objects.all().delete()
    PlanItem.objects.all().delete()
    context = plan_context()

    assert context.plan is None
    pdf_text = squash(
        subprocess.run(
            ["pdftotext", "-", "-"], input=render(context, "pdf", charts), capture_output=True,
            check=True,
        ).stdout.decode()
    )  # fmt: skip
    assert "priorities and outcomes" not in pdf_text and "Plan status" not in pdf_text
    html = render(context, "html", charts).decode()
    assert "plan-heading" not in html and "Plan status" not in html


def test_a_report_without_the_plan_section_leaves_the_rule_out_of_the_key(imported_example, charts):
    build_plan()
    sections = tuple(s for s in SECTIONS if s != "plan")
    context = plan_context(sections=sections)

    assert context.plan is None
    text = render(context, "html", charts).decode()
    assert "Plan status" not in text


def test_the_majority_rule_is_the_one_the_key_states(imported_example):
    build_plan(rule="majority")
    context = plan_context()

    assert context.plan is not None
    assert "is the rating most of its indicators and actions have" in context.plan.rule_words
    p1 = context.plan.priorities[0]
    assert p1.sentence.startswith(f"{p1.status.label}: the rating most of its")


def test_a_public_report_shows_published_action_progress_only(imported_example):
    """GIVEN an action with a draft update for the period only, THEN the public
    report shows the action as published, never the draft's percentage."""
    from perfreport.core.workflow import EntryState
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.models import PlanAction
    from perfreport.registry.periods import read_period

    build_plan()
    draft = ActionUpdate(
        action=PlanAction.objects.get(ref="A3"),
        state=EntryState.DRAFT.value,
        percent_complete=55,
        note="A draft note no one has approved",
    )
    draft.set_period(read_period(PERIOD))
    draft.save()
    context = plan_context()

    assert context.plan is not None
    a3 = next(a for a in context.plan.actions() if a.ref == "A3")
    assert a3.percent == "20%"  # as the action's published state has it, not the draft's 55%
    assert "draft note" not in a3.note


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_html_report_with_the_plan_has_no_axe_violations(documents, tmp_path, width):
    from test_html_accessibility import axe_violations

    path = tmp_path / "report.html"
    path.write_bytes(documents["html"])

    violations = axe_violations(path, width)

    assert [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in violations] == []


def test_the_plan_section_reads_the_same_queries_however_many_actions(imported_example):
    """GIVEN ten more actions with milestones, THEN making the report's
    context takes no more queries: no query an action."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from perfreport.data.evaluations import forget_evaluations
    from perfreport.registry.models import Milestone, PlanAction, PlanItem

    build_plan()
    forget_evaluations()
    with CaptureQueriesContext(connection) as before:
        plan_context()
    outcome = PlanItem.objects.get(ref="O2.1")
    for n in range(10):
        action = PlanAction.objects.create(ref=f"X{n}", title=f"More {n}", due=date(2021, 1, 1))
        action.outcomes.add(outcome)
        Milestone.objects.create(action=action, title="First", due=date(2020, 8, 1))
    forget_evaluations()
    with CaptureQueriesContext(connection) as after:
        context = plan_context()

    assert context.plan is not None and len(list(context.plan.actions())) == 15
    assert len(after.captured_queries) == len(before.captured_queries)


def test_the_example_s_own_plan_prints_stars_with_their_unit(imported_example: None) -> None:
    """The example's plan links 188 (stars): with no unit header above the
    plan's tables, its figures say what they count."""
    from perfreport.data.plan import build_plan as load
    from perfreport.reports.plan_section import plan_section

    view = load(parse_period(PERIOD), public=True)
    section = plan_section(view, [row.indicator.ref for row in view.indicators.values()])
    assert section is not None
    rows = [
        row
        for priority in section.priorities
        for item in _walk(priority)
        for row in item.indicators
        if row.ref == "188"
    ]
    assert rows and {(r.value, r.target) for r in rows} == {("3 stars", "4 stars")}


def _walk(item: Any) -> Any:
    yield item
    for child in item.children:
        yield from _walk(child)
