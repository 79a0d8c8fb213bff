"""The reports pages: a published report's link gives its size once it has
been made (it is kept until the data or the day change), and the report form
shows that the report is being made (the button disabled, "Making the
report…" read out), with or without JavaScript the file still downloads."""

from __future__ import annotations

import re

import pytest
from browser import axe_violations, browser_page, session_browser
from django.test import Client

from perfreport.web.opendata import size_words

Q2 = "2020/21 Q2"


def sizes(html: str) -> dict[str, str]:
    """The published list's links with a size: {format name: size}."""
    return dict(
        re.findall(
            r'>([A-Za-z ()]+)<span class="visually-hidden"> report for Quarter 2 2020/21</span> <span class="file-size">\(([^)]+)\)</span>',
            html,
        )
    )


@pytest.mark.django_db
def test_a_report_link_gives_its_size_once_the_report_is_made(imported_example: None) -> None:
    client = Client()
    assert sizes(client.get("/public/reports/").content.decode()) == {}

    response = client.get("/public/reports/download", {"period": Q2, "format": "xlsx"})
    assert response.status_code == 200

    shown = sizes(client.get("/public/reports/").content.decode())
    assert list(shown.values()) == [size_words(len(response.content))]


@pytest.mark.django_db
def test_the_download_tells_the_form_it_has_begun_with_the_token_it_was_given(
    imported_example: None,
) -> None:
    client = Client()
    query = {"period": Q2, "format": "xlsx"}

    told = client.get("/public/reports/download", {**query, "download_token": "k2x9a0"})
    untold = Client().get("/public/reports/download", query)
    bad = Client().get("/public/reports/download", {**query, "download_token": "<x>"})

    assert told.status_code == untold.status_code == bad.status_code == 200
    assert told.cookies["report_ready"].value == "k2x9a0"
    assert told.cookies["report_ready"]["samesite"] == "Lax"
    assert "report_ready" not in untold.cookies and "report_ready" not in bad.cookies


@pytest.fixture
def cache_cleared():
    from django.core.cache import cache

    cache.clear()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_form_says_the_report_is_being_made_then_that_it_is_ready(
    live_server, imported_example, cache_cleared
) -> None:
    with browser_page(390) as page:
        page.goto(f"{live_server.url}/public/reports/")
        page.get_by_label("PDF").check()
        button = page.get_by_role("button", name="Download the report")
        status = page.locator(".busy")
        assert status.is_hidden()

        # What the form shows as it is sent, noted by a listener that runs
        # after the page's own: a report already made may arrive before the
        # test could look.
        page.evaluate(
            """() => document.querySelector('form.report-form').addEventListener('submit', () => {
                const form = document.querySelector('form.report-form');
                window.seenOnSubmit = [form.querySelector('button').disabled,
                                       form.querySelector('.busy').textContent];
            })"""
        )
        with page.expect_download() as info:
            button.click()
        assert page.evaluate("window.seenOnSubmit") == [True, "Making the report…"]
        assert status.get_attribute("aria-live") == "polite"
        assert axe_violations(page) == []
        assert info.value.suggested_filename.endswith(".pdf")
        page.wait_for_function("!document.querySelector('form.report-form button').disabled")
        assert status.inner_text().startswith("The report is ready")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_period_with_an_error_shows_the_error_page_as_without_javascript(
    live_server, imported_example, cache_cleared
) -> None:
    with browser_page(1280) as page:
        page.goto(f"{live_server.url}/public/reports/")
        page.get_by_label("Period").fill("2020/21 Q9")
        page.get_by_role("button", name="Download the report").click()
        page.wait_for_selector(".error-summary")

        assert "quarters run Q1 to Q4" in page.locator(".error-summary").inner_text()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_form_downloads_the_report(
    live_server, imported_example, cache_cleared
) -> None:
    with session_browser() as browser:
        context = browser.new_context(java_script_enabled=False, accept_downloads=True)
        try:
            page = context.new_page()
            page.goto(f"{live_server.url}/public/reports/")
            page.get_by_label("Excel").check()
            with page.expect_download() as info:
                page.get_by_role("button", name="Download the report").click()
            assert info.value.suggested_filename.endswith(".xlsx")
        finally:
            context.close()
