"""Pages keep a period's evaluation until the data change, and never longer."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from perfreport.core.periods import parse_period
from perfreport.data.models import Observation
from perfreport.data.versions import current_data_version
from perfreport.web.evaluations import period_evaluation

pytestmark = pytest.mark.django_db
Q2 = parse_period("2020/21 Q2")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def value_shown(result, ref):
    return next(r for r in result.rows if r.indicator.ref == ref).evaluation.current.value


def test_the_second_request_is_served_from_the_cache(imported_example):
    period_evaluation(Q2, published_only=False)
    version = current_data_version()

    key = f"evaluation:{Q2.frequency.value}-{Q2.first_month}:0:{version}"
    assert cache.get(key) is not None  # kept under the period and the data version


def test_an_import_raises_the_version_and_an_edit_in_the_admin_too(imported_example):
    before = current_data_version()
    observation = Observation.objects.filter(indicator__ref="191").latest("last_month")
    old = period_evaluation(Q2, published_only=False)

    observation.value = 12
    observation.save()  # as the admin or a form does

    assert current_data_version() == before + 1
    assert value_shown(period_evaluation(Q2, False), "191") == 12
    assert value_shown(old, "191") != 12


def test_draft_values_are_left_out_of_the_public_evaluation(imported_example):
    observation = Observation.objects.filter(indicator__ref="191").latest("last_month")
    observation.is_draft = True
    observation.save()

    staff = period_evaluation(Q2, published_only=False)
    public = period_evaluation(Q2, published_only=True)

    assert value_shown(staff, "191") == observation.value
    assert value_shown(public, "191") != observation.value
