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
5. With ``--plan``: the same 500 indicators under a plan of 20 outcomes
   (5 priorities), each indicator linked to one or more outcomes, and 200
   actions with milestones; the PDF without the plan section (a report.toml
   leaving it out) and with it, on the same database, cold: issue 15 asks the
   report with the plan to stay within the 500-indicator figures (+20%).

Peak memory is the largest resident set of the process (for the CLI runs,
of the perfreport process; chart workers are separate processes, reported
as the largest of them).

    python bench/report_pdf.py [--indicators 500] [--quarters 12] [--plan]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "perfreport"
EXAMPLE = ROOT / "examples" / "cambridgeshire-2020-21-q2"


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, the command's peak RSS (MiB) and the CPU seconds (user and
    system) of the command and the chart workers it waited for."""
    start = time.perf_counter()
    wrapper = (
        "import resource, subprocess, sys\n"
        "code = subprocess.call(sys.argv[1:])\n"
        "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(used.ru_utime + used.ru_stime, file=sys.stderr)\n"
        "print(used.ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, str(EXE), *args],
        env=env, cwd=cwd, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"perfreport {' '.join(args)} failed:\n{result.stderr}")
    lines = result.stderr.strip().splitlines()
    return seconds, int(lines[-1]) / 1024, float(lines[-2])


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


PRIORITIES, OUTCOMES, ACTIONS = 5, 20, 200


def make_plan(folder: Path, indicators: int, seed: int = 2021) -> None:
    """A plan over the synthetic indicators: 5 priorities of 4 outcomes, each
    indicator linked to one to three outcomes (the ``outcomes`` column of
    indicators.csv), and 200 actions and projects with two or three
    milestones each, their dates around the last quarter (2020/21 Q4), so that
    every status occurs."""
    rng = random.Random(seed)
    outcomes = [f"P{p}.{o}" for p in range(1, PRIORITIES + 1)
                for o in range(1, OUTCOMES // PRIORITIES + 1)]  # fmt: skip
    with (folder / "plan.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ref", "parent", "title", "description", "lead"])
        for p in range(1, PRIORITIES + 1):
            writer.writerow([f"P{p}", "", f"Priority {p} of the benchmark plan",
                             "A synthetic priority.", f"Director {p}"])  # fmt: skip
        for ref in outcomes:
            writer.writerow([ref, ref.split(".")[0], f"Outcome {ref} of the benchmark plan",
                             "A synthetic outcome with a sentence of description.", ""])  # fmt: skip
    rows = list(csv.reader((folder / "indicators.csv").open()))
    rows[0].append("outcomes")
    for row in rows[1:]:
        row.append(";".join(rng.sample(outcomes, rng.choice((1, 1, 2, 3)))))
    with (folder / "indicators.csv").open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with (folder / "actions.csv").open("w", newline="") as actions, \
            (folder / "milestones.csv").open("w", newline="") as milestones:  # fmt: skip
        a = csv.writer(actions, lineterminator="\n")
        m = csv.writer(milestones, lineterminator="\n")
        a.writerow(["ref", "kind", "title", "owner", "outcomes", "indicators", "start", "due",
                    "percent_complete", "progress", "progress_period"])  # fmt: skip
        m.writerow(["action", "title", "due", "completed_on"])
        for n in range(ACTIONS):
            due_month = rng.randint(1, 18)  # due from January 2021 to June 2022
            due = f"{2020 + (due_month + 11) // 12}-{(due_month - 1) % 12 + 1:02d}-28"
            a.writerow([
                f"A{n:03d}", "project" if n % 3 == 0 else "action",
                f"Synthetic action {n} of the benchmark plan", f"Head of Service {n % 30}",
                ";".join(rng.sample(outcomes, rng.choice((1, 1, 2)))),
                f"P{rng.randrange(indicators):03d}", "2020-04-01", due,
                str(rng.randint(0, 100)), "Progress this quarter is as the plan expected.",
                "2020/21 Q4",
            ])  # fmt: skip
            for k in range(2 + n % 2):
                month = 6 + 3 * k
                m.writerow([f"A{n:03d}", f"Milestone {k + 1}", f"2020-{month:02d}-30",
                            f"2020-{month:02d}-15" if rng.random() < 0.7 else ""])  # fmt: skip


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
        "--plan",
        action="store_true",
        help="add a plan (20 outcomes, 200 actions) and time the PDF without and with it",
    )
    parser.add_argument(
        "--plan-only", action="store_true", help="only the --plan rows (no seed, no others)"
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="cold runs of each, with --plan (default 3)"
    )
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
        if args.plan_only:
            rows.extend(plan_rows(work, period, args.indicators, args.repeats))
            _print(rows)
            return
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
        if args.plan:
            rows.extend(plan_rows(work, period, args.indicators, args.repeats))
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
    _print(rows)


def _print(rows: list[tuple[str, float, float, str]]) -> None:
    print(f"{'run':<66}{'seconds':>8}{'peak MiB':>10}  target")
    for name, seconds, peak, target in rows:
        print(f"{name:<66}{seconds:>8.2f}{peak:>10.0f}  {target}")


def plan_rows(
    work: Path, period: str, indicators: int, repeats: int
) -> list[tuple[str, float, float, str]]:
    """The same indicators with a plan, in a database of their own: the cold
    PDF without the plan section (a report.toml leaving it out) and with it,
    in turn, ``repeats`` times each; the fastest of each, and its peak."""
    folder = work / "big-plan"
    shutil.copytree(work / "big", folder)
    make_plan(folder, indicators)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'plan.sqlite3'}",
           "PERFREPORT_CACHE_DIR": ""}  # fmt: skip
    subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, cwd=work, check=True)
    subprocess.run([str(EXE), "import", str(folder)], env=env, cwd=work, check=True,
                   capture_output=True)  # fmt: skip
    config = work / "no-plan.toml"
    config.write_text('sections = ["cover", "summary", "key", "indicators"]\n')
    runs = {
        "without": ["report", "--period", period, "--config", str(config), "-o", "no-plan.pdf"],
        "with": ["report", "--period", period, "-o", "plan.pdf"],
    }
    times: dict[str, list[tuple[float, float, float]]] = {"without": [], "with": []}
    for _ in range(repeats):
        for name, args in runs.items():
            times[name].append(run(args, env, work))
    best = {name: min(found) for name, found in times.items()}
    cpu = {name: min(t[2] for t in found) for name, found in times.items()}
    spread = {name: ", ".join(f"{t[0]:.2f}" for t in found) for name, found in times.items()}
    plain = best["without"][0]
    return [
        (f"{indicators} indicators with a plan, PDF without the plan section "
         f"({_pages(work / 'no-plan.pdf')} pages)", *best["without"][:2],
         f"runs: {spread['without']}; CPU {cpu['without']:.2f} s"),
        (f"{indicators} indicators, PDF with the plan section "
         f"({_pages(work / 'plan.pdf')} pages)", *best["with"][:2],
         f"{best['with'][0] / plain - 1:+.0%}; runs: {spread['with']}; CPU {cpu['with']:.2f} s "
         f"({cpu['with'] / cpu['without'] - 1:+.0%})"),
    ]  # fmt: skip


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    main()
