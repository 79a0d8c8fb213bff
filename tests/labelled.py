"""A small register with unit labels ("£m", "days", "per 10,000") and a figure
withheld as published ("c"), for the tests of issue 12 items 5 and 7."""

from __future__ import annotations

from pathlib import Path

from builders import write_csv

INDICATORS_HEADER = [
    "ref", "title", "unit", "unit_label", "polarity", "frequency", "rating_basis", "decimals",
]  # fmt: skip
INDICATORS = [
    ["F1", "Net revenue spend", "currency", "£m", "lower", "quarterly", "targeted", "1"],
    ["D1", "Days to process a claim", "number", "days", "lower", "quarterly", "targeted", "1"],
    ["R1", "Children in care", "number", "per 10,000", "lower", "quarterly", "contextual", "1"],
    ["C1", "Adoptions within 12 months", "count", "", "higher", "quarterly", "targeted", "0"],
]
VALUES_HEADER = ["ref", "period", "value", "target", "stated_rag", "commentary", "actions"]
VALUES = [
    ["F1", "2020/21 Q1", "£4.1m", "£4.5m", "", "", ""],
    ["F1", "2020/21 Q2", "4.2m", "4.5", "", "", ""],
    ["D1", "2020/21 Q1", "12.5 days", "14", "", "", ""],
    ["D1", "2020/21 Q2", "11.9", "14", "", "", ""],
    ["R1", "2020/21 Q1", "52.3", "", "", "", ""],
    ["R1", "2020/21 Q2", "51", "", "", "", ""],
    ["C1", "2020/21 Q1", "12", "10", "green", "", ""],
    ["C1", "2020/21 Q2", "c", "10", "", "Fewer than five: withheld to protect the children.", ""],
]


def labelled_folder(folder: Path, values: list[list[str]] | None = None) -> Path:
    """The four indicators above and their values (or ``values``)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "indicators.csv", INDICATORS_HEADER, INDICATORS)
    write_csv(folder / "values.csv", VALUES_HEADER, VALUES if values is None else values)
    return folder
