"""A round asks for every month of the quarter that a monthly indicator has
no value for: its page lists each month as an entry of its own, so no
warning about earlier months is needed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from round_helpers import DEADLINE, ROUND_PERIOD, TODAY

from perfreport.data.models import Observation
from perfreport.data.selectors import home_organisation
from perfreport.registry.models import Indicator
from perfreport.registry.periods import period_fields, read_period
from perfreport.rounds import services

pytestmark = pytest.mark.django_db


def rows_of(html: str, ref: str) -> list[str]:
    """The round page's rows for indicator ``ref``, as HTML."""
    rows = html.split('<tr id="entry-')[1:]
    return [row[: row.index("</tr>")] for row in rows if f"<td>{ref}</td>" in row]


def test_the_round_page_lists_each_month_of_the_quarter_with_no_figure(
    client, personas, open_round
):
    client.force_login(personas.lead)

    html = client.get(f"/rounds/{open_round.pk}/").content.decode()

    rows = rows_of(html, "191")
    assert len(rows) == 3
    for row, month in zip(rows, ("October 2020", "November 2020", "December 2020"), strict=True):
        assert f'<td class="nowrap">{month}</td>' in row
    assert "months-missing-heading" not in html
    assert "Earlier months with no figure" not in html


def test_a_month_with_a_figure_is_not_asked_for(client, personas, actors):
    Observation.objects.create(
        indicator=Indicator.objects.get(ref="191"),
        organisation=home_organisation(),
        **period_fields(read_period("2020-10")),
        value=Decimal("80"),
    )
    opened = services.open_round(actors["admin"], read_period(ROUND_PERIOD), DEADLINE, today=TODAY)
    client.force_login(personas.lead)

    html = client.get(f"/rounds/{opened.pk}/").content.decode()

    rows = rows_of(html, "191")
    assert len(rows) == 2
    assert "November 2020" in rows[0] and "December 2020" in rows[1]
    assert not [row for row in rows if "October 2020" in row]
