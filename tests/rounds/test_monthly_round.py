"""A monthly indicator's round asks for every month of the quarter that has
no value, not only the quarter's last month: the public chart and history go
from September to October, November and December, with no jump.

Indicator 191 (calls answered, monthly) is stored up to September 2020 in the
seed; the round is for 2020/21 Q3."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from round_helpers import DEADLINE, ROUND_PERIOD, TODAY

from perfreport.data.models import Entry, Observation, RoundState
from perfreport.data.selectors import home_organisation
from perfreport.data.snapshots import frozen_for
from perfreport.registry.models import Indicator
from perfreport.registry.periods import period_fields, read_period
from perfreport.rounds import services
from perfreport.rounds.services import EntryInput

pytestmark = pytest.mark.django_db

VALUES = {"2020-10": "91", "2020-11": "92.5", "2020-12": "93"}


def months_of(opened: Any, ref: str = "191") -> list[Entry]:
    return list(
        opened.entries.filter(indicator__ref=ref)
        .select_related("indicator")
        .order_by("first_month")
    )


def stored_months(ref: str = "191") -> list[str]:
    found = Observation.objects.filter(indicator__ref=ref, organisation=home_organisation())
    return list(found.order_by("first_month").values_list("period", flat=True))


def open_q3(actors: dict[str, Any]) -> Any:
    return services.open_round(actors["admin"], read_period(ROUND_PERIOD), DEADLINE, today=TODAY)


def store(period: str, value: str, ref: str = "191") -> None:
    Observation.objects.create(
        indicator=Indicator.objects.get(ref=ref),
        organisation=home_organisation(),
        **period_fields(read_period(period)),
        value=Decimal(value),
    )


def sign_off(actors: dict[str, Any], entries: list[Entry]) -> None:
    """The lead saves a draft, then submits each month; the approver approves it."""
    for entry in entries:
        typed = EntryInput(value=VALUES[entry.period], commentary=f"Calls in {entry.period}")
        saved = services.save_entry(actors["lead"], entry.pk, typed, version=entry.version)
        assert saved.state == "draft"
        submitted = services.save_entry(
            actors["lead"], entry.pk, typed, version=saved.version, submit=True
        )
        assert submitted.state == "submitted"
        assert services.approve_entry(actors["approver"], entry.pk).state == "approved"


def publish(actors: dict[str, Any], opened: Any, keep: list[Entry]) -> None:
    """Publish the round with ``keep`` approved and every other entry not started."""
    opened.entries.exclude(pk__in=[e.pk for e in keep]).update(state="not_started")
    services.publish_round(actors["admin"], opened.pk)
    opened.refresh_from_db()
    assert opened.state == RoundState.PUBLISHED


def history_periods(client: Any) -> list[str]:
    """The periods of the public indicator page's history table, latest first."""
    html = client.get("/public/indicators/191/").content.decode()
    table = html[html.index('<table class="table history">') :]
    table = table[: table.index("</table>")]
    return [row.split("</th>")[0] for row in table.split('<th scope="row">')[1:]]


def test_with_only_september_stored_the_round_asks_for_october_november_and_december(actors):
    assert stored_months()[-1] == "2020-09"  # GIVEN the seed, up to September

    opened = open_q3(actors)

    entries = months_of(opened)
    assert [e.period for e in entries] == ["2020-10", "2020-11", "2020-12"]
    assert {e.state for e in entries} == {"not_started"}
    assert {e.round_id for e in entries} == {opened.pk}


def test_with_october_stored_the_round_asks_for_november_and_december(actors):
    store("2020-10", "90")

    opened = open_q3(actors)

    assert [e.period for e in months_of(opened)] == ["2020-11", "2020-12"]


def test_a_quarterly_indicator_still_has_one_entry(actors):
    opened = open_q3(actors)

    assert [e.period for e in months_of(opened, "180")] == ["2020/21 Q3"]


def test_a_month_another_open_round_collects_is_not_asked_for_twice(actors):
    """GIVEN a monthly round for October 2020 open WHEN the quarter's round
    opens THEN October stays with the monthly round."""
    october = services.open_round(actors["admin"], read_period("2020-10"), DEADLINE, today=TODAY)
    assert [e.period for e in months_of(october)] == ["2020-10"]

    opened = open_q3(actors)

    assert [e.period for e in months_of(opened)] == ["2020-11", "2020-12"]


def test_each_month_is_signed_off_and_published_and_the_public_page_has_no_jump(client, actors):
    """GIVEN the round for Q3 with 191 stored up to September
    WHEN the lead saves and submits October, November and December, the
    approver approves each and the administrator publishes
    THEN each month is a published value, frozen in the round's snapshot, and
    the public indicator page lists September, October, November and December."""
    opened = open_q3(actors)
    entries = months_of(opened)

    sign_off(actors, entries)
    publish(actors, opened, entries)

    assert set(opened.entries.filter(indicator__ref="191").values_list("state", flat=True)) == {
        "published"
    }
    published = Observation.objects.filter(indicator__ref="191", is_draft=False)
    for period, value in VALUES.items():
        assert published.get(period=period).value == Decimal(value)
    frozen = frozen_for(read_period(ROUND_PERIOD))
    months = sorted(e.period for e in frozen.values() if e.ref == "191")
    assert months == ["2020-10", "2020-11", "2020-12"]
    history = history_periods(client)
    assert history[:4] == ["December 2020", "November 2020", "October 2020", "September 2020"]


def test_the_publish_step_refuses_while_an_earlier_month_is_not_approved(actors):
    opened = open_q3(actors)
    october, november, december = months_of(opened)
    sign_off(actors, [november, december])
    typed = EntryInput(value="91")
    services.save_entry(actors["lead"], october.pk, typed, version=october.version)

    with pytest.raises(services.RoundError) as refused:
        services.publish_round(actors["admin"], opened.pk)

    assert "191 (draft)" in str(refused.value)
    opened.refresh_from_db()
    assert opened.state == RoundState.OPEN


def test_my_work_and_the_approval_list_name_each_month(client, personas, actors):
    opened = open_q3(actors)
    october, november, december = months_of(opened)
    client.force_login(personas.lead)

    mine = client.get("/work/").content.decode()

    for entry in (october, november, december):
        assert f'href="/work/entries/{entry.pk}/"' in mine
    assert "October 2020" in mine and "November 2020" in mine and "December 2020" in mine

    for entry in (october, november):
        typed = EntryInput(value="91")
        services.save_entry(actors["lead"], entry.pk, typed, version=entry.version, submit=True)
    client.force_login(personas.approver)
    waiting = client.get("/work/").content.decode()

    assert f'for="approve-{october.pk}">Approve indicator 191 for October 2020<' in waiting
    assert f'for="approve-{november.pk}">Approve indicator 191 for November 2020<' in waiting
    assert f'id="approve-{december.pk}"' not in waiting
