"""In a real browser: a BI administrator adds a schedule (a refused form
first), runs it now, and a real worker process runs it while the run's page
follows its progress to the file it made; every page passes axe-core at
1280 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest
import worker_helpers
from browser import PASSWORD, axe_violations, browser_page, sign_in
from worker_helpers import JOBS_FOR_TESTS, start_worker

from perfreport.jobs.models import Outcome, Run, Schedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

# A real worker process on the test database (tests/worker_helpers.py).
worker_database = worker_helpers.worker_database
test_jobs = worker_helpers.test_jobs


@pytest.fixture
def administrator(transactional_db: None) -> Any:
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant

    user = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD)
    grant(user, "admin")
    return user


def clean(page: Any) -> None:
    assert axe_violations(page) == [], page.url


def fits(page: Any) -> None:
    """Nothing runs off a phone's screen: the page scrolls only down (a wide
    table scrolls inside its own region)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the window"


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_an_administrator_schedules_a_job_and_runs_it_now(
    worker_database,
    live_server,
    administrator,
    test_jobs,
    tmp_path,
    width,
):
    go = tmp_path / "go"
    worker = start_worker(
        worker_database, job_modules=[JOBS_FOR_TESTS], env={"TEST_JOB_WAIT_FOR": str(go)}
    )
    try:
        with browser_page(width) as page:
            sign_in(page, live_server.url, "bi.admin")
            page.get_by_role("link", name="Schedules").click()
            page.wait_for_load_state()
            assert page.get_by_role("heading", level=1).inner_text() == "Schedules"
            clean(page)

            page.get_by_role("link", name="Add a schedule").click()
            page.get_by_label("Test: succeed").check()
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
            clean(page)

            page.get_by_label("Monthly on a day at a time").check()
            page.get_by_label("Day of the month").fill("32")
            page.get_by_label("Time of day").fill("6.30")
            page.get_by_role("button", name="Add the schedule").click()
            page.wait_for_load_state()
            assert page.get_by_role("alert").inner_text().startswith("There is a problem")
            assert page.get_by_label("Day of the month").input_value() == "32"
            clean(page)

            page.get_by_label("Day of the month").fill("1")
            page.get_by_label("Time of day").fill("06:30")
            page.get_by_role("button", name="Add the schedule").click()
            page.wait_for_load_state()
            assert "On the 1st of each month at 06:30" in page.content()
            clean(page)
            fits(page)

            page.get_by_role("button", name="Run now for Test: succeed").click()
            page.wait_for_load_state()
            run_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
            page.get_by_text("40% done: waiting for the test").wait_for(timeout=30_000)
            assert page.locator("#job-run").inner_text() == "Running."
            clean(page)

            go.touch()
            page.get_by_text(f"Finished: Wrote result.txt for run {run_id}").wait_for(
                timeout=20_000
            )
            download_link = page.get_by_role("link", name="Download the file")
            download_link.wait_for(timeout=5_000)
            clean(page)
            with page.expect_download() as download:
                download_link.click()
            assert download.value.suggested_filename == "result.txt"

            page.get_by_role("link", name="Runs", exact=True).first.click()
            page.get_by_label("Outcome").select_option("ok")
            page.get_by_role("button", name="Show").click()
            page.wait_for_load_state()
            assert f"#{run_id}" in page.content()
            clean(page)
    finally:
        worker.stop()

    run = Run.objects.get()
    assert run.pk == run_id
    assert run.outcome == Outcome.OK and run.requested_by == administrator
    assert Schedule.objects.get().cron == "30 6 1 * *"
