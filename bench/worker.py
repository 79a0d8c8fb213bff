"""Benchmark: what the worker itself costs (issue 16).

- **Pickup**: from a run queued (committed) to its start by an idle worker,
  over ``--pickups`` runs queued one at a time at random moments: p50 and
  p95. The worker looks every ``--interval`` seconds when idle (2 by
  default), so the wait is about half that on average.
- **Throughput**: ``--runs`` runs of the "reminders" job (a real job: it
  reads the open rounds and finds nothing to send) queued at once, worked
  by one worker, then by two at once: runs a second, and each run run once.
- **Idle**: the CPU time an idle worker uses in 30 seconds.

Each measurement starts the real ``perfreport worker`` processes on a fresh
database (SQLite in a temporary folder by default).

    python bench/worker.py [--database sqlite | --database postgres://postgres@127.0.0.1:5432/perfreport_bench]
        [--runs 200] [--pickups 20] [--interval 2]

A PostgreSQL database named this way is DROPPED and created afresh.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).parent / "perfreport"


def prepare(database: str, folder: Path) -> str:
    if database == "sqlite":
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        url = database
        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-q", "-c", sql], check=True)
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([str(EXE), "migrate", "-v", "0"], env=env, check=True)
    return url


def start(url: str, interval: float) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.Popen(
        [str(EXE), "worker", "--interval", str(interval)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def stop(workers: list[subprocess.Popen[str]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(60)


def wait_finished(ids: list[int], timeout: float = 600) -> None:
    from perfreport.jobs.models import Run

    end = time.monotonic() + timeout
    while Run.objects.filter(pk__in=ids, finished_at__isnull=True).exists():
        if time.monotonic() > end:
            raise SystemExit("runs did not finish in time")
        time.sleep(0.05)


def pickup(url: str, count: int, interval: float) -> list[float]:
    from perfreport.jobs.models import Run
    from perfreport.jobs.runs import enqueue

    worker = start(url, interval)
    time.sleep(3)  # started and idle
    waits = []
    try:
        for _ in range(count):
            time.sleep(random.uniform(0, interval))
            run = enqueue("reminders", trigger="event")
            wait_finished([run.pk], 60)
            run = Run.objects.get(pk=run.pk)
            waits.append((run.started_at - run.queued_at).total_seconds())
    finally:
        stop([worker])
    return waits


def throughput(url: str, runs: int, workers: int) -> float:
    from perfreport.jobs.models import Outcome, Run
    from perfreport.jobs.runs import enqueue

    ids = [enqueue("reminders", trigger="event").pk for _ in range(runs)]
    began = time.monotonic()
    processes = [start(url, 0.2) for _ in range(workers)]
    try:
        wait_finished(ids)
    finally:
        stop(processes)
    took = time.monotonic() - began
    done = Run.objects.filter(pk__in=ids, outcome=Outcome.OK)
    assert done.count() == runs, "a run did not finish well"
    assert len({r.worker for r in done}) <= workers
    return runs / took


def idle_cpu(url: str, interval: float) -> float:
    worker = start(url, interval)
    try:
        time.sleep(5)
        before = _cpu_seconds(worker.pid)
        time.sleep(30)
        return _cpu_seconds(worker.pid) - before
    finally:
        stop([worker])


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--pickups", type=int, default=20)
    parser.add_argument("--interval", type=float, default=2.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = prepare(options.database, Path(folder))
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perfreport.settings")
        import django

        django.setup()
        kind = "SQLite" if options.database == "sqlite" else "PostgreSQL"
        waits = pickup(url, options.pickups, options.interval)
        p95 = statistics.quantiles(waits, n=20)[-1]
        print(
            f"{kind}: pickup by an idle worker (interval {options.interval:g} s): "
            f"p50 {statistics.median(waits):.2f} s, p95 {p95:.2f} s, over {len(waits)} runs"
        )
        for workers in (1, 2):
            rate = throughput(url, options.runs, workers)
            print(
                f"{kind}: {options.runs} runs queued at once, {workers} worker(s): {rate:.0f} runs/s"
            )
        cpu = idle_cpu(url, options.interval)
        print(f"{kind}: an idle worker used {cpu:.2f} s of CPU in 30 s")


if __name__ == "__main__":
    main()
