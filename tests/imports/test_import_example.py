"""GIVEN the seed's report as files, WHEN it is imported, THEN the register and
values are stored exactly, and importing again changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfreport.data.models import Commentary, Observation
from perfreport.imports.service import import_path
from perfreport.registry.models import Indicator, Organisation, Target

pytestmark = pytest.mark.django_db


def test_it_imports_all_17_indicators_of_the_seed(example_dir):
    summary, warnings = import_path(example_dir)

    assert Indicator.objects.count() == 17
    assert summary.counts["indicators"]["created"] == 17
    assert Observation.objects.count() == 36
    assert warnings == []


def test_it_stores_units_decimals_and_polarity_as_printed(imported_example):
    broadband = Indicator.objects.get(ref="180")
    avoidable = Indicator.objects.get(ref="192")
    stars = Indicator.objects.get(ref="188")

    assert (broadband.unit, broadband.decimals, broadband.frequency) == ("percent", 2, "quarterly")
    assert broadband.england_mean == Decimal("96.8")
    assert broadband.neighbours_mean is None
    assert avoidable.polarity == "lower"
    assert (stars.unit, stars.frequency) == ("stars", "annual")


def test_it_stores_the_broadband_milestones(imported_example):
    milestones = Target.objects.filter(indicator__ref="180", kind="milestone").order_by(
        "last_month"
    )

    assert [(t.period, t.value) for t in milestones] == [
        ("2019-12", Decimal("97")),
        ("2020-12", Decimal("99")),
    ]


def test_it_stores_links_commentary_and_actions(imported_example):
    inspection = Indicator.objects.get(ref="185")
    foi = Commentary.objects.get(indicator__ref="182", period="2020-09")

    assert [link.title for link in inspection.links.all()] == [
        "Government guidance on inspecting local authority children's services from 2018",
        "Youth offending services inspection data from the Justice Inspectorate",
    ]
    assert foi.actions.startswith("A remedial action plan is in development")
    assert "COVID 19 pandemic" in foi.text


def test_the_home_organisation_comes_from_organisations_csv(imported_example):
    home = Organisation.objects.get(is_home=True)

    assert (home.code, home.name) == ("E10000003", "Cambridgeshire County Council")


def test_importing_the_same_files_again_changes_nothing(example_dir, imported_example):
    before = list(Observation.objects.values_list("id", "value", "updated_at"))

    summary, _ = import_path(example_dir)

    assert summary.changed == 0
    assert list(Observation.objects.values_list("id", "value", "updated_at")) == before
