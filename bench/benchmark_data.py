"""Benchmark: loading national benchmarking data (issue 4's import figures).

1. The DfE LAIT files in examples/lait (641,070 rows, 434 measures, the
   statistical neighbours workbook) into SQLite, one cold CLI run:
   target <= 20 s.
2. Synthetic national data, 5 million rows of benchmarks.csv (200
   organisations x 500 measures x 50 periods), into PostgreSQL through COPY,
   one cold CLI run: target <= 60 s, with peak memory bounded (the rows are
   streamed, never held in memory).

Peak memory is the largest resident set of the perfreport process.

    python bench/benchmark_data.py [--rows 5000000] [--postgres URL] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import report_pdf  # noqa: E402  (the same way of timing a command)

EXE = Path(sys.executable).parent / "perfreport"
LAIT = ROOT / "examples" / "lait"
POSTGRES = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/perfreport")


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the command's peak RSS (MiB), as the report benchmark measures."""
    seconds, peak, _ = report_pdf.run(args, env, cwd)
    return seconds, peak


def make_national(folder: Path, rows: int) -> None:
    """organisations.csv, indicators.csv (measures by national code) and a
    benchmarks.csv of ``rows`` rows."""
    folder.mkdir(parents=True, exist_ok=True)
    organisations, periods = 200, 50
    measures = max(1, rows // (organisations * periods))
    with (folder / "organisations.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name", "kind", "home"])
        writer.writerow(["H000", "Home council", "county", "yes"])
        writer.writerow(["E92000001", "England", "england", "no"])
        for n in range(1, organisations - 1):
            writer.writerow([f"C{n:03d}", f"Council {n}", "county", "no"])
    codes = ["H000", "E92000001", *[f"C{n:03d}" for n in range(1, organisations - 1)]]
    with (folder / "indicators.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ref", "title", "unit", "polarity", "frequency", "rating_basis",
                         "national_code"])  # fmt: skip
        for m in range(measures):
            writer.writerow([f"M{m:04d}", f"Measure {m}", "percent", "higher", "annual",
                             "contextual", f"NAT{m:04d}"])  # fmt: skip
    labels = [f"{1975 + p}/{(1976 + p) % 100:02d}" for p in range(periods)]
    written = 0
    with (folder / "benchmarks.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["organisation", "indicator", "period", "value", "numerator",
                         "denominator"])  # fmt: skip
        for m in range(measures):
            for label in labels:
                for i, code in enumerate(codes):
                    if written >= rows:
                        return
                    numerator = (m * 7 + i * 13 + len(label)) % 900 + 50
                    value = "c" if (m + i) % 97 == 0 else f"{numerator / 10:.1f}"
                    writer.writerow([code, f"NAT{m:04d}", label, value, numerator, 1000])
                    written += 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--postgres", default=POSTGRES, help="an empty database is created")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'lait.sqlite3'}"}
        subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, cwd=work, check=True)
        seconds, peak = run(["import", str(LAIT)], env, work)
        results.append(("LAIT, 641,070 rows, into SQLite (cold CLI)", seconds, peak, "<= 20 s"))
        seconds, peak = run(["import", str(LAIT)], env, work)
        results.append(("LAIT again, nothing changes (SQLite)", seconds, peak, ""))
        if not args.skip_postgres:
            start = time.perf_counter()
            make_national(work / "national", args.rows)
            made = time.perf_counter() - start
            print(f"(wrote {args.rows:,} rows of benchmarks.csv in {made:.1f} s)", file=sys.stderr)
            url = _fresh_database(args.postgres)
            env = {**os.environ, "DATABASE_URL": url}
            subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, cwd=work, check=True)
            seconds, peak = run(["import", str(work / "national")], env, work)
            results.append((f"{args.rows:,} synthetic rows into PostgreSQL, COPY (cold CLI)",
                            seconds, peak, "<= 60 s"))  # fmt: skip
    print(f"{'run':<62}{'seconds':>8}{'peak MiB':>10}  target")
    for name, seconds, peak, target in results:
        print(f"{name:<62}{seconds:>8.2f}{peak:>10.0f}  {target}")


def _fresh_database(url: str) -> str:
    """A new empty database beside the one ``url`` names."""
    import psycopg

    base, _, _ = url.rpartition("/")
    name = "perfreport_benchmark_data"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


if __name__ == "__main__":
    main()
