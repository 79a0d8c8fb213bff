"""Benchmark: the exception pack (issue 15, item 6), time and peak memory.

1. The seed (17 indicators) with a small plan, as PDF: one cold CLI run.
2. 500 indicators with 12 quarters of history, a plan of 4 priorities,
   20 outcomes (25 indicators each) and 200 actions (one in five overdue),
   as PDF, HTML, Word and Excel: one cold CLI run each.
3. The full report of the same 500 indicators as PDF, for comparison.

Each run is ``/usr/bin/time -v perfreport report ... --pack exceptions``:
wall seconds and the maximum resident set size of the process.

    python bench/report_pack.py [--indicators 500] [--quarters 12]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from report_pdf import EXAMPLE, EXE, make_data

PLAN = """
import sys
from datetime import date, timedelta
from decimal import Decimal
import django
django.setup()
from perfreport.registry.models import Indicator, PlanAction, PlanItem, PlanLink
outcomes_wanted, actions_wanted = int(sys.argv[1]), int(sys.argv[2])
PlanAction.objects.all().delete()
PlanItem.objects.all().delete()
indicators = list(Indicator.objects.order_by("ref"))
priorities = [PlanItem.objects.create(ref=f"P{p}", title=f"Priority {p}", position=p)
              for p in range(1, 5)]
outcomes = [PlanItem.objects.create(ref=f"O{n:02d}", title=f"Outcome {n}",
                                    parent=priorities[n % 4], position=n)
            for n in range(outcomes_wanted)]
share = max(1, len(indicators) // len(outcomes))
PlanLink.objects.bulk_create(
    PlanLink(item=outcomes[min(i // share, len(outcomes) - 1)], indicator=ind, position=i)
    for i, ind in enumerate(indicators))
start = date(2020, 4, 1)
for n in range(actions_wanted):
    overdue = n % 5 == 0
    action = PlanAction.objects.create(
        ref=f"A{n:03d}", kind="action" if n % 3 else "project", title=f"Action {n}",
        owner="Head of Service", start=start,
        due=date(2020, 8, 31) if overdue else start + timedelta(days=300 + n),
        percent_complete=Decimal(n % 90))
    action.outcomes.add(outcomes[n % len(outcomes)])
    if n % 4:
        action.indicators.add(indicators[(n * 7) % len(indicators)])
"""


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of ``perfreport ARGS``, by /usr/bin/time -v."""
    result = subprocess.run(["/usr/bin/time", "-v", str(EXE), *args], env=env, cwd=cwd,
                            capture_output=True, text=True)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"perfreport {' '.join(args)} failed:\n{result.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)",
                     result.stderr)  # fmt: skip
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert wall and peak, result.stderr
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return total, int(peak.group(1)) / 1024


def add_plan(env: dict[str, str], cwd: Path, outcomes: int, actions: int) -> None:
    subprocess.run([sys.executable, "-c", PLAN, str(outcomes), str(actions)],
                   env={**env, "DJANGO_SETTINGS_MODULE": "perfreport.settings"}, cwd=cwd,
                   check=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--quarters", type=int, default=12)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        seed_env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'seed.sqlite3'}",
                    "PERFREPORT_CACHE_DIR": ""}  # fmt: skip
        big_env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'big.sqlite3'}",
                   "PERFREPORT_CACHE_DIR": ""}  # fmt: skip
        for env in (seed_env, big_env):
            subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, cwd=work, check=True)
        subprocess.run([str(EXE), "import", str(EXAMPLE)], env=seed_env, cwd=work, check=True,
                       capture_output=True)  # fmt: skip
        add_plan(seed_env, work, 4, 6)
        period = make_data(work / "big", args.indicators, args.quarters)
        subprocess.run([str(EXE), "import", str(work / "big")], env=big_env, cwd=work,
                       check=True, capture_output=True)  # fmt: skip
        add_plan(big_env, work, 20, 200)

        pack = ["report", "--pack", "exceptions"]
        seconds, peak = timed([*pack, "--period", "2020/21 Q2", "-o", "seed.pdf"], seed_env, work)
        rows.append(
            ("seed, 17 indicators, pack PDF, cold CLI", seconds, peak, _pages(work / "seed.pdf"))
        )
        for fmt in ("pdf", "html", "docx", "xlsx"):
            output = f"big-pack.{fmt}"
            seconds, peak = timed([*pack, "--period", period, "-o", output], big_env, work)
            pages = _pages(work / output) if fmt == "pdf" else ""
            rows.append((f"{args.indicators} indicators, 200 actions, pack {fmt.upper()}, cold CLI",
                         seconds, peak, pages))  # fmt: skip
        seconds, peak = timed(["report", "--period", period, "-o", "big.pdf"], big_env, work)
        rows.append((f"{args.indicators} indicators, full report PDF, cold CLI", seconds, peak,
                     _pages(work / "big.pdf")))  # fmt: skip
    print(f"{'run':<58}{'seconds':>8}{'peak MiB':>10}{'pages':>7}")
    for name, seconds, peak, pages in rows:
        print(f"{name:<58}{seconds:>8.2f}{peak:>10.0f}{pages!s:>7}")


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    main()
