"""The minimal scorecard page: the same evaluation as the CLI, in HTML."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_every_indicator_for_the_quarter_of_the_latest_value(client, imported_example):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Scorecard: Quarter 2 2020/21" in html
    assert html.count("<tr>") == 18  # header and 17 indicators
    assert "83.4% is 7.3% below the 90.0% target" in html


def test_it_marks_a_printed_rating_that_differs(client, imported_example):
    html = client.get("/", {"period": "2020/21 Q2"}).content.decode()

    assert "printed Amber" in html
    assert html.count("no rating printed") == 1  # 190


def test_a_bad_period_shows_a_notice_not_an_error(client, imported_example):
    response = client.get("/", {"period": "2020/21 Q9"})

    assert response.status_code == 200
    assert "quarters run Q1 to Q4" in response.content.decode()


def test_with_no_data_it_says_how_to_import(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "perfreport import" in response.content.decode()
