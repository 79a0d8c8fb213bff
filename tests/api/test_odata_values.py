"""The feed's figures are the evaluation's, not a second reckoning: each
value's target, RAG rating and change are those the open data file and the
indicator page's table of past figures give it (each worked out as the
evaluation of its own period), the latest value's are those of the API's
evaluation, and the benchmarks are the evaluation's.

GIVEN an example imported (the seed's report; the made-up district council
with withheld figures, calendar years, a per-10,000 rate and a
better-than-last-year target), WHEN the public feed is read whole, THEN it
agrees with those outputs figure for figure."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.change import Change

ROOT = Path(__file__).resolve().parents[2] / "examples"
EXAMPLES = [
    pytest.param("cambridgeshire-2020-21-q2", id="seed"),
    pytest.param("tolerance-scheme", id="district_with_withheld_and_rule_targets"),
]


@pytest.fixture(params=EXAMPLES)
def example(request, db):
    from perfreport.imports.service import import_path

    import_path(ROOT / request.param)
    return request.param


def every_value(client, entity_set="Values"):
    """The whole entity set, following the next links."""
    url, found = f"/odata/public/{entity_set}", []
    while url:
        response = client.get(url, HTTP_PREFER="odata.maxpagesize=7")
        assert response.status_code == 200
        page = json.loads(b"".join(response.streaming_content), parse_float=Decimal)
        found += page["value"]
        url = page.get("@odata.nextLink")
    return found


def _label(change: str | None) -> str | None:
    return Change(change).label if change else None


def test_each_values_target_rating_and_change_are_the_open_datas(client, example):
    from perfreport.web.opendata_values import value_table

    feed = {(v["IndicatorRef"], v["Period"]): v for v in every_value(client)}
    published = {(row[0], row[2]): row for row in value_table()}

    assert set(feed) == set(published)
    assert any(v["Withheld"] for v in feed.values()) == (example == "tolerance-scheme")
    for key, row in published.items():
        value = feed[key]
        target, rating, change = row[10], row[11], row[12]
        assert value["Value"] == row[4] and value["Withheld"] == row[5], key
        assert value["Target"] == target, key
        assert value["RatingLabel"] == rating, key
        assert _label(value["Change"]) == change, key


def test_the_latest_values_rating_is_the_api_evaluations(client, example):
    """For each indicator whose latest value is in the latest quarter's
    evaluation: the same value, target, rating and changes."""
    evaluation = json.loads(client.get("/api/evaluations").content)
    latest = {}
    for value in every_value(client):
        latest[value["IndicatorRef"]] = value  # values come in key order: the last is the latest
    compared = 0
    for record in evaluation["items"]:
        value = latest.get(record["ref"])
        if value is None or value["Period"] != record["period"]:
            continue
        compared += 1
        assert value["Rating"] == record["rag"], record["ref"]
        assert value["Change"] == record["change"], record["ref"]
        assert value["ChangeOnYear"] == record["change_on_year"], record["ref"]
        assert value["PreviousPeriod"] == record["previous_period"], record["ref"]
        target = value["Target"]
        assert (float(target) if target is not None else None) == record["target"], record["ref"]
    assert compared >= 5


def test_the_benchmarks_are_the_evaluations(client, example):
    evaluation = json.loads(client.get("/api/evaluations").content)
    benchmarks = {b["IndicatorRef"]: b for b in every_value(client, "Benchmarks")}

    assert set(benchmarks) == {record["ref"] for record in evaluation["items"]}
    for record in evaluation["items"]:
        b = benchmarks[record["ref"]]
        assert b["ReportPeriod"] == evaluation["period"]
        for ours, theirs in (
            ("NeighboursMean", "neighbours_mean"),
            ("NationalValue", "national_value"),
            ("NeighboursMedian", "neighbours_median"),
        ):
            mine = float(b[ours]) if b[ours] is not None else None
            assert mine == pytest.approx(record[theirs]), (record["ref"], ours)
        assert b["NationalBasis"] == record["national_basis"], record["ref"]
        assert (b["Rank"], b["Quartile"]) == (record["rank"], record["quartile"]), record["ref"]


# -- the targets a value's evaluation is given -----------------------------------

FREQUENCIES = ["monthly", "quarterly", "annual"]


def _aligned(frequency: str, month: int) -> int:
    """A first month that starts a period of ``frequency`` in an April year."""
    step = {"monthly": 1, "quarterly": 3, "annual": 12}[frequency]
    return month - (month - 3) % step


@st.composite
def target_sets(draw):
    from perfreport.core.periods import Frequency, Period
    from perfreport.core.targets import TargetEntry, TargetKind

    def period(frequency: str) -> Period:
        month = draw(st.integers(24_200, 24_300))
        return Period(Frequency(frequency), _aligned(frequency, month), 4)

    entries = [
        TargetEntry(
            period(draw(st.sampled_from(FREQUENCIES))),
            Decimal(draw(st.integers(0, 100))),
            draw(st.sampled_from([TargetKind.PERIOD, TargetKind.PERIOD, TargetKind.MILESTONE])),
        )
        for _ in range(draw(st.integers(0, 12)))
    ]
    unique = {(e.kind, e.period.frequency, e.period.first_month): e for e in entries}
    return list(unique.values()), period(draw(st.sampled_from(FREQUENCIES)))


@settings(max_examples=400, deadline=None)
@given(target_sets(), st.booleans())
def test_the_targets_given_to_a_values_evaluation_resolve_as_all_of_them_do(case, cumulative):
    """Targets.applying gives the evaluation a few of an indicator's targets,
    found by bisection: core.targets.resolve_target resolves the same target
    from them as from every one (own, containing, pro rata, interpolated
    between milestones, carried forward)."""
    from perfreport.api.odata_rows import Targets
    from perfreport.core.targets import resolve_target

    entries, period = case
    every = resolve_target(period, entries, cumulative=cumulative, decimals=1)
    chosen = resolve_target(
        period, Targets(entries).applying(period), cumulative=cumulative, decimals=1
    )

    assert chosen == every
