"""Pages keep a period's evaluation until the data change, and never longer."""

from __future__ import annotations

import pytest

from perfreport.core.periods import parse_period
from perfreport.data import evaluations
from perfreport.data.evaluations import forget_evaluations, period_evaluation
from perfreport.data.models import Observation
from perfreport.data.versions import current_data_version

pytestmark = pytest.mark.django_db
Q2 = parse_period("2020/21 Q2")


@pytest.fixture(autouse=True)
def nothing_kept():
    forget_evaluations()


def value_shown(result, ref):
    return next(r for r in result.rows if r.indicator.ref == ref).evaluation.current.value


def test_the_second_request_is_served_from_the_cache(imported_example):
    first = period_evaluation(Q2, published_only=False)

    assert period_evaluation(Q2, published_only=False) is first  # kept, not worked out again
    assert len(evaluations._kept) == 1


def test_an_import_raises_the_version_and_an_edit_in_the_admin_too(imported_example):
    before = current_data_version()
    observation = Observation.objects.filter(indicator__ref="191").latest("last_month")
    old = period_evaluation(Q2, published_only=False)

    observation.value = 12
    observation.save()  # as the admin or a form does

    assert current_data_version() != before
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


def test_the_public_evaluation_takes_no_commentary_written_for_a_draft_value(imported_example):
    """GIVEN 191's September value is a draft, with September's commentary
    THEN the public evaluation shows August's value without September's words."""
    observation = Observation.objects.filter(indicator__ref="191").latest("last_month")
    observation.is_draft = True
    observation.save()

    staff = next(r for r in period_evaluation(Q2, False).rows if r.indicator.ref == "191")
    public = next(r for r in period_evaluation(Q2, True).rows if r.indicator.ref == "191")

    assert staff.evaluation.commentary
    assert public.evaluation.commentary != staff.evaluation.commentary
