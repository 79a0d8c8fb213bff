"""/api/docs (Swagger UI) in a real browser: it passes axe's WCAG 2.2 A/AA
rules at 1280 and 390 pixels wide like every other page, with a language, a
main landmark and a heading of its own, once Swagger UI has drawn the operations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from browser import axe_violations, browser_page

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_has_a_language_a_main_landmark_and_a_heading(client) -> None:
    response = client.get("/api/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en-GB">' in html
    assert '<main id="main"' in html
    assert "<h1>perfreport API: documentation</h1>" in html
    assert 'id="swagger-ui"' in html


@pytest.mark.parametrize("width", [1280, 390])
def test_the_api_docs_meet_wcag_2_2_aa(live_server, width: int) -> None:
    with browser_page(width) as page:
        page.goto(f"{live_server.url}/api/docs")
        page.wait_for_selector(".opblock", timeout=20000)  # Swagger UI has drawn the operations

        assert page.locator("main > h1").inner_text() == "perfreport API: documentation"
        assert page.locator("main").count() == 1
        assert axe_violations(page) == []
