"""Trend charts: the spec says what a reader needs, and each chart is drawn once."""

from __future__ import annotations

import pytest

from perfreport.core.rating import Rating
from perfreport.core.units import Unit
from perfreport.reports import charts as charts_module
from perfreport.reports.chartdraw import render_chart
from perfreport.reports.charts import RAG_SHAPES, ChartRenderer, chart_key, trend_spec
from perfreport.reports.context import ChartData, ChartPoint


def chart(points=3, rating=Rating.AMBER, england=96.8, neighbours=None) -> ChartData:
    return ChartData(
        title="Superfast broadband",
        unit=Unit.PERCENT,
        decimals=2,
        points=tuple(
            ChartPoint(f"Q{i + 1} 2020/21", 97 + i / 10, 98 + i / 4) for i in range(points)
        ),
        latest_rating=rating,
        neighbours=neighbours,
        england=england,
        higher_is_better=True,
    )


def test_the_latest_point_is_marked_by_shape_colour_and_label():
    layers = trend_spec(chart())["layer"]
    marker = next(layer for layer in layers if layer.get("mark", {}).get("type") == "point")
    label = next(layer for layer in layers if layer.get("mark", {}).get("type") == "text")

    assert marker["mark"]["shape"] == RAG_SHAPES[Rating.AMBER]
    assert label["data"]["values"][0]["label"] == "Amber"
    assert marker["data"]["values"][0]["period"] == "Q3 2020/21"


def test_the_target_is_drawn_as_steps_and_only_present_series_are_in_the_legend():
    spec = trend_spec(chart())
    lines = [layer for layer in spec["layer"] if layer["mark"]["type"] == "line"]
    names = [layer["transform"][0]["filter"]["equal"] for layer in lines]

    assert sorted(names) == ["England mean", "Target", "Value"]
    target = next(layer for layer in lines if layer["transform"][0]["filter"]["equal"] == "Target")
    assert target["mark"]["interpolate"] == "step"


def test_the_spec_carries_the_charts_description_for_screen_readers():
    assert trend_spec(chart())["description"].startswith("Line chart of Superfast broadband")


def test_with_many_periods_four_are_labelled():
    spec = trend_spec(chart(points=12))
    shown = next(p["value"] for p in spec["params"] if p["name"] == "shown")

    assert len(shown) == 4
    assert shown[-1] == "Q12 2020/21"  # the latest is always labelled
    assert spec["layer"][0]["encoding"]["x"]["axis"]["values"] == {"expr": "shown"}


@pytest.mark.parametrize("rating", [Rating.AMBER, Rating.RED, None])
@pytest.mark.parametrize("points", [1, 3, 12])
def test_a_chart_drawn_from_a_shared_compiled_shape_is_the_chart_compiled_whole(rating, points):
    import vl_convert

    spec = trend_spec(chart(points=points, rating=rating, neighbours=70.0 if points == 3 else None))

    assert render_chart(spec, "svg").decode() == vl_convert.vegalite_to_svg(spec)


def test_charts_of_one_shape_are_compiled_once(monkeypatch):
    from perfreport.reports import chartdraw

    monkeypatch.setattr(chartdraw, "_compiled", {})
    for n in range(5):
        chartdraw.to_vega(trend_spec(chart(points=12, england=60.0 + n)))

    assert len(chartdraw._compiled) == 1


def test_an_svg_is_drawn_once_and_then_served_from_memory():
    renderer = ChartRenderer(cache_dir=None)
    spec = trend_spec(chart())

    first = renderer.svg(spec)
    second = renderer.svg(spec)

    assert first == second
    assert first.lstrip().startswith("<svg")
    assert renderer.rendered == 1


def test_the_disk_cache_serves_a_new_process(tmp_path):
    spec = trend_spec(chart())
    ChartRenderer(cache_dir=tmp_path).svg(spec)
    later = ChartRenderer(cache_dir=tmp_path)

    later.svg(spec)

    assert later.rendered == 0
    assert len(list(tmp_path.glob("*.svg"))) == 1


def test_a_changed_chart_is_drawn_again(tmp_path):
    renderer = ChartRenderer(cache_dir=tmp_path)
    renderer.svg(trend_spec(chart()))

    renderer.svg(trend_spec(chart(rating=Rating.RED)))

    assert renderer.rendered == 2


def test_png_output_is_a_png():
    assert ChartRenderer().png(trend_spec(chart()), scale=1).startswith(b"\x89PNG")


@pytest.mark.slow
def test_many_charts_drawn_in_parallel_match_those_drawn_one_by_one(monkeypatch):
    monkeypatch.setattr(charts_module, "PARALLEL_FROM", 2)
    specs = [trend_spec(chart(points=n)) for n in range(2, 6)]
    parallel = ChartRenderer()

    parallel.prepare(specs, "svg")

    serial = ChartRenderer()
    assert [parallel.svg(s) for s in specs] == [serial.svg(s) for s in specs]
    assert parallel.rendered == 4


def test_the_key_names_only_the_lines_drawn():
    assert chart_key(chart()) == (
        "Key: solid black line: value; dashed grey steps: target; dash-dot green line: "
        "England mean; the latest value is marked and labelled with its RAG rating."
    )
    assert "statistical neighbours" in chart_key(chart(neighbours=70.0))
    assert chart_key(chart(points=0)) == ""


def test_the_chart_draws_no_legend_of_its_own():
    layers = trend_spec(chart())["layer"]

    assert all(layer["encoding"].get("color", {}).get("legend", None) is None for layer in layers)
