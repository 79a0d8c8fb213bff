"""A value with a unit label and a withheld value on the pages: the public
indicator page prints "£4.2m" and shows "c" as published, not rated, with a
gap in the chart; the scorecard and the .json twin agree (issue 12, items 5 and 7)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from labelled import labelled_folder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def labelled(db, tmp_path):
    from perfreport.imports.service import import_path

    import_path(labelled_folder(tmp_path / "data"))


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def test_the_public_page_prints_the_value_with_its_label(client, labelled):
    html = page(client, "/public/indicators/F1/?period=2020/21 Q2")

    assert '<dd class="headline__figure">£4.2m</dd>' in html
    assert '<dd class="headline__figure">£4.5m</dd>' in html  # the target
    assert '<td class="num">£4.1m</td>' in html  # Q1, in the history
    assert "Pounds (£), in millions of pounds (£m), shown to 1 decimal place" in html


def test_the_public_page_shows_a_withheld_value_as_published(client, labelled):
    """GIVEN "c" published for Q2 after 12 in Q1
    WHEN the public open the indicator's page for Q2
    THEN the headline is "c", with no rating and the reason, the history has
    "c" for Q2 and 12 for Q1, and 12 is never shown as Q2's figure."""
    html = page(client, "/public/indicators/C1/?period=2020/21 Q2")

    assert '<dd class="headline__figure">c</dd>' in html
    assert "Withheld as published (&quot;c&quot;): not rated." in html
    assert "Not compared: withheld" in html
    assert '<td class="num">c</td>' in html
    assert '<td class="num">12</td>' in html
    assert '<dd class="headline__figure">12</dd>' not in html
    assert "withheld as published, so not charted: Q2 2020/21" in html  # the chart's words
    assert "Fewer than five: withheld to protect the children." in html


def test_the_json_twin_carries_the_label_and_the_withheld_text(client, labelled):
    spend = client.get("/public/indicators/F1.json?period=2020/21 Q2").json()
    adoptions = client.get("/public/indicators/C1.json?period=2020/21 Q2").json()

    assert spend["display_value"] == "£4.2m"
    assert spend["unit_label"] == "£m"
    assert adoptions["withheld"] == "c"
    assert adoptions["value"] is None
    assert adoptions["rag"] is None
    history = {line["period"]: line for line in adoptions["history"]}
    assert history["2020/21 Q2"]["withheld"] == "c"
    assert history["2020/21 Q2"]["value"] is None
    assert history["2020/21 Q1"]["value"] == 12


def test_the_public_scorecard_shows_both_as_printed(client, labelled):
    html = page(client, "/public/?period=2020/21 Q2")

    assert "£4.2m" in html
    assert "11.9 days" in html
    assert ">c<" in html


def test_open_data_keeps_the_withheld_text_and_the_label(client, labelled):
    values = b"".join(client.get("/open-data/values.csv").streaming_content).decode()
    indicators = b"".join(client.get("/open-data/indicators.csv").streaming_content).decode()

    assert values.splitlines()[0].startswith(
        "ref,title,period,period_in_words,value,withheld,unit,unit_label"
    )
    assert "C1,Adoptions within 12 months,2020/21 Q2,Quarter 2 2020/21,,c,count," in values
    assert "F1,Net revenue spend,2020/21 Q2,Quarter 2 2020/21,4.2,,currency,£m" in values
    assert "F1,Net revenue spend,,currency,£m," in indicators
