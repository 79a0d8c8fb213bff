"""Build small import folders for tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import write_csv

from perfreport.data.models import Observation
from perfreport.imports.problems import ImportFailed, Level
from perfreport.imports.service import import_path
from perfreport.registry.models import Indicator

INDICATOR_HEADER = ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals"]
VALUES_HEADER = ["ref", "period", "value", "target", "stated_rag", "commentary", "actions"]


def small_folder(
    folder: Path,
    indicators: list[list[str]] | None = None,
    values: list[list[str]] | None = None,
) -> Path:
    """Two indicators and a few values, or the rows given."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "indicators.csv",
        INDICATOR_HEADER,
        indicators
        or [
            ["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"],
            ["A2", "Web sessions", "count", "higher", "monthly", "contextual", "0"],
        ],
    )
    write_csv(
        folder / "values.csv",
        VALUES_HEADER,
        values
        or [
            ["A1", "2020-08", "87.5", "85", "", "", ""],
            ["A1", "2020-09", "87.0", "85", "green", "Met again.", ""],
            ["A2", "2020-09", "432584", "", "contextual", "", ""],
        ],
    )
    return folder


def refused(folder: Path) -> list[str]:
    """Import ``folder``, expect refusal, check nothing was written, return the messages."""
    with pytest.raises(ImportFailed) as caught:
        import_path(folder)
    assert Indicator.objects.count() == 0
    assert Observation.objects.count() == 0
    return [str(p) for p in caught.value.problems if p.level is Level.ERROR]
