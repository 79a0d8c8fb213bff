"""Benchmark: benchmarks, SPC and forecasts for 1,000 indicators x 60 periods
(issue 4's figure: <= 2 s).

Every indicator has 60 monthly values, a national code with values for the
home council, ten statistical neighbours and England, and a milestone target
six months after its latest value, so that every one is benchmarked, charted
(XmR: 60 points) and forecast by both methods. The data are imported into a
new SQLite database first (not timed); then, inside one process, the
evaluation with its benchmarks (``evaluate_period``) and the analytics of every
row (``analyse_all``: SPC, forecasts, drafted commentary) are timed, best of
three, with peak memory.

    python bench/analytics.py [--indicators 1000] [--periods 60]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).parent / "perfreport"


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def make_data(folder: Path, indicators: int, periods: int, seed: int = 4) -> str:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    neighbours = [f"N{n:02d}" for n in range(1, 11)]
    write(folder / "organisations.csv", ["code", "name", "kind", "home"],
          [["H", "Home council", "county", "yes"], ["E92000001", "England", "england", "no"],
           *[[code, f"Neighbour {code}", "county", "no"] for code in neighbours]])  # fmt: skip
    write(folder / "groups.csv", ["group", "organisation", "kind"],
          [["Statistical neighbours", code, "statistical_neighbours"] for code in neighbours])  # fmt: skip
    months = [(2021 * 12 + 2 - periods + 1 + m) for m in range(periods)]  # ending 2021-03
    labels = [f"{m // 12}-{m % 12 + 1:02d}" for m in months]
    milestone = f"{(months[-1] + 6) // 12}-{(months[-1] + 6) % 12 + 1:02d}"
    refs = [f"K{n:04d}" for n in range(indicators)]
    write(folder / "indicators.csv",
          ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals",
           "national_code"],
          [[ref, f"Indicator {ref}", "percent", "higher" if n % 3 else "lower", "monthly",
            "targeted", "1", f"NAT{ref}"] for n, ref in enumerate(refs)])  # fmt: skip
    values, targets, benchmarks = [], [], []
    for ref in refs:
        level, drift = rng.uniform(40, 80), rng.uniform(-0.2, 0.2)
        for label in labels:
            level = min(100, max(0, level + drift + rng.gauss(0, 2)))
            values.append([ref, label, f"{level:.1f}", "70"])
        targets.append([ref, "milestone", milestone, "75"])
        for code in ["H", "E92000001", *neighbours]:
            benchmarks.append([code, f"NAT{ref}", "2019/20", f"{rng.uniform(40, 90):.1f}"])
    write(folder / "values.csv", ["ref", "period", "value", "target"], values)
    write(folder / "targets.csv", ["ref", "kind", "period", "target"], targets)
    write(folder / "benchmarks.csv", ["organisation", "indicator", "period", "value"], benchmarks)
    return labels[-1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        database = work / "analytics.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
        period = make_data(work / "data", args.indicators, args.periods)
        subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([str(EXE), "import", str(work / "data")], env=env, check=True,
                       capture_output=True)  # fmt: skip
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfreport.settings")
        import django

        django.setup()
        from perfreport.data.selectors import evaluate_period
        from perfreport.registry.periods import read_period

        report_period = read_period(period)
        evaluate_period(report_period).analyse_all()  # warm: imports, statsmodels, numpy
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            result = evaluate_period(report_period)
            evaluated = time.perf_counter()
            result.analyse_all()
            timings.append((time.perf_counter() - start, evaluated - start))
        total, evaluation = min(timings)
        rows = result.rows
        forecast = sum(1 for r in rows if r.analytics.forecast is not None)
        xmr = sum(1 for r in rows if r.analytics.spc and r.analytics.spc.chart == "xmr")
        ranked = sum(1 for r in rows if r.benchmark and r.benchmark.comparison
                     and r.benchmark.comparison.rank is not None)  # fmt: skip
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.indicators} indicators x {args.periods} periods, period {period}")
    print(f"  ranked among neighbours: {ranked}, XmR charts: {xmr}, forecast: {forecast}")
    print(f"  evaluation with benchmarks: {evaluation:.2f} s")
    print(f"  + SPC, forecasts, drafted commentary: {total - evaluation:.2f} s")
    print(f"  total: {total:.2f} s (target <= 2 s); peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
