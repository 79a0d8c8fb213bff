"""A round collects one month of each monthly indicator: its page names the
earlier months of the quarter that have no figure, so they can be imported
before publishing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from round_helpers import entry_of

from perfreport.data.models import Observation
from perfreport.data.selectors import home_organisation

pytestmark = pytest.mark.django_db


def banner(html: str) -> str:
    start = html.index('id="months-missing-heading"')
    return html[start : html.index("</div>", start)]


def test_the_round_page_names_the_months_of_the_quarter_with_no_figure(
    client, personas, open_round
):
    entry = entry_of(open_round, "191")
    assert entry.period == "2020-12"
    client.force_login(personas.lead)

    html = client.get(f"/rounds/{open_round.pk}/").content.decode()

    found = banner(html)
    assert f'href="#entry-{entry.pk}">191 {entry.indicator.title}</a>: no figure for ' in found
    assert "October 2020, November 2020" in found


def test_a_month_with_a_figure_is_not_named(client, personas, open_round):
    entry = entry_of(open_round, "191")
    Observation.objects.create(
        indicator=entry.indicator,
        organisation=home_organisation(),
        frequency="monthly",
        first_month=entry.first_month - 2,
        last_month=entry.first_month - 2,
        value=Decimal("80"),
    )
    client.force_login(personas.lead)

    html = client.get(f"/rounds/{open_round.pk}/").content.decode()

    line = banner(html)[banner(html).index("191 ") :]
    line = line[: line.index("</li>")]
    assert "November 2020" in line and "October 2020" not in line
