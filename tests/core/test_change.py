"""Change in performance: Improving, Declining or Unchanged by polarity."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.core.change import Change, compare
from perfreport.core.rating import Polarity

PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        pytest.param("97.83", "97.66", Polarity.HIGHER, Change.IMPROVING, id="higher_went_up"),
        pytest.param("97.66", "97.83", Polarity.HIGHER, Change.DECLINING, id="higher_went_down"),
        pytest.param("97.83", "97.83", Polarity.HIGHER, Change.UNCHANGED, id="higher_same"),
        pytest.param("8.2", "10.4", Polarity.LOWER, Change.IMPROVING, id="lower_went_down"),
        pytest.param("10.4", "8.2", Polarity.LOWER, Change.DECLINING, id="lower_went_up"),
        pytest.param("10.4", "10.4", Polarity.LOWER, Change.UNCHANGED, id="lower_same"),
        pytest.param("-1", "-2", Polarity.HIGHER, Change.IMPROVING, id="negative_values"),
    ],
)
def test_change_follows_polarity(
    current: str, previous: str, polarity: Polarity, expected: Change
) -> None:
    assert compare(Decimal(current), Decimal(previous), polarity, 2) is expected


@pytest.mark.parametrize(
    ("current", "previous", "decimals", "expected"),
    [
        pytest.param("85.91", "85.94", 1, Change.UNCHANGED, id="both_publish_as_85_9"),
        pytest.param("85.91", "85.94", 2, Change.DECLINING, id="differ_at_two_decimals"),
        pytest.param("85.96", "85.94", 1, Change.IMPROVING, id="86_0_against_85_9"),
        pytest.param("85.95", "85.94", 1, Change.IMPROVING, id="half_rounds_up_to_86_0"),
        pytest.param("432584.4", "432583.6", 0, Change.UNCHANGED, id="count_both_432584"),
    ],
)
def test_change_is_judged_on_the_published_figures(
    current: str, previous: str, decimals: int, expected: Change
) -> None:
    assert compare(Decimal(current), Decimal(previous), Polarity.HIGHER, decimals) is expected


def test_change_labels_and_arrows() -> None:
    assert [c.label for c in Change] == ["Improving", "Declining", "Unchanged"]
    assert len({c.arrow for c in Change}) == 3


values = st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=3)


@PROPERTY
@given(values, values, st.integers(min_value=0, max_value=3))
def test_swapping_the_figures_or_the_polarity_reverses_the_change(
    a: Decimal, b: Decimal, decimals: int
) -> None:
    reverse = {
        Change.IMPROVING: Change.DECLINING,
        Change.DECLINING: Change.IMPROVING,
        Change.UNCHANGED: Change.UNCHANGED,
    }
    forward = compare(a, b, Polarity.HIGHER, decimals)
    assert compare(b, a, Polarity.HIGHER, decimals) is reverse[forward]
    assert compare(a, b, Polarity.LOWER, decimals) is reverse[forward]
