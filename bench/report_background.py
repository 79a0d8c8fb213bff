"""Benchmark: the report right after an import, with the worker drawing the
charts in the background (issue 16's figure).

Each scenario starts from an empty database and an empty chart cache, with
``perfreport worker`` running (at its default lower CPU priority):

1. import 500 indicators x 12 quarters (CLI), let the worker's "charts" run
   (queued when the import commits) draw the report's charts; how long that
   run took, and how long after the import it finished; then the 500-indicator
   PDF, one cold CLI run: target <= 5 s;
2. the same import, and the PDF asked for at once, while the worker is still
   drawing (the honest figure for someone who does not wait);

and, for comparison on the same machine at the same time, the PDF with no
worker and no chart cache (what a report cost before), and with every chart
already drawn. The load average (1 minute) is printed with each figure, and
each report's CPU seconds (its own and its chart processes'), which depend
less on what else the machine does: run it on a quiet machine.

    python bench/report_background.py [--indicators 500] [--quarters 12]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_pdf import EXE, make_data, run


def load_average() -> float:
    return os.getloadavg()[0]


def fresh(work: Path, name: str) -> dict[str, str]:
    """A database of its own, migrated, with an empty chart cache and media folder."""
    folder = work / name
    folder.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "PERFREPORT_CACHE_DIR": str(folder / "charts"),
        "PERFREPORT_MEDIA_ROOT": str(folder / "media"),
    }
    subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, cwd=folder, check=True)
    return env


def start_worker(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    worker = subprocess.Popen(
        [str(EXE), "worker", "--interval", "0.5"], env=env, cwd=cwd,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(2)  # started and looking at the queue
    return worker


def stop(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    worker.wait(60)


def import_seconds(env: dict[str, str], data: Path, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(EXE), "import", str(data)], env=env, cwd=cwd, check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - start


def charts_run(database: Path, timeout: float = 600) -> tuple[float, str, float]:
    """Once the charts run has finished: its own seconds (started to
    finished), its summary, and the time.time() it finished."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with sqlite3.connect(database) as db:
            row = db.execute(
                "SELECT outcome, started_at, finished_at, summary, error FROM jobs_run "
                "WHERE job = 'charts' ORDER BY id DESC LIMIT 1"
            ).fetchone()
        if row and row[0] in ("ok", "failed"):
            if row[0] == "failed":
                raise SystemExit(f"the charts run failed: {row[4]}")
            started, finished = (_epoch(text) for text in row[1:3])
            return finished - started, row[3], finished
        time.sleep(0.1)
    raise SystemExit("the charts run did not finish: is the worker running?")


def _epoch(text: str) -> float:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # as Django keeps times in SQLite
    return moment.timestamp()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--quarters", type=int, default=12)
    args = parser.parse_args()
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        period = make_data(work / "data", args.indicators, args.quarters)
        report = ["report", "--period", period, "-o", "big.pdf"]
        n = args.indicators

        # 1. import, the worker draws, then the report
        env = fresh(work, "waited")
        worker = start_worker(env, work / "waited")
        try:
            seconds = import_seconds(env, work / "data", work / "waited")
            imported = time.time()
            rows.append((f"import {n} x {args.quarters} (CLI), worker running", seconds,
                         f"load {load_average():.2f}"))  # fmt: skip
            drawing, summary, finished = charts_run(work / "waited" / "db.sqlite3")
            rows.append((f"  the charts run ({summary})", drawing, f"load {load_average():.2f}"))
            rows.append(("  import done to charts drawn", finished - imported, ""))
            seconds, peak, cpu = run(report, env, work / "waited")
            rows.append((f"{n} indicators, PDF, cold CLI after the charts run", seconds,
                         f"<= 5 s; CPU {cpu:.2f} s; {peak:.0f} MiB; load {load_average():.2f}"))  # fmt: skip
        finally:
            stop(worker)

        # 2. import, and the report asked for at once
        env = fresh(work, "at-once")
        worker = start_worker(env, work / "at-once")
        try:
            import_seconds(env, work / "data", work / "at-once")
            seconds, peak, cpu = run(report, env, work / "at-once")
            rows.append((f"{n} indicators, PDF, cold CLI at once after the import", seconds,
                         f"worker drawing meanwhile; CPU {cpu:.2f} s; {peak:.0f} MiB; load {load_average():.2f}"))  # fmt: skip
            charts_run(work / "at-once" / "db.sqlite3")
        finally:
            stop(worker)

        # For comparison: no worker, no chart cache; then every chart drawn.
        env = {**fresh(work, "before"), "PERFREPORT_CACHE_DIR": ""}
        import_seconds(env, work / "data", work / "before")
        seconds, peak, cpu = run(report, env, work / "before")
        rows.append((f"{n} indicators, PDF, cold CLI, no worker, no chart cache", seconds,
                     f"as before; CPU {cpu:.2f} s; {peak:.0f} MiB; load {load_average():.2f}"))  # fmt: skip
        env["PERFREPORT_CACHE_DIR"] = str(work / "before" / "charts")
        run(report, env, work / "before")  # draws every chart into the cache
        seconds, peak, cpu = run(report, env, work / "before")
        rows.append((f"{n} indicators, PDF, cold CLI, every chart drawn", seconds,
                     f"CPU {cpu:.2f} s; {peak:.0f} MiB; load {load_average():.2f}"))  # fmt: skip
    print(f"{'run':<66}{'seconds':>8}  notes")
    for name, seconds, notes in rows:
        print(f"{name:<66}{seconds:>8.2f}  {notes}")


if __name__ == "__main__":
    main()
