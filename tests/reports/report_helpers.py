"""Helpers the report tests share."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from perfreport.reports.config import load_settings
from perfreport.reports.context import IndicatorSection, ReportSettings

# The seed's cover is its report.toml's: with no settings a report takes the
# home organisation's, else neutral words.
SEED_CONFIG = Path(__file__).resolve().parents[2] / "examples/cambridgeshire-2020-21-q2/report.toml"


def seed_settings(**overrides: Any) -> ReportSettings:
    """The seed's report settings, as ``perfreport report --config`` reads them."""
    return dataclasses.replace(load_settings(SEED_CONFIG), **overrides)


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def no_data(section: IndicatorSection) -> dict[str, Any]:
    """The fields that make ``section`` an indicator with no value, history or text."""
    return {
        "current": "No value",
        "current_period": "",
        "previous": "No value",
        "previous_period": "",
        "change": None,
        "rating": None,
        "stated_rating": None,
        "rating_differs": False,
        "explanation": "",
        "chart": dataclasses.replace(section.chart, points=(), latest_rating=None),
        "history": (),
        "description": (),
        "commentary": (),
        "actions": (),
        "links": (),
    }
