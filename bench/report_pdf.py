"""Benchmark: the report as PDF (issue 3's figures).

1. The seed report (17 indicators) as PDF, one cold CLI run: target <= 2 s.
   "Cold" means a new process and no chart cache on disk (PERFREPORT_CACHE_DIR
   set empty), so every chart is drawn.
2. The seed report rendered again inside one process (charts cached in
   memory): target <= 0.3 s.
3. 500 indicators with 12 quarters of history each, as PDF, one cold CLI
   run: target <= 10 s, with peak memory.
4. The same 500 indicators as HTML, then printed to PDF by WeasyPrint, end to
   end; ours must be at least 5x faster.

Peak memory is the largest resident set of the process (for the CLI runs,
of the perfreport process; chart workers are separate processes, reported
as the largest of them).

    python bench/report_pdf.py [--indicators 500] [--quarters 12]
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

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "perfreport"
EXAMPLE = ROOT / "examples" / "cambridgeshire-2020-21-q2"


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, the command's own peak RSS and its children's (MiB)."""
    start = time.perf_counter()
    wrapper = (
        "import resource, subprocess, sys\n"
        "code = subprocess.call(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, str(EXE), *args],
        env=env, cwd=cwd, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"perfreport {' '.join(args)} failed:\n{result.stderr}")
    peak = int(result.stderr.strip().splitlines()[-1]) / 1024
    return seconds, peak, 0.0


def make_data(folder: Path, indicators: int, quarters: int, seed: int = 2021) -> str:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    first_year = 2021 - (quarters + 3) // 4
    periods = [
        f"{first_year + (q // 4)}/{(first_year + q // 4 + 1) % 100:02d} Q{q % 4 + 1}"
        for q in range(quarters)
    ]
    with (folder / "indicators.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals",
                         "directorate", "service", "description", "england_mean"])  # fmt: skip
        for n in range(indicators):
            writer.writerow([
                f"P{n:03d}", f"Synthetic indicator {n} of the benchmark", "percent",
                "higher" if n % 4 else "lower", "quarterly", "targeted" if n % 8 else "contextual",
                "1", f"Directorate {n % 6}", f"Service {n % 30}",
                "A synthetic indicator with a realistic description of how it is calculated, "
                "where the data come from and what good performance looks like.",
                f"{rng.uniform(50, 90):.1f}",
            ])  # fmt: skip
    with (folder / "values.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ref", "period", "value", "target", "commentary", "actions"])
        for n in range(indicators):
            level = rng.uniform(50, 90)
            for i, period in enumerate(periods):
                level = min(100, max(0, level + rng.gauss(0, 3)))
                last = i == len(periods) - 1
                writer.writerow([
                    f"P{n:03d}", period, f"{level:.1f}", "80" if n % 8 else "",
                    "Performance this quarter reflects demand and staffing. " * 4 if last else "",
                    "An improvement plan is in place." if last else "",
                ])  # fmt: skip
    return periods[-1]


def weasyprint_seconds(html_path: Path, pdf_path: Path) -> float:
    code = (
        "import sys, time, weasyprint\n"
        "start = time.perf_counter()\n"
        "weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])\n"
        "print(time.perf_counter() - start)\n"
    )
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, str(html_path), str(pdf_path)],
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"WeasyPrint failed:\n{result.stderr}")
    return time.perf_counter() - start


def warm_seed_seconds(database: Path, repeats: int = 5) -> float:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["PERFREPORT_CACHE_DIR"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfreport.settings")
    import django

    django.setup()
    from perfreport.core.periods import parse_period
    from perfreport.reports.context import ReportSettings
    from perfreport.reports.service import render, report_context

    period = parse_period("2020/21 Q2")
    render(report_context(period, ReportSettings()), "pdf")  # draws the charts once
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        render(report_context(period, ReportSettings()), "pdf")
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--quarters", type=int, default=12)
    parser.add_argument(
        "--skip-weasyprint",
        action="store_true",
        help="leave out the WeasyPrint comparison (it takes minutes)",
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seed_db, big_db = work / "seed.sqlite3", work / "big.sqlite3"
        seed_env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{seed_db}",
            "PERFREPORT_CACHE_DIR": "",
        }
        big_env = {**os.environ, "DATABASE_URL": f"sqlite:///{big_db}", "PERFREPORT_CACHE_DIR": ""}
        for env in (seed_env, big_env):
            subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, cwd=work, check=True)
        subprocess.run([str(EXE), "import", str(EXAMPLE)], env=seed_env, cwd=work, check=True,
                       capture_output=True)  # fmt: skip
        period = make_data(work / "big", args.indicators, args.quarters)
        subprocess.run([str(EXE), "import", str(work / "big")], env=big_env, cwd=work, check=True,
                       capture_output=True)  # fmt: skip

        seconds, peak, _ = run(
            ["report", "--period", "2020/21 Q2", "-o", "seed.pdf"], seed_env, work
        )
        rows.append(("seed, 17 indicators, PDF, cold CLI", seconds, peak, "<= 2 s"))
        big = ["report", "--period", period, "-o", "big.pdf"]
        seconds, peak, _ = run(big, big_env, work)
        ours = seconds
        pages = _pages(work / "big.pdf")
        rows.append((f"{args.indicators} indicators x {args.quarters} quarters, PDF, cold CLI ({pages} pages)",
                     seconds, peak, "<= 10 s"))  # fmt: skip
        warm_env = {**big_env, "PERFREPORT_CACHE_DIR": str(work / "cache")}
        run(big, warm_env, work)  # fills the disk cache
        seconds, peak, _ = run(big, warm_env, work)
        rows.append(
            (f"{args.indicators} indicators, PDF, charts cached on disk", seconds, peak, "")
        )
        if not args.skip_weasyprint:
            html_seconds, peak, _ = run(
                ["report", "--period", period, "-o", "big.html"], big_env, work
            )
            printing = weasyprint_seconds(work / "big.html", work / "big-weasyprint.pdf")
            theirs = html_seconds + printing
            rows.append((f"{args.indicators} indicators, HTML (cold CLI) then WeasyPrint", theirs, peak,
                         f"ours {theirs / ours:.1f}x faster (>= 5x)"))  # fmt: skip
            rows.append(("  of which WeasyPrint printing the HTML", printing, 0.0, ""))
        warm = warm_seed_seconds(seed_db)
        rows.append(("seed, PDF, warm, inside one process", warm,
                     resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "<= 0.3 s"))  # fmt: skip
    print(f"{'run':<66}{'seconds':>8}{'peak MiB':>10}  target")
    for name, seconds, peak, target in rows:
        print(f"{name:<66}{seconds:>8.2f}{peak:>10.0f}  {target}")


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    main()
