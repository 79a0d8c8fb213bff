"""The exception pack's selection: each reason in and out, the sentence, the order."""

from __future__ import annotations

import doctest
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from perfreport.core import pack as pack_module
from perfreport.core.pack import (
    ActionFacts,
    ForecastFacts,
    IndicatorFacts,
    Reason,
    Section,
    select_pack,
)
from perfreport.core.plan import ActionStatus
from perfreport.core.rating import Rating

PLAIN = IndicatorFacts(
    "101", "Households in temporary accommodation", rating=Rating.GREEN, rating_label="Green",
    period="Q2 2020/21", value="84", target="90",
)  # fmt: skip
OVERDUE = ActionFacts(
    "A1", "Open the hub", ActionStatus.OVERDUE, due=date(2020, 6, 30), percent=Decimal("40")
)
ON_TRACK = ActionFacts("A2", "Recruit two officers", ActionStatus.ON_TRACK, due=date(2021, 3, 31))
MISS = ForecastFacts("95.0%", "Q4 2020/21", Decimal("0.23"))


def test_the_module_examples_hold():
    assert doctest.testmod(pack_module).failed == 0


@pytest.mark.parametrize(
    ("changes", "reasons", "section"),
    [
        pytest.param({}, (), None, id="green_with_nothing_else_is_left_to_the_appendix"),
        pytest.param({"rating": Rating.AMBER}, (), None, id="amber_alone_is_not_an_exception"),
        pytest.param({"rating": None}, (), None, id="not_rated_alone_is_not_an_exception"),
        pytest.param({"rating": Rating.RED}, (Reason.RED,), Section.ATTENTION, id="red"),
        pytest.param({"rating": Rating.BLUE}, (Reason.BLUE,), Section.WENT_WELL, id="blue"),
        pytest.param({"improving": True}, (Reason.IMPROVING,), Section.WENT_WELL, id="improving"),
        pytest.param({"concern": True}, (Reason.CONCERN,), Section.ATTENTION, id="concern"),
        pytest.param(
            {"failing_assurance": True}, (Reason.FAILING_ASSURANCE,), Section.ATTENTION,
            id="failing_assurance",
        ),
        pytest.param(
            {"forecast": MISS}, (Reason.FORECAST_MISS,), Section.ATTENTION, id="forecast_miss"
        ),
        pytest.param(
            {"actions": (OVERDUE,)}, (Reason.OVERDUE_ACTION,), Section.ATTENTION,
            id="an_overdue_linked_action",
        ),
        pytest.param(
            {"actions": (ON_TRACK,)}, (), None, id="an_action_on_track_is_not_an_exception"
        ),
        pytest.param(
            {"rating": Rating.BLUE, "concern": True}, (Reason.CONCERN, Reason.BLUE),
            Section.ATTENTION, id="attention_wins_over_went_well",
        ),
    ],
)  # fmt: skip
def test_each_reason_puts_an_indicator_in_its_section(changes, reasons, section):
    pack = select_pack([replace(PLAIN, **changes)])

    items = [*pack.attention, *pack.went_well]
    if section is None:
        assert items == []
        assert pack.appendix == ("101",)
    else:
        assert [(i.ref, i.section, i.reasons) for i in items] == [("101", section, reasons)]
        assert pack.appendix == ()


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        pytest.param(
            {"rating": Rating.RED, "rating_label": "Off target"},
            "Rated Off target in Q2 2020/21: 84 against a target of 90.",
            id="red_in_the_keys_own_words_with_value_target_and_period",
        ),
        pytest.param(
            {"forecast": MISS},
            "It is forecast to miss its target of 95.0% by Q4 2020/21 "
            "(a 23% chance of meeting it).",
            id="forecast_miss_names_target_period_and_chance",
        ),
        pytest.param(
            {"actions": (OVERDUE, ON_TRACK)},
            "Action A1 “Open the hub” was due on 30 June 2020 and is 40% complete.",
            id="overdue_action_names_only_the_overdue_one",
        ),
        pytest.param(
            {
                "rating": Rating.RED,
                "rating_label": "Red",
                "concern": True,
                "failing_assurance": True,
            },
            "Rated Red in Q2 2020/21: 84 against a target of 90; on its SPC chart the process "
            "will consistently fall short of its target; and its latest value is a special "
            "cause of concern on its SPC chart.",
            id="several_reasons_in_one_sentence_worst_first",
        ),
        pytest.param(
            {"rating": Rating.BLUE, "rating_label": "Blue", "improving": True},
            "Rated Blue in Q2 2020/21: 84 against a target of 90; and its latest value is a "
            "special cause of improvement on its SPC chart.",
            id="blue_and_improving",
        ),
    ],
)
def test_the_sentence_says_why_the_item_is_in_the_pack(changes, sentence):
    pack = select_pack([replace(PLAIN, **changes)])

    assert [*pack.attention, *pack.went_well][0].sentence == sentence


def test_written_commentary_is_shown_and_the_drafted_one_only_where_none_was_written():
    red = replace(PLAIN, rating=Rating.RED, drafted="Drafted from the figures.")

    written = select_pack([replace(red, commentary="We lost two officers.")]).attention[0]
    drafted = select_pack([red]).attention[0]
    neither = select_pack([replace(red, drafted="  ")]).attention[0]

    assert (written.commentary, written.commentary_drafted) == ("We lost two officers.", False)
    assert (drafted.commentary, drafted.commentary_drafted) == ("Drafted from the figures.", True)
    assert (neither.commentary, neither.commentary_drafted) == ("", False)


def test_attention_is_ordered_worst_first():
    indicators = [
        replace(PLAIN, ref="forecast", forecast=MISS),
        replace(PLAIN, ref="concern", concern=True),
        replace(PLAIN, ref="two-reasons", concern=True, forecast=MISS),
        replace(PLAIN, ref="red", rating=Rating.RED),
        replace(PLAIN, ref="red-and-concern", rating=Rating.RED, concern=True),
        replace(PLAIN, ref="overdue", actions=(OVERDUE,)),
    ]

    pack = select_pack(indicators, [replace(OVERDUE, ref="A9"), ON_TRACK])

    assert [i.ref for i in pack.attention] == [
        "red-and-concern", "red", "two-reasons", "overdue", "concern", "forecast", "A9",
    ]  # fmt: skip


def test_went_well_puts_blue_and_improving_first():
    indicators = [
        replace(PLAIN, ref="improving", improving=True),
        replace(PLAIN, ref="blue", rating=Rating.BLUE),
        replace(PLAIN, ref="both", rating=Rating.BLUE, improving=True),
    ]

    assert [i.ref for i in select_pack(indicators).went_well] == ["both", "blue", "improving"]


def test_an_overdue_action_serving_no_indicator_is_an_item_of_its_own():
    pack = select_pack([PLAIN], [OVERDUE, ON_TRACK])

    (item,) = pack.attention
    assert (item.ref, item.indicator, item.reasons) == ("A1", None, (Reason.OVERDUE_ACTION,))
    assert item.sentence == "Action A1 “Open the hub” was due on 30 June 2020 and is 40% complete."
    assert pack.appendix == ("101",)


def test_the_appendix_keeps_the_order_given_and_the_selected_are_known():
    indicators = [replace(PLAIN, ref=str(n)) for n in (3, 1, 2)]
    indicators[1] = replace(indicators[1], rating=Rating.RED)

    pack = select_pack(indicators)

    assert pack.appendix == ("3", "2")
    assert pack.selected == {"1"}
