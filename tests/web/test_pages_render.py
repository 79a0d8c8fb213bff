"""Every page type renders, and no template syntax leaks into what people see
(a Django {# #} comment spans one line only; a longer one is printed)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

STAFF = ["/scorecard/", "/indicators/180/", "/reports/"]
PUBLIC = ["/public/", "/public/indicators/180/", "/public/reports/", "/open-data/",
          "/accounts/login/", "/api/docs"]  # fmt: skip


@pytest.mark.parametrize("url", STAFF + PUBLIC)
def test_the_page_renders_without_template_syntax(staff_client, imported_example, url):
    response = staff_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    for leaked in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert leaked not in html, (url, leaked, html[max(0, html.find(leaked) - 80) :][:200])


def test_the_404_page_renders_without_template_syntax(client, imported_example):
    response = client.get("/public/indicators/NOPE/")

    assert response.status_code == 404
    assert "{#" not in response.content.decode() and "NOPE" in response.content.decode()


def test_a_null_character_is_refused_before_any_query(staff_client, imported_example):
    """PostgreSQL refuses NUL in text: it must never reach a query. Pages say
    so their own way: the reports form as a form error."""
    page = staff_client.get("/reports/download", {"period": "2020/21 Q2", "directorate": "a\x00"})
    api = staff_client.get("/api/indicators", {"directorate": "a\x00b"})

    assert page.status_code == 400 and "There is a problem" in page.content.decode()
    assert api.status_code == 422
    assert api.json()["detail"][0]["msg"] == "must not contain a null character"
