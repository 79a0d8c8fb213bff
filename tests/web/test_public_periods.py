"""Periods on the public pages, as a resident reads and moves between them:
in words ("August 2020", "Quarter 2 2020/21"), with previous and next links
and a picker of the periods that have published figures, and a notice (not
an empty table) when the period asked for has none."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from perfreport.core.periods import parse_period
from perfreport.data.models import Observation

pytestmark = pytest.mark.django_db

SEED_QUARTERS = ["2020/21 Q2", "2020/21 Q1", "2019/20 Q4", "2018/19 Q4"]


def get(url: str, **query: str) -> str:
    response = Client().get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def picker(html: str) -> list[tuple[str, str, bool]]:
    """The period picker's options: (code, words, chosen)."""
    select = html.split('<select class="select" id="f-period" name="period">', 1)[1]
    select = select.split("</select>", 1)[0]
    return [
        (code, words, bool(chosen))
        for code, chosen, words in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


def notices(html: str) -> list[str]:
    return re.findall(r'<div class="notification" role="status">([^<]*)</div>', html)


def test_the_public_scorecard_names_its_periods_in_words(imported_example: None) -> None:
    html = get("/public/")

    assert "Published performance, Quarter 2 2020/21" in html
    row = html[html.index('/public/indicators/191/"') :]
    row = row[: row.index("</tr>")]
    assert "<td>September 2020</td>" in row
    assert "2020-09" not in row


def test_the_picker_lists_only_quarters_with_published_figures_latest_first(
    imported_example: None,
) -> None:
    options = picker(get("/public/"))

    assert [code for code, _, _ in options] == SEED_QUARTERS
    assert options[0] == ("2020/21 Q2", "Quarter 2 2020/21", True)
    assert [words for _, words, _ in options][-1] == "Quarter 4 2018/19"


def test_a_quarter_with_only_draft_figures_is_not_offered_to_the_public(
    imported_example: None, staff_client: Client
) -> None:
    """GIVEN a draft figure for 2020/21 Q3, WHEN the public open the scorecard,
    THEN Q3 is not in their picker, though staff see it in theirs."""
    template = Observation.objects.filter(indicator__ref="180").latest("last_month")
    draft = Observation(
        indicator=template.indicator,
        organisation=template.organisation,
        value=Decimal("99.1"),
        is_draft=True,
    )
    draft.set_period(parse_period("2020/21 Q3"))
    draft.save()

    assert "2020/21 Q3" not in [code for code, _, _ in picker(get("/public/"))]
    staff = staff_client.get("/scorecard/").content.decode()
    assert picker(staff)[0][:2] == ("2020/21 Q3", "Quarter 3 2020/21")
    assert Observation.objects.filter(is_draft=True).count() == 1


def test_previous_and_next_links_go_to_the_quarters_with_figures_keeping_the_filters(
    imported_example: None,
) -> None:
    html = get("/public/", period="2019/20 Q4", rag="green")

    assert (
        '<a href="?period=2018%2F19+Q4&amp;rag=green" rel="prev"><span aria-hidden="true">←</span>'
        ' Previous<span class="visually-hidden"> period</span>: Quarter 4 2018/19</a>'
    ) in html
    assert '<a href="?period=2020%2F21+Q1&amp;rag=green" rel="next">' in html
    # The picker keeps the filters too, as hidden fields of its form.
    assert '<input type="hidden" name="rag" value="green">' in html


def test_the_latest_quarter_has_no_next_link_and_the_first_no_previous(
    imported_example: None,
) -> None:
    assert 'rel="next"' not in get("/public/")
    assert 'rel="prev"' not in get("/public/", period="2018/19 Q4")


def test_a_period_with_no_published_figures_says_so_and_shows_the_one_before(
    imported_example: None,
) -> None:
    html = get("/public/", period="2019/20 Q2")

    assert notices(html) == [
        "No figures are published for Quarter 2 2019/20. Showing Quarter 4 2018/19 instead."
    ]
    assert "Published performance, Quarter 4 2018/19" in html
    assert picker(html)[-1] == ("2018/19 Q4", "Quarter 4 2018/19", True)


def test_a_period_after_every_figure_says_so_and_shows_the_latest(imported_example: None) -> None:
    html = get("/public/", period="2031/32 Q1")

    assert notices(html) == [
        "No figures are published for Quarter 1 2031/32. Showing Quarter 2 2020/21 instead."
    ]
    assert "<tbody>" in html  # the latest figures, not an empty table


def test_a_month_asked_for_is_shown_in_words_and_chosen_in_the_picker(
    imported_example: None,
) -> None:
    html = get("/public/", period="2020-08")

    assert "Published performance, August 2020" in html
    assert ("2020-08", "August 2020", True) in picker(html)
    assert notices(html) == []


def test_the_public_indicator_page_names_its_periods_in_words_and_moves_between_them(
    imported_example: None,
) -> None:
    html = get("/public/indicators/180/", period="2020/21 Q1")

    assert "As at Quarter 1 2020/21" in html
    assert '<th scope="row">Quarter 4 2019/20</th>' in html
    assert '<a href="?period=2020%2F21+Q2" rel="next">' in html
    assert ("2020/21 Q1", "Quarter 1 2020/21", True) in picker(html)
    assert notices(html) == []


def test_an_indicator_with_no_figure_in_the_period_says_so(imported_example: None) -> None:
    html = get("/public/indicators/180/", period="2031/32 Q1")

    assert notices(html) == [
        "No figure is published for this indicator for Quarter 1 2031/32. "
        "The latest before it is shown."
    ]


def test_the_json_twin_gives_the_period_in_words_beside_its_code(imported_example: None) -> None:
    record = Client().get("/public.json", {"period": "2020/21 Q1"}).json()

    assert (record["period"], record["period_in_words"]) == ("2020/21 Q1", "Quarter 1 2020/21")
