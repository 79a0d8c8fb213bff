"""Open data: the page, and the published values and indicator definitions as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from perfreport.data.models import Observation
from perfreport.registry.models import Indicator, Organisation

pytestmark = pytest.mark.django_db

Q2 = "2020/21 Q2"


VALUE_COLUMNS = [
    "ref", "title", "period", "period_in_words", "value", "withheld", "unit", "unit_label",
    "numerator", "denominator", "target", "rating", "change", "commentary", "actions",
]  # fmt: skip
INDICATOR_COLUMNS = [
    "ref", "title", "description", "unit", "unit_label", "decimals", "polarity", "frequency",
    "directorate", "service", "source", "national_code",
]  # fmt: skip


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def csv_rows(client, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(client.get(f"/open-data/{name}.csv")))))


def json_file(client, name: str) -> dict:
    return json.loads(body(client.get(f"/open-data/{name}.json")))


def test_the_page_explains_the_files_to_everyone(client, imported_example):
    response = client.get("/open-data/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "The data are published by Cambridgeshire County Council under the" in html
    assert "Draft values are left out until they are published." in html
    for name in ("values", "indicators"):
        for fmt in ("csv", "json"):
            assert f'href="/open-data/{name}.{fmt}"' in html
    for column in (*VALUE_COLUMNS, *INDICATOR_COLUMNS):
        assert f"<code>{column}</code>" in html
    assert 'aria-current="page">Open data' in html


def test_values_csv_is_streamed_with_every_published_home_value(client, imported_example):
    response = client.get("/open-data/values.csv")

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="values.csv"'
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[0] == VALUE_COLUMNS
    assert len(rows) - 1 == Observation.objects.count()
    first, second, third = rows[1:4]
    assert first[:10] == [
        "180", "Premises with access to superfast broadband", "2019/20 Q4", "Quarter 4 2019/20",
        "97.66", "", "percent", "", "", "",
    ]  # fmt: skip
    assert second[2:5] == ["2020/21 Q1", "Quarter 1 2020/21", "97.78"]
    assert third[2:5] == [Q2, "Quarter 2 2020/21", "97.83"]


def test_values_json_holds_the_same_records_as_numbers(client, imported_example):
    response = client.get("/open-data/values.json")

    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(body(response))
    assert data["published_by"] == "Cambridgeshire County Council"
    assert len(data["values"]) == len(csv_rows(client, "values"))
    assert data["values"][2] == {
        "ref": "180",
        "title": "Premises with access to superfast broadband",
        "period": Q2,
        "period_in_words": "Quarter 2 2020/21",
        "value": 97.83,
        "withheld": None,
        "unit": "percent",
        "unit_label": "",
        "numerator": None,
        "denominator": None,
        **{
            k: data["values"][2][k] for k in ("target", "rating", "change", "commentary", "actions")
        },
    }
    assert data["licence"] == {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    }


def test_numerators_and_denominators_are_published(client, imported_example):
    Observation.objects.filter(indicator__ref="180", period=Q2).update(
        numerator=Decimal("1000"), denominator=Decimal("1022.2")
    )

    row = next(r for r in csv_rows(client, "values") if r["ref"] == "180" and r["period"] == Q2)
    record = next(r for r in json_file(client, "values")["values"] if r["period"] == Q2)

    assert (row["numerator"], row["denominator"]) == ("1000", "1022.2")
    assert (record["numerator"], record["denominator"]) == (1000, 1022.2)


def test_draft_values_never_appear(client, imported_example):
    Observation.objects.filter(indicator__ref="180", period=Q2).update(
        is_draft=True, value=Decimal("42.42")
    )

    csv_text = body(client.get("/open-data/values.csv"))
    json_text = body(client.get("/open-data/values.json"))

    assert "42.42" not in csv_text + json_text
    assert f"180,Premises with access to superfast broadband,{Q2}" not in csv_text
    assert "2020/21 Q1,Quarter 1 2020/21,97.78" in csv_text


def test_other_organisations_values_are_not_this_councils_open_data(client, imported_example):
    peer = Organisation.objects.create(code="E10000015", name="Hertfordshire")
    Observation.objects.create(
        indicator=Indicator.objects.get(ref="180"),
        organisation=peer,
        frequency="quarterly",
        first_month=2020 * 12 + 6,
        last_month=2020 * 12 + 8,
        period=Q2,
        value=Decimal("12.34"),
    )

    assert "12.34" not in body(client.get("/open-data/values.csv"))


def test_indicators_csv_and_json_describe_every_indicator(client, imported_example):
    rows = csv_rows(client, "indicators")
    data = json_file(client, "indicators")

    assert list(rows[0]) == INDICATOR_COLUMNS
    assert len(rows) == len(data["indicators"]) == Indicator.objects.count() == 17
    first = data["indicators"][0]
    assert first["ref"] == rows[0]["ref"] == "180"
    assert (first["unit"], first["decimals"], first["polarity"], first["frequency"]) == (
        "percent",
        2,
        "higher",
        "quarterly",
    )
    assert (first["directorate"], first["service"]) == (
        "Corporate Services",
        "Digital Infrastructure",
    )
    assert rows[0]["description"].startswith("This indicator shows the percentage")


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/secrets.csv",
        "/open-data/values.pdf",
        "/open-data/values.CSV",
    ],
)
def test_an_unknown_file_is_a_404_that_names_what_exists(client, imported_example, path):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 404
    assert "There is no open data file called" in html
    assert 'href="/open-data/values.csv"' in html
    assert 'href="/open-data/indicators.json"' in html


def test_with_nothing_imported_the_files_hold_only_their_headers(client, db):
    assert body(client.get("/open-data/values.csv")) == ",".join(VALUE_COLUMNS) + "\n"
    assert json_file(client, "values")["values"] == []
    assert json_file(client, "indicators")["indicators"] == []
    assert client.get("/open-data/").status_code == 200
