"""Drawing one chart with vl-convert. A module of its own, free of Django, so
that worker processes start quickly and need no settings."""

from __future__ import annotations

import json
from typing import Any


def render_chart(spec: dict[str, Any], kind: str) -> bytes:
    """Draw one chart: ``svg`` or ``png@SCALE``."""
    import vl_convert as vlc

    if kind == "svg":
        return str(vlc.vegalite_to_svg(spec)).encode("utf-8")
    scale = float(kind.split("@")[1])
    return bytes(vlc.vegalite_to_png(spec, scale=scale))


def render_in_worker(payload: str, kind: str) -> bytes:
    return render_chart(json.loads(payload), kind)
