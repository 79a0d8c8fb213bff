"""SPC charts and icons: the spec draws, says what it shows, and never relies on colour alone."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import vl_convert

from perfreport.core.spc import Assurance, Signal, SpcResult, Variation, xmr
from perfreport.reports.chartdraw import render_chart
from perfreport.reports.charts import HEIGHT, WIDTH
from perfreport.reports.spc_chart import LINE_STYLES, SIGNAL_SHAPES, spc_spec
from perfreport.reports.spc_icons import (
    COMMON_CAUSE_GREY,
    SIGNAL_COLOURS,
    assurance_icon,
    variation_icon,
)

SVG = "{http://www.w3.org/2000/svg}"
# Mean 11, MRbar 2, limits 5.68 to 16.32; 25 and 0 lie beyond them.
BASE = [10, 12] * 10


def months(result: SpcResult) -> list[str]:
    return [f"M{i + 1}" for i in range(len(result.points))]


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of a #rrggbb colour against white."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def layers(spec: dict) -> list[dict]:
    """Every layer, nested ones included."""
    found = []
    for layer in spec["layer"]:
        found.extend(layers(layer) if "layer" in layer else [layer])
    return found


def series_drawn(spec: dict) -> set[str]:
    return {row["series"] for row in spec["data"]["values"]}


@pytest.mark.parametrize(
    ("values", "rebase"),
    [
        pytest.param([*BASE, 25, None, 0], [], id="xmr_with_both_signals_and_a_gap"),
        pytest.param([1, 3, 1, 3, 1, 3, 6, 7, 6, 7, 6, 7], [], id="run_chart"),
        pytest.param([1, 2, 3, *BASE], [3], id="run_then_xmr_phase"),
        pytest.param([], [], id="no_values"),
    ],
)
def test_the_spec_draws(values: list[float | None], rebase: list[int]) -> None:
    result = xmr(values, rebase=rebase)
    spec = spc_spec(result, months(result), "Households in temporary accommodation")

    svg = vl_convert.vegalite_to_svg(spec)

    assert svg.startswith("<svg")
    assert (spec["width"], spec["height"]) == (WIDTH, HEIGHT)


@pytest.mark.parametrize(
    "values",
    [pytest.param([*BASE, 25, None, 0], id="xmr"), pytest.param([1, 3, 1, 7], id="run")],
)
def test_the_reports_renderer_draws_it_as_vl_convert_does(values: list[float | None]) -> None:
    result = xmr(values)
    spec = spc_spec(result, months(result), "Title")

    assert render_chart(spec, "svg").decode() == vl_convert.vegalite_to_svg(spec)


def test_the_same_result_always_gives_the_same_spec() -> None:
    first = spc_spec(xmr([*BASE, 25]), months(xmr([*BASE, 25])), "Title", "%")
    second = spc_spec(xmr([*BASE, 25]), months(xmr([*BASE, 25])), "Title", "%")

    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_an_xmr_chart_has_value_mean_and_dashed_process_limits() -> None:
    result = xmr(BASE)
    spec = spc_spec(result, months(result), "Title")

    assert series_drawn(spec) == {"Value", "Mean", "Process limits"}
    assert LINE_STYLES["Process limits"][1] != [1, 0]  # dashed
    assert LINE_STYLES["Mean"][1] == [1, 0]  # solid
    limits = [r["amount"] for r in spec["data"]["values"] if r["series"] == "Process limits"]
    assert min(limits) == pytest.approx(5.68) and max(limits) == pytest.approx(16.32)


def test_a_run_chart_has_a_median_and_no_process_limits() -> None:
    result = xmr([1, 3, 1, 3, 1, 3, 6, 7, 6, 7, 6, 7])
    spec = spc_spec(result, months(result), "Title")

    assert series_drawn(spec) == {"Value", "Median"}
    assert spec["description"].startswith("Run chart of Title: 12 values from M1 to M12;")


@pytest.mark.parametrize(
    ("improvement", "signal"),
    [
        pytest.param("increase", Signal.IMPROVEMENT, id="improvement"),
        pytest.param("decrease", Signal.CONCERN, id="concern"),
        pytest.param("neutral", Signal.NEUTRAL, id="neutral"),
    ],
)
def test_a_special_cause_is_marked_by_colour_and_by_shape(improvement: str, signal: Signal) -> None:
    result = xmr([*BASE, 25], improvement=improvement)
    special = layers(spc_spec(result, months(result), "Title"))[-1]

    assert special["data"]["values"] == [
        {"i": 20, "period": "M21", "amount": 25.0, "signal": signal.value.capitalize()}
    ]
    assert special["encoding"]["color"]["scale"]["range"] == [SIGNAL_COLOURS[signal]]
    assert special["encoding"]["shape"]["scale"]["range"] == [SIGNAL_SHAPES[signal]]


def test_the_three_signals_have_three_shapes() -> None:
    assert len(set(SIGNAL_SHAPES.values())) == len(Signal)


@pytest.mark.parametrize(
    "colour",
    [
        *SIGNAL_COLOURS.values(),
        COMMON_CAUSE_GREY,
        *(colour for colour, _ in LINE_STYLES.values()),
    ],
)
def test_every_colour_reaches_three_to_one_against_white(colour: str) -> None:
    assert contrast_on_white(colour) >= 3


def test_the_signal_colours_are_darker_than_mdcs_own_so_their_letters_read_as_text() -> None:
    # MDC's blue #00B0F0 falls short of 3:1; its orange #E46C0A just passes it.
    assert contrast_on_white("#00B0F0") < 3 < contrast_on_white("#E46C0A") < 4.5
    assert all(contrast_on_white(colour) >= 4.5 for colour in SIGNAL_COLOURS.values())


def test_the_description_gives_the_chart_type_mean_limits_and_special_causes() -> None:
    result = xmr([*BASE, 25, None, 0])
    periods = [*months(result)[:-3], "Q1 2024/25", "Q2 2024/25", "Q3 2024/25"]

    description = spc_spec(result, periods, "Rent collected", unit_suffix="%")["description"]

    # mean = 245 / 22 = 11.136; MRbar = (19 × 2 + 13) / 20 = 2.55 (no range across
    # the gap); limits 11.136 ± 6.783 = 4.353 and 17.919.
    assert description == (
        "XmR chart of Rent collected: 22 values from M1 to Q3 2024/25; mean 11.1%, "
        "process limits 4.4% to 17.9%. Special causes of improvement: Q1 2024/25. "
        "Special causes of concern: Q3 2024/25."
    )


def test_the_description_names_the_latest_phase_and_says_when_there_is_no_signal() -> None:
    values = [10, 12] * 8 + [20, 22] * 8
    result = xmr(values, rebase=[16])

    description = spc_spec(result, months(result), "Repairs", prefix="£")["description"]

    assert "32 values from M1 to M32, in 2 phases; the latest, from M17, has mean £21.0" in (
        description
    )
    assert description.endswith("No special causes.")


def test_lines_break_at_a_gap_and_at_a_rebase() -> None:
    values: list[float | None] = [10, 12] * 8 + [None] + [20, 22] * 8
    result = xmr(values, rebase=[17])
    rows = spc_spec(result, months(result), "Title")["data"]["values"]

    def groups(series: str) -> set[str]:
        return {r["group"] for r in rows if r["series"] == series}

    assert len(groups("Value")) == 2  # before and after the gap
    assert len(groups("Mean")) == 2  # one per phase
    assert len(groups("Process limits")) == 4  # lower and upper, per phase


def test_the_axis_labels_carry_the_prefix_and_the_unit() -> None:
    result = xmr(BASE)
    spec = spc_spec(result, months(result), "Title", unit_suffix="%", prefix="£")

    label = layers(spec)[0]["encoding"]["y"]["axis"]["labelExpr"]
    assert label == '"£" + format(datum.value, \',\') + "%"'


def test_a_period_for_each_value_is_required() -> None:
    with pytest.raises(ValueError, match="3 periods for 20 values"):
        spc_spec(xmr(BASE), ["a", "b", "c"], "Title")


# --- icons ------------------------------------------------------------------------

ICONS = [
    *(pytest.param(variation_icon(v), v.description, id=v.value) for v in Variation),
    *(pytest.param(assurance_icon(a), a.description, id=a.value) for a in Assurance),
]


@pytest.mark.parametrize(("svg", "title"), ICONS)
def test_each_icon_is_well_formed_svg_that_names_itself(svg: str, title: str) -> None:
    root = ET.fromstring(svg)

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 40 40"
    assert root.findtext(f"{SVG}title") == title
    for text in root.iter(f"{SVG}text"):
        assert text.get("font-family") == "Liberation Sans, Arial, sans-serif"


@pytest.mark.parametrize(("svg", "title"), ICONS)
def test_each_icons_colours_reach_three_to_one_against_white(svg: str, title: str) -> None:
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))

    assert colours
    assert all(contrast_on_white(colour) >= 3 for colour in colours)


@pytest.mark.parametrize(
    ("icon", "letter"),
    [
        pytest.param(variation_icon("improvement_high"), "H", id="improvement_high"),
        pytest.param(variation_icon(Variation.CONCERN_LOW), "L", id="concern_low"),
        pytest.param(assurance_icon(Assurance.PASS), "P", id="pass"),
        pytest.param(assurance_icon("fail"), "F", id="fail"),
        pytest.param(assurance_icon(Assurance.HIT_OR_MISS), "?", id="hit_or_miss"),
    ],
)
def test_the_icons_carry_a_letter_so_colour_is_not_the_only_cue(icon: str, letter: str) -> None:
    assert ET.fromstring(icon).findtext(f"{SVG}text") == letter


def test_the_colours_follow_the_signal() -> None:
    assert SIGNAL_COLOURS[Signal.IMPROVEMENT] in variation_icon(Variation.IMPROVEMENT_LOW)
    assert SIGNAL_COLOURS[Signal.CONCERN] in variation_icon(Variation.CONCERN_HIGH)
    assert SIGNAL_COLOURS[Signal.NEUTRAL] in variation_icon(Variation.NEUTRAL_HIGH)
    assert SIGNAL_COLOURS[Signal.IMPROVEMENT] in assurance_icon(Assurance.PASS)
    assert COMMON_CAUSE_GREY in variation_icon(Variation.COMMON_CAUSE)
