"""The "report" job: the report asked for, written to the run's output, with
its progress said at each stage; a report that cannot be made fails in
words. The job function is run here as the worker runs it (run_now and a
recording context); tests/web/test_report_runs_browser.py runs it in a real
worker process."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader

from perfreport.jobs.models import Outcome, Run, Trigger
from perfreport.jobs.registry import JobContext
from perfreport.jobs.runs import output_file, run_now
from perfreport.registry.periods import read_period
from perfreport.reports.report_job import ReportRequest, make_report, report_params

Q2 = read_period("2020/21 Q2")


@pytest.fixture
def chart_cache(tmp_path, monkeypatch):
    """An empty chart cache of the test's own, so that every chart is drawn."""
    folder = tmp_path / "charts"
    monkeypatch.setenv("PERFREPORT_CACHE_DIR", str(folder))
    return folder


class Recording(JobContext):
    """The context the worker gives a job, noting each progress it is told."""

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.said: list[tuple[int, str]] = []

    def progress(self, percent: int, note: str = "") -> None:
        self.said.append((percent, note))
        super().progress(percent, note)


def recorded_run(request: ReportRequest) -> Recording:
    run = Run.objects.create(
        job="report", params=report_params(request), trigger=Trigger.ON_DEMAND,
        outcome=Outcome.RUNNING,
    )  # fmt: skip
    return Recording(run)


@pytest.mark.django_db
def test_the_report_is_written_to_the_run_s_output_and_read_back(
    imported_example, chart_cache
) -> None:
    run = run_now(
        "report",
        report_params(ReportRequest(Q2, "pdf", "performance-report-2020-21-q2.pdf")),
        trigger=Trigger.ON_DEMAND,
    )

    assert run.outcome == Outcome.OK, run.error
    path = output_file(run)
    assert path is not None and path.name == "performance-report-2020-21-q2.pdf"
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Quarter 2" in text and "Superfast broadband" in text
    assert run.summary.startswith("performance-report-2020-21-q2.pdf (")
    assert (run.progress, run.progress_note) == (100, "Done")


@pytest.mark.django_db
def test_it_says_each_stage_evaluating_drawing_charts_n_of_n_setting_the_pages_done(
    imported_example, chart_cache
) -> None:
    context = recorded_run(ReportRequest(Q2, "pdf", "report.pdf"))

    make_report(context)

    notes = [note for _, note in context.said]
    assert notes[0] == "Evaluating the indicators"
    assert notes[1] == "Drawing charts: 0 of 17"
    assert "Drawing charts: 17 of 17" in notes
    assert notes[-2:] == ["Setting the pages", "Done"]
    percents = [percent for percent, _ in context.said]
    assert percents == sorted(percents) and percents[-1] == 100


@pytest.mark.django_db
def test_charts_drawn_already_are_not_drawn_again_nor_counted(
    imported_example, chart_cache
) -> None:
    make_report(recorded_run(ReportRequest(Q2, "pdf", "first.pdf")))
    again = recorded_run(ReportRequest(Q2, "html", "second.html"))

    make_report(again)

    assert [note for _, note in again.said] == [
        "Evaluating the indicators",
        "Writing the web page",
        "Done",
    ]


@pytest.mark.django_db
def test_a_directorate_s_exception_pack_in_word(imported_example, chart_cache) -> None:
    request = ReportRequest(Q2, "docx", "pack.docx", directorate="Corporate Services",
                            pack="exceptions")  # fmt: skip
    run = run_now("report", report_params(request), trigger=Trigger.ON_DEMAND)

    assert run.outcome == Outcome.OK, run.error
    document = Document(io.BytesIO(output_file(run).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Corporate Services" in text and "exception pack" in text


@pytest.mark.django_db
def test_a_report_that_cannot_be_made_fails_in_plain_words(imported_example) -> None:
    params = report_params(ReportRequest(read_period("2010/11 Q1"), "pdf", "old.pdf"))

    run = run_now("report", params, trigger=Trigger.ON_DEMAND)

    assert run.outcome == Outcome.FAILED
    assert run.error.startswith("No indicator has a value at or before 2010/11 Q1; values exist")
    assert "Traceback" not in run.error and output_file(run) is None


@pytest.mark.django_db
def test_a_format_it_does_not_know_fails_naming_it(imported_example) -> None:
    params = {**report_params(ReportRequest(Q2, "pdf", "x.pdf")), "format": "odt"}

    run = run_now("report", params, trigger=Trigger.ON_DEMAND)

    assert (run.outcome, run.error) == (Outcome.FAILED, "There is no report format called 'odt'.")
