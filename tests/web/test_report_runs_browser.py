"""In a real browser, with a real ``perfreport worker`` process: a member of
staff asks for a big report on the Reports page, follows its page (a polite
live region brought up to date by the page's script, or by the page
followed without JavaScript by its Look again link) to the link, and downloads the PDF,
read back with pypdf; a report that fails says why; each state passes
axe-core."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import worker_helpers
from browser import axe_violations, browser_page, session_browser, sign_in
from pypdf import PdfReader
from worker_helpers import start_worker

from perfreport.jobs.models import Outcome, Run, Trigger
from perfreport.jobs.runs import enqueue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

worker_database = worker_helpers.worker_database  # a real worker's database (fixture)

# What the status region said, in order: noted by the page as it changes.
NOTE_CHANGES = """() => {
  window.said = [document.getElementById('report-run').innerText.trim()];
  new MutationObserver(() => window.said.push(
    document.getElementById('report-run').innerText.trim()
  )).observe(document.getElementById('report-run'), {childList: true, subtree: true});
}"""


@pytest.fixture
def big(settings: Any) -> None:
    """The seed's 17 indicators count as a big report."""
    settings.PERFREPORT_REPORTS_IN_BACKGROUND_FROM = 10
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def worker(worker_database: Any, tmp_path: Any) -> Any:
    """A worker with a chart cache of the test's own (empty: it draws every chart)."""
    process = start_worker(worker_database, env={"PERFREPORT_CACHE_DIR": str(tmp_path / "c")})
    yield process
    process.stop()


def clean(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def test_a_big_report_is_made_by_the_worker_and_downloaded_from_its_page(
    worker, live_server, imported_example, staff_user, big
) -> None:
    with browser_page(1280) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/reports/")
        page.get_by_label("PDF").check()
        page.get_by_role("button", name="Download the report").click()
        page.wait_for_url("**/reports/made/*/")
        page.evaluate(NOTE_CHANGES)
        region = page.get_by_role("status")
        assert region.get_attribute("aria-live") == "polite"
        assert page.get_by_role("heading", level=1).inner_text() == "Your report"
        clean(page)  # waiting or making

        page.get_by_text("The report is ready.").wait_for(timeout=60_000)
        said = page.evaluate("window.said")
        assert said[0].startswith(("Waiting for the background worker", "Making the report"))
        assert said[-1].startswith("The report is ready.")
        assert page.locator("#report-run-progress").is_hidden()
        clean(page)
        with page.expect_download() as info:
            page.get_by_role("link", name="Download the report").click()
        assert info.value.suggested_filename == "performance-report-2020-21-q2.pdf"
        pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))

        page.get_by_role("link", name="Make another report").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Full report for 2020/21 Q2, PDF").is_visible()
        clean(page)  # the Reports page with its list of the person's reports

    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Superfast broadband" in text and len(pdf.pages) > 17
    [run] = Run.objects.filter(job="report")
    assert run.outcome == Outcome.OK and run.worker.endswith(f"pid {worker.process.pid}")
    assert run.requested_by == staff_user


def test_without_javascript_the_reader_looks_again_until_the_report_is_ready(
    worker, live_server, imported_example, staff_user, big
) -> None:
    with session_browser() as browser:
        context = browser.new_context(java_script_enabled=False, accept_downloads=True)
        try:
            page = context.new_page()
            sign_in(page, live_server.url)
            page.goto(f"{live_server.url}/reports/")
            page.get_by_label("Excel").check()
            page.get_by_role("button", name="Download the report").click()
            page.wait_for_url("**/reports/made/*/")
            # No timed reload (WCAG 2.2.1): the reader looks again when they choose.
            for _ in range(120):
                if "The report is ready." in page.content():
                    break
                page.get_by_role("link", name="Look again").click()
                page.wait_for_timeout(500)
            page.get_by_text("The report is ready.").wait_for(timeout=5_000)
            with page.expect_download() as info:
                page.get_by_role("link", name="Download the report").click()
            assert info.value.suggested_filename.endswith(".xlsx")
        finally:
            context.close()


def test_a_report_that_fails_says_why_and_passes_axe(
    worker, live_server, imported_example, staff_user, big
) -> None:
    params = {"period": "2010/11 Q1", "format": "pdf", "filename": "old.pdf"}
    run = enqueue("report", params, trigger=Trigger.ON_DEMAND, requested_by=staff_user)
    failed = worker.wait_for_run(run.pk)
    assert failed.outcome == Outcome.FAILED

    with browser_page(390) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/reports/made/{run.pk}/")

        assert page.title().startswith("Error: Your report")
        assert (
            "No indicator has a value at or before 2010/11 Q1"
            in page.get_by_role("status").inner_text()
        )
        clean(page)


def test_a_report_waiting_long_for_a_worker_offers_to_make_it_at_once_and_passes_axe(
    live_server, imported_example, staff_user
) -> None:
    """GIVEN a report asked for two minutes ago and no worker running
    THEN its page says the worker may not be running and offers the
    download at once, which works."""
    from datetime import timedelta

    from django.utils import timezone

    run = Run.objects.create(
        job="report", trigger=Trigger.ON_DEMAND, requested_by=staff_user,
        queued_at=timezone.now() - timedelta(minutes=2),
        params={"period": "2020/21 Q2", "format": "xlsx", "filename": "report.xlsx"},
    )  # fmt: skip

    with browser_page(1280) as page:
        sign_in(page, live_server.url)
        page.goto(f"{live_server.url}/reports/made/{run.pk}/")

        assert "the background worker may not be running" in page.get_by_role("status").inner_text()
        clean(page)
        with page.expect_download() as info:
            page.get_by_role("link", name="make it now, in this page, instead").click()
        assert info.value.suggested_filename.endswith(".xlsx")
