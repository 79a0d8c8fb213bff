"""Benchmark: import 1,000 indicators x 60 monthly values into SQLite, then
evaluate them all for one period.

Targets (issue 2): import <= 5 s, evaluate <= 1 s. Each step runs as the
``perfreport`` command in its own process, as a BI analyst would run it, and
is timed end to end (wall clock, including Python and Django start-up) with
the process's peak memory (max RSS). The in-process time of the work itself
is printed too, from a second run inside this process.

    python bench/import_evaluate.py [--indicators 1000] [--periods 60]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).parent / "perfreport"


def make_data(folder: Path, indicators: int, periods: int, seed: int = 2020) -> None:
    rng = random.Random(seed)
    months = []
    year, month = 2016, 4
    for _ in range(periods):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    with (folder / "indicators.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "ref",
                "title",
                "unit",
                "polarity",
                "frequency",
                "rating_basis",
                "decimals",
                "directorate",
                "service",
            ]
        )
        for n in range(indicators):
            basis = "targeted" if n % 10 else "contextual"
            writer.writerow(
                [
                    f"B{n:04d}",
                    f"Synthetic indicator {n}",
                    "percent",
                    "higher" if n % 3 else "lower",
                    "monthly",
                    basis,
                    "1",
                    f"Directorate {n % 5}",
                    f"Service {n % 25}",
                ]
            )
    with (folder / "values.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ref", "period", "value", "target", "stated_rag"])
        for n in range(indicators):
            level = rng.uniform(40, 95)
            for i, period in enumerate(months):
                level = min(100, max(0, level + rng.gauss(0, 2)))
                target = "90" if n % 10 and i == periods - 1 else ""
                writer.writerow([f"B{n:04d}", period, f"{level:.1f}", target, ""])
    return None


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Run the command in a child; wall seconds and the child's peak RSS in MiB."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child: exec the command, output to a file
        out = os.open(cwd / "out.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.chdir(cwd)
        os.execve(str(EXE), [str(EXE), *args], env)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    output = (cwd / "out.txt").read_text()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


def in_process(folder: Path, database: Path, period: str) -> tuple[float, float]:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfreport.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from perfreport.core.periods import parse_period
    from perfreport.data.present import evaluation_record
    from perfreport.data.selectors import evaluate_period
    from perfreport.imports.service import import_path

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    import_path(folder)
    import_seconds = time.perf_counter() - start
    start = time.perf_counter()
    result = evaluate_period(parse_period(period))
    [evaluation_record(row) for row in result.rows]
    return import_seconds, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=60)
    args = parser.parse_args()
    period = "2020/21 Q4" if args.periods == 60 else "2030/31 Q4"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "data"
        data.mkdir()
        make_data(data, args.indicators, args.periods)
        values = args.indicators * args.periods
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}"}
        timed(["migrate", "-v", "0"], env, work)
        results = [
            ("import (CLI, cold)", *timed(["import", str(data)], env, work)[:2]),
            (
                "evaluate --format json (CLI, cold)",
                *timed(["evaluate", "--period", period, "--format", "json"], env, work)[:2],
            ),
            (
                "evaluate --format table (CLI, cold)",
                *timed(["evaluate", "--period", period], env, work)[:2],
            ),
            ("re-import, nothing changes (CLI)", *timed(["import", str(data)], env, work)[:2]),
        ]
        baseline = timed(["--version"], env, work)
        import_s, evaluate_s = in_process(data, work / "inproc.sqlite3", period)
        peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.indicators} indicators x {args.periods} monthly periods = {values:,} values, SQLite"
    )
    print(f"{'step':<40}{'seconds':>9}{'peak MiB':>10}")
    for name, seconds, peak in results:
        print(f"{name:<40}{seconds:>9.2f}{peak:>10.0f}")
    print(f"{'perfreport --version (start-up only)':<40}{baseline[0]:>9.2f}{baseline[1]:>10.0f}")
    print(f"{'import_path() in process':<40}{import_s:>9.2f}")
    print(f"{'evaluate_period() + records in process':<40}{evaluate_s:>9.2f}{peak_self:>10.0f}")


if __name__ == "__main__":
    main()
