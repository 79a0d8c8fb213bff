"""The reports and open data pages in a real browser: a member of staff
downloads a PDF, and every page passes axe's WCAG 2.2 A/AA rules on a desktop
and on a phone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser import axe_violations, browser_page, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("PERFREPORT_SCREENSHOTS", "/tmp"))


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()  # the data version starts again in each test's database


@pytest.fixture
def site(transactional_db, imported_example, staff_user, live_server):
    return live_server.url


def test_staff_choose_pdf_and_download_the_report(site, tmp_path):
    """GIVEN a signed-in member of staff WHEN they open Reports, choose PDF and
    download THEN they get the quarter's report as a PDF file."""
    with browser_page(1280) as page:
        sign_in(page, site)
        page.get_by_role("link", name="Reports", exact=True).click()
        page.get_by_label("PDF").check()
        with page.expect_download() as info:
            page.get_by_role("button", name="Download the report").click()
        download = info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)

    assert download.suggested_filename == "performance-report-2020-21-q2.pdf"
    assert saved.read_bytes().startswith(b"%PDF")


def test_a_bad_period_moves_focus_to_the_error_summary(site):
    with browser_page(1280) as page:
        sign_in(page, site)
        page.goto(f"{site}/reports/")
        page.get_by_label("Period").fill("2020/21 Q9")
        page.get_by_role("button", name="Download the report").click()
        page.wait_for_load_state()

        # autofocus runs once the page is shown: wait for it rather than race it
        page.wait_for_function("document.activeElement.classList.contains('error-summary')")
        focused = page.evaluate("document.activeElement.className")
        page.screenshot(path=str(SCREENSHOTS / "perfreport-reports-error-1280.png"))
        page.get_by_role("link", name="quarters run Q1 to Q4").click()
        target = page.evaluate("document.activeElement.id")
        violations = axe_violations(page)

    assert focused == "error-summary"
    assert target == "id_period"
    assert violations == []


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    ("path", "staff"),
    [
        pytest.param("/reports/", True, id="reports"),
        pytest.param("/public/reports/", False, id="public_reports"),
        pytest.param("/open-data/", False, id="open_data"),
    ],
)
def test_the_pages_pass_axe_at_desktop_and_phone_widths(site, path, staff, width):
    with browser_page(width) as page:
        if staff:
            sign_in(page, site)
        page.goto(f"{site}{path}")
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(SCREENSHOTS / f"perfreport-{name}-{width}.png"), full_page=True)
        violations = axe_violations(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )

    assert violations == []
    assert not overflow, "the page scrolls sideways"
