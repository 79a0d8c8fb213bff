"""Small import folders that tests in several folders build: CSV writing and
the benchmarked indicator (a home council, four neighbours, England)."""

from __future__ import annotations

import csv
from pathlib import Path


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


ORGS = [
    ["H1", "Home Council", "county", "yes"],
    ["N1", "Neighbour One", "county", "no"],
    ["N2", "Neighbour Two", "county", "no"],
    ["N3", "Neighbour Three", "county", "no"],
    ["N4", "Neighbour Four", "county", "no"],
    ["X1", "Not a neighbour", "county", "no"],
    ["E92000001", "England", "england", "no"],
]
GROUP = [["My neighbours", code, "statistical_neighbours"] for code in ("N1", "N2", "N3", "N4")]
BENCHMARK_ROWS = [
    ["H1", "NAT1", "2019/20", "61.0", "", ""],
    ["N1", "NAT1", "2019/20", "70", "", ""],
    ["N2", "NAT1", "2019/20", "50", "", ""],
    ["N3", "NAT1", "2019/20", "55.5", "", ""],
    ["N4", "NAT1", "2019/20", "c", "", ""],
    ["X1", "NAT1", "2019/20", "99", "", ""],
    ["E92000001", "NAT1", "2019/20", "58.2", "", ""],
    ["H1", "NAT1", "2018/19", "40", "", ""],
]
BENCHMARK_HEADER = ["organisation", "indicator", "period", "value", "numerator", "denominator"]


def benchmarked_folder(
    folder: Path, benchmarks: list[list[str]] | None = None, header: list[str] | None = None
) -> Path:
    """Indicator P1 (percent, annual, 61.0 in 2019/20) of national measure NAT1,
    benchmarked against "My neighbours" (N1 to N4) and England."""
    folder.mkdir(parents=True)
    write_csv(folder / "organisations.csv", ["code", "name", "kind", "home"], ORGS)
    write_csv(folder / "groups.csv", ["group", "organisation", "kind"], GROUP)
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals",
         "national_code", "comparator_group"],
        [["P1", "Pupils reaching the standard", "percent", "higher", "annual", "targeted", "1",
          "NAT1", "My neighbours"]],
    )  # fmt: skip
    write_csv(folder / "values.csv", ["ref", "period", "value"], [["P1", "2019/20", "61.0"]])
    rows = BENCHMARK_ROWS if benchmarks is None else benchmarks
    write_csv(folder / "benchmarks.csv", header or BENCHMARK_HEADER, rows)
    return folder
