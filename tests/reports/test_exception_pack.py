"""The exception pack: its sections and sentences in the PDF's text, each
format opening, drafted commentary marked as such, and the public pack
showing published figures and published action updates only."""

from __future__ import annotations

import io
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook
from pack_plan import PERIOD, build_plan
from pypdf import PdfReader

from perfreport.core.periods import parse_period
from perfreport.data.models import Commentary, Observation
from perfreport.data.versions import bump_data_version
from perfreport.registry.models import PlanAction, PlanItem
from perfreport.reports.context import ReportSettings
from perfreport.reports.pack import pack_context
from perfreport.reports.pack_formats import render_pack
from perfreport.reports.service import ReportError

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(imported_example):
    return build_plan()


def pack(**options):
    return pack_context(parse_period(PERIOD), ReportSettings(), **options)


def pdf_text(document: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=document, capture_output=True, check=True
    ).stdout.decode()


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_every_section_and_says_why_each_item_is_there(plan, tmp_path):
    document = render_pack(pack(), "pdf")

    text = squeezed(pdf_text(document))
    for heading in ("Summary", "What needs attention", "What went well", "The plan’s status",
                    "Appendix: every other indicator"):  # fmt: skip
        assert heading in text
    assert (
        "17 indicators reported for Quarter 2 2020/21: 4 items need attention and 3 went well; "
        "the other 11 are in the appendix." in text
    )
    assert (
        "Why it is here: Rated Red in Sep 2020: 71.0% against a target of 90.0%; and action A1 "
        "“Clear the FOI backlog” was due on 31 August 2020 and is 40% complete." in text
    )
    assert "Why it is here: Rated Red in 2019/20: 3 stars against a target of 4 stars." in text
    assert "Why it is here: Rated Blue in Sep 2020: 85.9% against a target of 80.0%." in text
    assert "Why it is here: Action A3 “Train every manager” was due on 31 July 2020" in text
    assert "Priority P1: Connected places" in text
    assert "Red: the worst of its" in text
    path = tmp_path / "pack.pdf"
    path.write_bytes(document)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "Title:           Exception pack: Performance report: Quarter 2 2020/21" in info.stdout
    catalog = PdfReader(path).trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert "pdfuaid:part" in catalog["/Metadata"].get_object().get_data().decode()


def test_worst_comes_first_and_every_other_indicator_is_in_the_appendix(plan):
    context = pack()

    assert [e.ref for e in context.attention] == ["182", "183", "188", "A3"]
    assert [e.ref for e in context.went_well] == ["190", "192", "196"]
    assert [r.ref for r in context.appendix] == [
        "180", "181", "184", "185", "186", "187", "189", "191", "193", "194", "195",
    ]  # fmt: skip


def test_an_indicator_with_no_commentary_shows_the_drafted_one_marked_as_drafted(plan):
    Commentary.objects.filter(indicator__ref="183").delete()
    bump_data_version()

    entry = next(e for e in pack().attention if e.ref == "183")
    text = squeezed(pdf_text(render_pack(pack(), "pdf")))

    assert entry.commentary_drafted
    assert entry.commentary and "63.0%" in " ".join(entry.commentary)
    assert "Drafted commentary: none was written; perfreport drafted this from the figures" in text


def test_linked_actions_show_their_status_and_progress(plan):
    entry = next(e for e in pack().attention if e.ref == "182")

    (action,) = entry.actions
    assert (action.ref, action.status, action.tag) == ("A1", "Overdue", "red")
    assert action.reason == "Overdue: due on 31 August 2020 and 40% complete."
    assert action.note == "Two officers recruited."


def test_a_pack_for_one_directorate_leaves_out_actions_serving_no_indicator(plan):
    context = pack(directorate="corporate services")

    assert "A3" not in [e.ref for e in context.attention]
    assert context.report.cover.directorate == "Corporate Services"


def test_with_no_plan_the_pack_says_so(imported_example):
    PlanAction.objects.all().delete()
    PlanItem.objects.all().delete()

    context = pack()
    text = squeezed(pdf_text(render_pack(context, "pdf")))

    assert context.plan == ()
    assert "No council plan is recorded" in text


def test_a_period_with_no_values_is_refused_with_the_periods_that_have_them(imported_example):
    with pytest.raises(ReportError, match="no indicator has a value at or before 2010/11 Q1"):
        pack_context(parse_period("2010/11 Q1"), ReportSettings())


def test_the_html_word_and_excel_packs_hold_the_same_items(plan):
    context = pack()

    html = render_pack(context, "html").decode()
    word = Document(io.BytesIO(render_pack(context, "docx")))
    workbook = load_workbook(io.BytesIO(render_pack(context, "xlsx")))

    assert '<h2 id="pack-attention-heading">What needs attention</h2>' in html
    assert (
        "Why it is here:</strong> Rated Red in 2019/20: 3 stars against a target of 4 stars."
        in html
    )
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Summary", "What needs attention", "Indicator 182: Freedom of Information requests completed on time"]  # fmt: skip
    rows = list(workbook["Pack"].iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["182", "183", "188", "A3", "190", "192", "196"]
    assert len(list(workbook["Appendix"].iter_rows())) == 12  # header and 11


# -- the public pack -----------------------------------------------------------


def test_the_public_pack_never_shows_a_draft_figure_or_a_draft_action_update(plan):
    from perfreport.data.models import ActionUpdate
    from perfreport.registry.periods import period_fields

    Observation.objects.filter(indicator__ref="180", period=PERIOD).update(
        is_draft=True, value=Decimal("42.42")
    )
    ActionUpdate.objects.create(
        action=PlanAction.objects.get(ref="A2"), state="submitted",
        percent_complete=Decimal("5"), note="DRAFTNOTE-pack",
        **period_fields(parse_period(PERIOD)),
    )  # fmt: skip
    bump_data_version()

    staff = pdf_text(render_pack(pack(), "pdf"))
    public = pdf_text(render_pack(pack(published_only=True), "pdf"))

    assert "42.42%" in staff and "DRAFTNOTE-pack" in staff
    assert "42.42" not in public and "DRAFTNOTE-pack" not in public
    assert "Published figures only." in public
    assert "Published figures only." not in staff


# -- statistical process control, from the indicator's own history ---------------


def history(ref: str, values: list[str]) -> None:
    """GIVEN ``ref``'s monthly values from January 2019 to September 2020 (21)."""
    from perfreport.registry.models import Indicator, Organisation
    from perfreport.registry.periods import period_fields

    indicator = Indicator.objects.get(ref=ref)
    home = Organisation.objects.get(is_home=True)
    months = [f"{year}-{month:02d}" for year in (2019, 2020) for month in range(1, 13)][:21]
    assert len(values) == len(months)
    for month, value in zip(months, values, strict=True):
        Observation.objects.update_or_create(
            indicator=indicator, organisation=home, **period_fields(parse_period(month)),
            defaults={"value": Decimal(value), "is_draft": False},
        )  # fmt: skip
    bump_data_version()


def test_special_causes_and_failing_assurance_put_an_indicator_in_its_section(plan):
    history("191", ["84.0", "84.5"] * 10 + ["95.0"])  # Calls answered: target 85.0%
    history("194", ["88.0", "89.0"] * 10 + ["70.0"])  # IT incidents: target 90.0%
    history("195", ["80.0", "80.5"] * 10 + ["95.0"])  # IT requests: target 90.0%

    context = pack()
    items = {e.ref: e for e in (*context.attention, *context.went_well)}

    assert items["191"] in context.went_well
    assert items["191"].sentence == (
        "Rated Blue in Sep 2020: 95.0% against a target of 85.0%; and its latest value is a "
        "special cause of improvement on its SPC chart."
    )
    assert items["194"].reasons == ("Red", "Special cause of concern")
    assert items["194"].sentence == (
        "Rated Red in Sep 2020: 70.0% against a target of 90.0%; and its latest value is a "
        "special cause of concern on its SPC chart."
    )
    # The process sits below its target, however good the latest value: it needs attention.
    assert items["195"] in context.attention
    assert items["195"].reasons == ("Failing assurance", "Blue", "Special cause of improvement")
    assert items["195"].sentence.startswith(
        "On its SPC chart the process will consistently fall short of its target; "
    )


def test_a_forecast_to_miss_its_milestone_needs_attention_and_says_by_when(plan):
    from perfreport.registry.models import Indicator, Target
    from perfreport.registry.periods import period_fields

    history("187", ["60.0", "60.5"] * 10 + ["60.2"])  # Staff engagement, level
    Target.objects.create(
        indicator=Indicator.objects.get(ref="187"), kind="milestone", value=Decimal("75"),
        **period_fields(parse_period("2021-03")),
    )  # fmt: skip
    bump_data_version()

    entry = next(e for e in pack().attention if e.ref == "187")

    assert entry.reasons == ("Forecast to miss",)
    assert entry.sentence.startswith("It is forecast to miss its target of 75.0% by Mar 2021 (a ")
    assert entry.sentence.endswith("% chance of meeting it).")
