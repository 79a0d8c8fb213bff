"""The Content-Security-Policy in a real browser: nothing the pages need is
refused by it, the pages' own scripts run under it, and an injected inline
script does not."""

from __future__ import annotations

import pytest
from browser import PASSWORD, browser_page, sign_in
from django.core.cache import cache

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PAGES = ["/public/", "/public/indicators/180/", "/scorecard/", "/indicators/180/", "/reports/",
         "/open-data/", "/api/docs"]  # fmt: skip


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def refusals(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security" in m.text else None)
    return found


def test_the_pages_load_everything_they_need_under_the_policy(live_server, staff_user, imported_example):  # fmt: skip
    with browser_page() as page:
        refused = refusals(page)
        sign_in(page, live_server.url)
        for url in PAGES:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")

        page.locator(".swagger-ui .opblock").first.wait_for()  # the Swagger UI ran
    assert refused == []


def test_the_admin_loads_everything_it_needs_under_the_policy(live_server, imported_example):
    from django.contrib.auth.models import User

    User.objects.create_superuser("bi-admin", "bi@example.org", PASSWORD)
    with browser_page() as page:
        refused = refusals(page)
        sign_in(page, live_server.url, "bi-admin")
        for url in ["/admin/", "/admin/registry/indicator/", "/admin/api/apitoken/add/"]:
            page.goto(f"{live_server.url}{url}")
            page.wait_for_load_state("networkidle")
    assert refused == []


def test_an_injected_inline_script_does_not_run(live_server, imported_example):
    with browser_page() as page:
        refused = refusals(page)
        page.goto(f"{live_server.url}/public/")
        page.evaluate(
            """() => { const s = document.createElement("script");
                       s.textContent = "document.body.dataset.injected = 'yes'";
                       document.body.append(s); }"""
        )

        assert page.evaluate("() => document.body.dataset.injected") is None
    assert any("script-src" in text for text in refused)
