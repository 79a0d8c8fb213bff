"""SPC charts (XmR or run chart) as Vega-Lite specs, in the Making Data Count style.

The values are a grey line with points; the mean (the median on a run chart)
is a solid line and the process limits are dashed lines, drawn per phase so a
rebase starts new lines. Special causes are coloured as Making Data Count
colours them (blue improvement, orange concern, purple neutral, darkened for
3:1 contrast) and shaped too (diamond, cross, square), so colour is never
the only cue (WCAG 1.4.1). The chart has the trend chart's size and font.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from perfreport.core.spc import Chart, Signal, SpcResult
from perfreport.core.units import Unit
from perfreport.reports.charts import CHART_FONT, HEIGHT, WIDTH
from perfreport.reports.spc_icons import COMMON_CAUSE_GREY, SIGNAL_COLOURS

__all__ = ["LINE_STYLES", "SIGNAL_LABELS", "SIGNAL_SHAPES", "describe_spc", "spc_spec"]

# name: (colour, dash); every colour has at least 3:1 contrast against white.
LINE_STYLES = {
    "Value": (COMMON_CAUSE_GREY, [1, 0]),
    "Mean": ("#0b0c0c", [1, 0]),
    "Median": ("#0b0c0c", [2, 2]),
    "Process limits": ("#505a5f", [6, 3]),
}
SIGNAL_SHAPES = {Signal.IMPROVEMENT: "diamond", Signal.CONCERN: "cross", Signal.NEUTRAL: "square"}
SIGNAL_LABELS = {
    Signal.IMPROVEMENT: "Improvement",
    Signal.CONCERN: "Concern",
    Signal.NEUTRAL: "Neutral",
}


def spc_spec(
    result: SpcResult,
    periods: Sequence[str],
    title: str,
    unit_suffix: str = "",
    prefix: str = "",
    *,
    axis_title: str | None = None,
) -> dict[str, Any]:
    """The Vega-Lite v5 spec of ``result``, one period label per point;
    ``axis_title`` names the unit where the ticks do not ("days").

    The same input gives an identical spec (no randomness, no clock), so a
    rendered chart can be cached by the spec's hash.
    """
    if len(periods) != len(result.points):
        raise ValueError(f"{len(periods)} periods for {len(result.points)} values")
    rows = _line_rows(result, periods)
    special = _special_rows(result, periods)
    x = {
        "field": "period",
        "type": "ordinal",
        "sort": {"field": "i"},
        "title": None,
        "axis": {"labelAngle": 0, "labelFontSize": 10, "values": _shown_periods(periods)},
    }
    y = {
        "field": "amount",
        "type": "quantitative",
        "title": axis_title,
        "scale": {"zero": False, "nice": True, "padding": 8},
        "axis": {
            "labelFontSize": 10,
            "tickCount": 4,
            "labelExpr": _label_expr(prefix, unit_suffix),
        },
    }
    series = [name for name in LINE_STYLES if any(r["series"] == name for r in rows)]
    # The lines share one legend; the special causes (colour and shape) have another.
    layers: list[dict[str, Any]] = [
        {"layer": [_line_layer(name, series, x, y) for name in reversed(series)]}
    ]
    if special:
        layers.append(_special_layer(special, x, y))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": describe_spc(result, periods, title, unit_suffix, prefix),
        "width": WIDTH,
        "height": HEIGHT,
        "background": "white",
        "config": {
            "font": CHART_FONT,
            "view": {"stroke": None},
            "axis": {"grid": True, "gridColor": "#e5e5e5", "labelFlush": False},
            "legend": {"orient": "bottom", "labelFontSize": 10, "titleFontSize": 10},
        },
        "data": {"values": rows},
        "layer": layers,
        "resolve": {
            "scale": {"color": "independent", "shape": "independent", "strokeDash": "independent"}
        },
    }


def describe_spc(
    result: SpcResult, periods: Sequence[str], title: str, unit_suffix: str = "", prefix: str = ""
) -> str:
    """The chart in words: its type, mean and limits, and the special causes."""

    def number(value: float | None) -> str:
        # A result that knows its unit writes it itself (97.8%, £1,200).
        if result.unit is not Unit.NUMBER:
            return result.shown(value)
        return f"{prefix}{result.shown(value)}{unit_suffix}"

    present = [
        p for p, point in zip(periods, result.points, strict=True) if point.value is not None
    ]
    if not present:
        return _("No values to chart for %(title)s.") % {"title": title}
    words = {"title": title, "count": len(present), "first": present[0], "last": present[-1]}
    if result.chart is Chart.XMR:
        text = _("XmR chart of %(title)s: %(count)s values from %(first)s to %(last)s") % words
    else:
        text = _("Run chart of %(title)s: %(count)s values from %(first)s to %(last)s") % words
    if len(result.phases) > 1:
        text += _(", in %(phases)s phases; the latest, from %(start)s, has") % {
            "phases": len(result.phases), "start": periods[result.phases[-1].start],
        }  # fmt: skip
    else:
        text += ";"
    if result.chart is Chart.XMR:
        text += _(" mean %(mean)s, process limits %(lower)s to %(upper)s.") % {
            "mean": number(result.mean), "lower": number(result.lower_limit),
            "upper": number(result.upper_limit),
        }  # fmt: skip
    else:
        text += _(" median %(median)s, too few values for process limits.") % {
            "median": number(result.centre)
        }
    causes = {
        Signal.IMPROVEMENT: N_(" Special causes of improvement: %(periods)s."),
        Signal.CONCERN: N_(" Special causes of concern: %(periods)s."),
        Signal.NEUTRAL: N_(" Special causes of neutral: %(periods)s."),
    }
    for signal in Signal:
        found = [
            p for p, point in zip(periods, result.points, strict=True) if point.signal is signal
        ]
        if found:
            text += _(causes[signal]) % {"periods": ", ".join(found)}
    if not any(point.signal for point in result.points):
        text += _(" No special causes.")
    return text


def _line_rows(result: SpcResult, periods: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for the lines; ``group`` keeps a line from crossing a gap or a rebase."""
    rows: list[dict[str, Any]] = []
    gaps = 0
    for i, (period, point) in enumerate(zip(periods, result.points, strict=True)):
        gaps += point.value is None
        if point.value is not None:
            rows.append(_row(i, period, "Value", point.value, f"v{gaps}"))
        phase = result.phases[point.phase]
        if point.centre is not None:
            centre = "Mean" if phase.chart is Chart.XMR else "Median"
            rows.append(_row(i, period, centre, point.centre, f"c{point.phase}"))
        if point.lower_limit is not None and point.upper_limit is not None:
            rows.append(_row(i, period, "Process limits", point.lower_limit, f"l{point.phase}"))
            rows.append(_row(i, period, "Process limits", point.upper_limit, f"u{point.phase}"))
    return rows


def _row(i: int, period: str, series: str, amount: float, group: str) -> dict[str, Any]:
    return {"i": i, "period": period, "series": series, "amount": amount, "group": group}


def _special_rows(result: SpcResult, periods: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"i": i, "period": period, "amount": point.value, "signal": SIGNAL_LABELS[point.signal]}
        for i, (period, point) in enumerate(zip(periods, result.points, strict=True))
        if point.signal is not None and point.value is not None
    ]


def _line_layer(
    name: str, series: list[str], x: dict[str, Any], y: dict[str, Any]
) -> dict[str, Any]:
    legend = {"symbolType": "stroke", "symbolStrokeWidth": 2, "title": None}
    mark: dict[str, Any] = {"type": "line", "strokeWidth": 1.5 if name == "Value" else 1.2}
    if name == "Value":
        mark["point"] = {"filled": True, "size": 18}
    return {
        "transform": [{"filter": {"field": "series", "equal": name}}],
        "mark": mark,
        "encoding": {
            "x": x,
            "y": y,
            "detail": {"field": "group"},
            "color": {
                "field": "series",
                "type": "nominal",
                "scale": {"domain": series, "range": [LINE_STYLES[s][0] for s in series]},
                "legend": legend,
            },
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "scale": {"domain": series, "range": [LINE_STYLES[s][1] for s in series]},
                "legend": legend,
            },
        },
    }


def _special_layer(
    rows: list[dict[str, Any]], x: dict[str, Any], y: dict[str, Any]
) -> dict[str, Any]:
    signals = [s for s in Signal if any(r["signal"] == SIGNAL_LABELS[s] for r in rows)]
    domain = [SIGNAL_LABELS[s] for s in signals]
    return {
        "data": {"values": rows},
        "mark": {
            "type": "point",
            "filled": True,
            "size": 70,
            "opacity": 1,
            "stroke": "white",
            "strokeWidth": 0.8,
        },
        "encoding": {
            "x": x,
            "y": y,
            "color": {
                "field": "signal",
                "type": "nominal",
                "scale": {"domain": domain, "range": [SIGNAL_COLOURS[s] for s in signals]},
                # No separate bold title: a browser without Liberation Sans or
                # Arial draws text wider than vl-convert measured it, and a
                # title then ran into its own symbol.
                "legend": SPECIAL_CAUSE_LEGEND,
            },
            "shape": {
                "field": "signal",
                "type": "nominal",
                "scale": {"domain": domain, "range": [SIGNAL_SHAPES[s] for s in signals]},
                # No separate bold title: a browser without Liberation Sans or
                # Arial draws text wider than vl-convert measured it, and a
                # title then ran into its own symbol.
                "legend": SPECIAL_CAUSE_LEGEND,
            },
        },
    }


SPECIAL_CAUSE_LEGEND = {
    "title": None,
    "labelExpr": "'Special cause: ' + datum.label",
    "padding": 8,
}


def _shown_periods(periods: Sequence[str]) -> list[str]:
    """At most about six labels, counting back from the latest, which is always shown."""
    step = max(1, -(-len(periods) // 6))
    return list(periods)[::-1][::step][::-1]


def _label_expr(prefix: str, suffix: str) -> str:
    text = json.dumps(prefix, ensure_ascii=False), json.dumps(suffix, ensure_ascii=False)
    return f"{text[0]} + format(datum.value, ',') + {text[1]}"
