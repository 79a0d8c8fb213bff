"""Trend charts: one Vega-Lite spec per indicator, rendered by vl-convert.

The same spec serves every format: SVG for the PDF and the HTML report, PNG
for Word. Rendering is cached by a hash of the spec (and the renderer's
version), in memory and on disk, so an unchanged chart is drawn once.

The chart shows the last periods' values, the target as steps (interim and
milestone targets change from period to period), the statistical neighbours
and England means as reference lines, and the latest value marked with its
RAG rating by colour, shape and a text label, never colour alone.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from perfreport.core.rating import RATING_COLOURS, Rating
from perfreport.core.units import Unit
from perfreport.reports.chartdraw import render_chart, render_in_worker
from perfreport.reports.context import ChartData

# Liberation Sans is the typeface vl-convert carries in memory: measuring labels
# in a font from the system made a third of each chart's time. The PDF sets the charts in the same font
# (shipped in ``fonts/``), so the text is laid out with the metrics it is drawn
# in; Arial, its metric twin, and any sans serif follow for the HTML report.
CHART_FONT = "Liberation Sans, Arial, sans-serif"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"
WIDTH, HEIGHT = 440, 170

# Colours with at least 3:1 contrast against white (WCAG 1.4.11, graphics).
# Static images (SVG for PDF and HTML, PNG for Word): no tooltips, and as little
# text as says what is needed, since vl-convert spends ~1.5 ms on each text.
RAG_COLOURS = RATING_COLOURS  # the core's, which a scheme's band may override
RAG_SHAPES = {
    Rating.RED: "cross",
    Rating.AMBER: "triangle-up",
    Rating.GREEN: "circle",
    Rating.BLUE: "diamond",
    Rating.BASELINE: "square",
    Rating.CONTEXTUAL: "square",
}
SERIES = ("Value", "Target", "Statistical neighbours mean", "England mean")
SERIES_COLOURS = ("#0b0c0c", "#505a5f", "#6f3c97", "#00625e")
SERIES_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3])
# The key, in words printed under each chart by every format: a legend drawn in
# the chart would cost vl-convert a third of its time, and words serve screen
# readers as well as eyes.
SERIES_KEYS = (
    N_("solid black line: value"),
    N_("dashed grey steps: target"),
    N_("dotted purple line: statistical neighbours mean"),
    N_("dash-dot green line: England mean"),
)  # translated where used


def chart_key(chart: ChartData) -> str:
    """The chart's key in one sentence: "Key: solid black line: value; …"."""
    parts = [_(key) for name, key in zip(SERIES, SERIES_KEYS, strict=True) if _has(chart, name)]
    if chart.points and chart.latest_rating is not None:
        parts.append(_("the latest value is marked and labelled with its RAG rating"))
    return _("Key: %(parts)s.") % {"parts": "; ".join(parts)} if parts else ""


def _has(chart: ChartData, series: str) -> bool:
    if not chart.points:
        return False
    return {
        "Value": True,
        "Target": any(p.target is not None for p in chart.points),
        "Statistical neighbours mean": chart.neighbours is not None,
        "England mean": chart.england is not None,
    }[series]


def trend_spec(chart: ChartData) -> dict[str, Any]:
    """The Vega-Lite spec of ``chart``: a plain dict, so it can be hashed and cached.

    Built once per chart and language (its words are the language's: the
    same dict is returned again): treat it as read-only.
    """
    return _trend_spec(chart, get_language() or "")


@lru_cache(maxsize=4096)
def _trend_spec(chart: ChartData, language: str) -> dict[str, Any]:
    rows = _rows(chart)
    order = [p.period for p in chart.points]
    # Every text element costs vl-convert about 2 ms, so with many periods only
    # four are labelled, counting back from the latest (the history table beside
    # the chart has them all).
    step = 1 if len(order) <= 6 else -(-len(order) // 4)
    shown = order[::-1][::step][::-1]
    # The data decide nothing in the spec but the data, the labels shown (a
    # parameter) and the description: so charts of one shape share one compiled
    # Vega spec (see chartdraw), and each is only drawn.
    x = {
        "field": "period",
        "type": "ordinal",
        "sort": {"field": "i"},
        "title": None,
        "axis": {
            "labelAngle": 0,
            "labelFontSize": 10,
            "values": {"expr": "shown"},
        },
    }
    y = {
        "field": "amount",
        "type": "quantitative",
        "title": _axis_title(chart),
        "scale": {"zero": False, "nice": True, "padding": 8},
        "axis": _y_axis(chart),
    }
    present = [i for i, name in enumerate(SERIES) if any(r["series"] == name for r in rows)]
    legend = None  # the key is printed under the chart in words (chart_key)
    colour = {
        "field": "series",
        "type": "nominal",
        "scale": {
            "domain": [SERIES[i] for i in present],
            "range": [SERIES_COLOURS[i] for i in present],
        },
        "legend": legend,
    }
    dash = {
        "field": "series",
        "type": "nominal",
        "scale": {
            "domain": [SERIES[i] for i in present],
            "range": [list(SERIES_DASHES[i]) for i in present],
        },
        "legend": legend,
    }
    # A series with a single point has no line to draw, so it gets markers.
    lone = {name for name in SERIES if sum(r["series"] == name for r in rows) == 1}
    layers: list[dict[str, Any]] = [
        _line(
            SERIES[i],
            x,
            y,
            colour,
            dash,
            interpolate="step" if i == 1 else "linear",
            points=i == 0 or SERIES[i] in lone,
        )
        for i in sorted(present, key=lambda i: -i)  # the values drawn last, on top
    ]
    if chart.points and chart.latest_rating is not None:
        layers += _latest(chart, x, y)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": chart.alt_text,
        "width": WIDTH,
        "height": HEIGHT,
        "background": "white",
        "config": {
            "font": CHART_FONT,
            "view": {"stroke": None},
            # Labels are few and short, so Vega need not measure them to fit,
            # flush or truncate them: that measuring was a third of the time.
            "axis": {
                "grid": True,
                "gridColor": "#e5e5e5",
                "labelBound": False,
                "labelFlush": False,
                "labelOverlap": False,
                "labelLimit": 0,
            },
            "text": {"limit": 0},
        },
        "params": [{"name": "shown", "value": shown}],
        "data": {"values": rows},
        "layer": layers,
    }


def _rows(chart: ChartData) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i, point in enumerate(chart.points):
        rows.append({"period": point.period, "i": i, "series": "Value", "amount": point.value})
        if point.target is not None:
            rows.append(
                {"period": point.period, "i": i, "series": "Target", "amount": point.target}
            )
        if chart.neighbours is not None:
            rows.append(
                {
                    "period": point.period,
                    "i": i,
                    "series": "Statistical neighbours mean",
                    "amount": chart.neighbours,
                }
            )
        if chart.england is not None:
            rows.append(
                {"period": point.period, "i": i, "series": "England mean", "amount": chart.england}
            )
    return rows


def _line(
    series: str,
    x: dict[str, Any],
    y: dict[str, Any],
    colour: dict[str, Any],
    dash: dict[str, Any],
    *,
    interpolate: str = "linear",
    points: bool = False,
) -> dict[str, Any]:
    mark: dict[str, Any] = {
        "type": "line",
        "interpolate": interpolate,
        "strokeWidth": 2 if series == "Value" else 1.5,
    }
    if points:
        mark["point"] = {"filled": series == "Value", "size": 30 if series == "Value" else 60}
    return {
        "transform": [{"filter": {"field": "series", "equal": series}}],
        "mark": mark,
        "encoding": {
            "x": x,
            "y": y,
            "color": colour,
            "strokeDash": dash,
        },
    }


def _latest(chart: ChartData, x: dict[str, Any], y: dict[str, Any]) -> list[dict[str, Any]]:
    assert chart.latest_rating is not None
    last = chart.points[-1]
    rating = chart.latest_rating
    latest = len(chart.points) - 1
    data = {
        "values": [
            {
                "period": last.period,
                "i": latest,
                "amount": last.value,
                "label": chart.latest_label or rating.label,
            }
        ]
    }
    colour = RAG_COLOURS[rating]
    return [
        {
            "data": data,
            "mark": {
                "type": "point",
                "shape": RAG_SHAPES[rating],
                "filled": True,
                "size": 180,
                "color": colour,
                "stroke": "white",
                "strokeWidth": 1,
                "opacity": 1,
            },
            "encoding": {"x": x, "y": y},
        },
        {
            "data": data,
            "mark": {
                "type": "text",
                "align": "right",
                "dx": -10,
                "dy": -12,
                "fontWeight": "bold",
                "fontSize": 11,
                "color": colour,
            },
            "encoding": {"x": x, "y": y, "text": {"field": "label"}},
        },
    ]


def _axis_title(chart: ChartData) -> str | None:
    """Only where the tick labels do not carry the unit (each title costs a
    text): "Stars", and a label's words ("days", "per 10,000")."""
    if chart.label.words:
        return chart.label.words
    return _("Stars") if chart.unit is Unit.STARS else None


def _y_axis(chart: ChartData) -> dict[str, Any]:
    axis: dict[str, Any] = {"labelFontSize": 10, "tickCount": 3, "labelOverlap": False}
    scale = chart.label.scale.value  # "£4.2m": the ticks carry the scale
    if chart.unit is Unit.PERCENT:
        axis["labelExpr"] = "format(datum.value, ',') + '%'"
    elif chart.unit is Unit.CURRENCY:
        axis["labelExpr"] = "'£' + format(datum.value, ',')" + (f" + '{scale}'" if scale else "")
    elif scale:
        axis["labelExpr"] = f"format(datum.value, ',') + '{scale}'"
    elif chart.unit in (Unit.STARS, Unit.COUNT):
        # Whole units only: a tick at 3.5 stars would read as "4".
        axis["labelExpr"] = "datum.value % 1 ? '' : format(datum.value, ',')"
        axis["tickMinStep"] = 1
    else:
        axis["format"] = ","
    return axis


class ChartRenderer:
    """Renders specs to SVG and PNG, caching each result by the spec's hash.

    ``cache_dir`` keeps rendered charts between runs (a later report of the
    same data draws no chart again); ``None`` keeps them in memory only.
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._memory: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self.rendered = 0  # how many charts were actually drawn (for tests and benchmarks)

    def svg(self, spec: dict[str, Any]) -> str:
        return self._get(spec, "svg").decode("utf-8")

    def png(self, spec: dict[str, Any], scale: float = 2.0) -> bytes:
        return self._get(spec, f"png@{float(scale)}")

    def prepare(
        self,
        specs: list[dict[str, Any]],
        kind: str = "svg",
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Render every chart not yet cached, in parallel when there are many.

        vl-convert draws one chart at a time in a process (about 11 ms each on
        the benchmark machine), so a large report spreads them over the cores.
        """
        missing = self._missing(specs, kind)
        workers = min(os.cpu_count() or 1, 4)
        if len(missing) < PARALLEL_FROM or workers < 2:
            for spec in missing.values():
                self._get(spec, kind)
                if progress:
                    progress(1)
            return
        payloads = [json.dumps(spec) for spec in missing.values()]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = pool.map(render_in_worker, payloads, [kind] * len(payloads), chunksize=8)
            for key, data in zip(missing, results, strict=True):
                self.rendered += 1
                self._memory[key] = data
                path = self._path(key, kind)
                if path is not None:
                    _write_atomically(path, data)
                if progress:
                    progress(1)

    def missing(self, specs: list[dict[str, Any]], kind: str = "svg") -> int:
        """How many of ``specs`` are yet to be drawn (neither in memory nor on
        disk): what ``prepare`` will draw, so progress can say "n of N"."""
        return len(self._missing(specs, kind))

    def _missing(self, specs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
        """The specs not drawn yet, by key; those on disk are read into memory."""
        missing: dict[str, dict[str, Any]] = {}
        for spec in specs:
            key = _hash(spec, kind)
            if key in self._memory or key in missing:
                continue
            path = self._path(key, kind)
            if path is not None and path.exists():
                self._memory[key] = path.read_bytes()
            else:
                missing[key] = spec
        return missing

    def _path(self, key: str, kind: str) -> Path | None:
        return self.cache_dir / f"{key}.{kind.split('@')[0]}" if self.cache_dir else None

    def _get(self, spec: dict[str, Any], kind: str) -> bytes:
        key = _hash(spec, kind)
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        path = self._path(key, kind)
        if path is not None and path.exists():
            data = path.read_bytes()
        else:
            data = self._render(spec, kind)
            if path is not None:
                _write_atomically(path, data)
        with self._lock:
            self._memory[key] = data
        return data

    def _render(self, spec: dict[str, Any], kind: str) -> bytes:
        self.rendered += 1
        return render_chart(spec, kind)


PARALLEL_FROM = 24  # fewer charts than this are quicker drawn here than in new processes


_hashes: dict[tuple[int, str], tuple[dict[str, Any], str]] = {}


def _hash(spec: dict[str, Any], kind: str) -> str:
    """The cache key of ``spec``, remembered for the spec object (specs are shared)."""
    known = _hashes.get((id(spec), kind))
    if known is not None and known[0] is spec:
        return known[1]
    key = _compute_hash(spec, kind)
    if len(_hashes) > 20000:
        _hashes.clear()
    _hashes[(id(spec), kind)] = (spec, key)
    return key


def _compute_hash(spec: dict[str, Any], kind: str) -> str:
    import vl_convert as vlc

    version = getattr(vlc, "__version__", "")
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{version}|{kind}|{text}".encode()).hexdigest()[:32]


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError:
        pass  # a cache that cannot be written is only slower, never wrong


def default_cache_dir() -> Path | None:
    """``PERFREPORT_CACHE_DIR``, else ``$XDG_CACHE_HOME/perfreport/charts``, else
    ``~/.cache/perfreport/charts``; an empty PERFREPORT_CACHE_DIR turns the disk cache off."""
    configured = os.environ.get("PERFREPORT_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "perfreport" / "charts"
