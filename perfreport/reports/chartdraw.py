"""Drawing charts with vl-convert. A module of its own, free of Django, so
that worker processes start quickly and need no settings.

Compiling a Vega-Lite spec to Vega is about a third of drawing a chart, and
the charts of one report come in few shapes (unit, series shown, rating).
So a spec is split into its shape and its slots (the data, the labels shown,
the description); each shape is compiled once per process and the slots are
filled into the compiled Vega spec. The result is the same image as compiling
the whole spec (a test checks it).
"""

from __future__ import annotations

import json
from typing import Any

_compiled: dict[str, dict[str, Any]] = {}
MAIN = [{"slot": "main"}]
LATEST = [{"slot": "latest"}]


def render_chart(spec: dict[str, Any], kind: str) -> bytes:
    """Draw one chart: ``svg`` or ``png@SCALE``."""
    import vl_convert as vlc

    vega = to_vega(spec)
    if kind == "svg":
        return str(vlc.vega_to_svg(vega)).encode("utf-8")
    scale = float(kind.split("@")[1])
    return bytes(vlc.vega_to_png(vega, scale=scale))


def render_in_worker(payload: str, kind: str) -> bytes:
    return render_chart(json.loads(payload), kind)


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The Vega spec of a trend chart's Vega-Lite ``spec``."""
    shape, slots = _split(spec)
    key = json.dumps(shape, sort_keys=True)
    compiled = _compiled.get(key)
    if compiled is None:
        import vl_convert as vlc

        compiled = _compiled[key] = vlc.vegalite_to_vega(shape)
    return _fill(compiled, slots)


def _split(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    shape = dict(spec)
    slots: dict[str, Any] = {"description": spec.get("description", ""), "latest": None}
    shape["description"] = ""
    slots["main"] = spec["data"]["values"]
    shape["data"] = {"values": MAIN}
    slots["params"] = {p["name"]: p.get("value") for p in spec.get("params", [])}
    shape["params"] = [{**p, "value": None} for p in spec.get("params", [])]
    layers = []
    for layer in spec.get("layer", []):
        if "data" in layer:
            slots["latest"] = layer["data"]["values"]
            layer = {**layer, "data": {"values": LATEST}}
        layers.append(layer)
    shape["layer"] = layers
    return shape, slots


def _fill(compiled: dict[str, Any], slots: dict[str, Any]) -> dict[str, Any]:
    vega = dict(compiled)
    vega["description"] = slots["description"]
    data = []
    for entry in compiled.get("data", []):
        if entry.get("values") == MAIN:
            entry = {**entry, "values": slots["main"]}
        elif entry.get("values") == LATEST:
            entry = {**entry, "values": slots["latest"]}
        data.append(entry)
    vega["data"] = data
    vega["signals"] = [
        {**signal, "value": slots["params"][signal["name"]]}
        if signal.get("name") in slots["params"]
        else signal
        for signal in compiled.get("signals", [])
    ]
    return vega
