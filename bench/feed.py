"""Benchmark: an automated feed of 500 indicators x 12 periods (6,000 values).

Target (issue 16): "in seconds".

The register: 500 monthly indicators (percentages), each with a published
year of history (2019/20, 6,000 values, so the suspect-value checks have a
series to judge against), and the four quarterly rounds of 2020/21 open at
once (a council catching up on a year: 6,000 entries, every month of the
year). The source: a SQLite file of a case system with 6,000 rows, one for
each indicator and month of 2020/21, read by a query.

Each step is ``perfreport feed`` as a user runs it, in a new process, timed
from start to exit with the process's peak memory (max RSS):

1. ``--dry-run``: every row read, checked, decided and judged, nothing written;
2. the first run: 6,000 new drafts written into their entries, each audited;
3. a second run: the source unchanged, 6,000 unchanged, nothing written.

    python bench/feed.py [--indicators 500] [--database sqlite]
        [--database postgres://postgres@127.0.0.1:5432/perfreport_bench]

Each ``--database`` is run in turn (a SQLite file by default). A PostgreSQL
database named this way is DROPPED and created afresh: name one kept for
benchmarks. Exit status 1 if a run failed.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "perfreport"
ROUNDS = ("2020/21 Q1", "2020/21 Q2", "2020/21 Q3", "2020/21 Q4")
HISTORY = [f"{2019 + (m >= 9)}-{(m + 3) % 12 + 1:02d}" for m in range(12)]  # 2019-04 .. 2020-03
YEAR = [f"{2020 + (m >= 9)}-{(m + 3) % 12 + 1:02d}" for m in range(12)]  # 2020-04 .. 2021-03
FEED = "Bench feed"


def register(folder: Path, indicators: int) -> None:
    """indicators.csv and a published year of values.csv for the import."""
    rng = random.Random(16)
    with (folder / "indicators.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ref", "title", "unit", "polarity", "frequency", "rating_basis"])
        for n in range(indicators):
            writer.writerow(
                [f"F{n:04d}", f"Fed indicator {n}", "percent", "higher", "monthly", "targeted"]
            )
    with (folder / "values.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ref", "period", "value"])
        for n in range(indicators):
            level = rng.uniform(50, 90)
            for month in HISTORY:
                writer.writerow([f"F{n:04d}", month, f"{level + rng.gauss(0, 1):.1f}"])


def source(path: Path, indicators: int) -> None:
    """The case system's table: one row for each indicator and month of 2020/21."""
    rng = random.Random(61)
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE monthly_kpi (code TEXT, month TEXT, figure REAL)")
        connection.executemany(
            "INSERT INTO monthly_kpi VALUES (?, ?, ?)",
            (
                (f"F{n:04d}", month, round(rng.uniform(50, 90), 1))
                for n in range(indicators)
                for month in YEAR
            ),
        )


def prepare(env: dict[str, str], folder: Path, source_path: Path, indicators: int) -> None:
    """Migrate, import the register, open the four rounds and add the feed,
    in a process of its own (this one never sets Django up)."""
    script = f"""
import django
django.setup()
from datetime import date
from django.core.management import call_command
from perfreport.accounts.permissions import Actor
from perfreport.feeds.models import Feed
from perfreport.imports.service import import_path
from perfreport.registry.models import Indicator, Organisation
from perfreport.registry.periods import read_period
from perfreport.rounds.services import open_round
from pathlib import Path

call_command("migrate", verbosity=0)
Organisation.objects.get_or_create(code="E99999999", defaults={{"name": "Bench council", "is_home": True}})
import_path(Path({str(folder)!r}))
actor = Actor.command_line()
for period in {ROUNDS!r}:
    open_round(actor, read_period(period), date(2030, 1, 1), today=date(2021, 1, 4))
feed = Feed.objects.create(
    name={FEED!r}, kind="database", database_url="sqlite:///{source_path}",
    query="SELECT code AS ref, month AS period, figure AS value FROM monthly_kpi",
)
feed.indicators.set(Indicator.objects.all())
"""
    subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "perfreport.settings"},
        check=True,
        cwd=ROOT,
    )


def timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str, int]:
    """Run ``perfreport ARGS`` in a child: wall seconds, peak RSS in MiB, output, exit status."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        out = os.open(cwd / "out.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.chdir(cwd)
        os.execve(str(EXE), [str(EXE), *args], env)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    return (
        seconds,
        usage.ru_maxrss / 1024,
        (cwd / "out.txt").read_text(),
        os.waitstatus_to_exitcode(status),
    )


def fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    server = base.replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def bench(database: str, indicators: int) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "register"
        folder.mkdir()
        register(folder, indicators)
        source(work / "cases.sqlite3", indicators)
        if database == "sqlite":
            url = f"sqlite:///{work / 'bench.sqlite3'}"
        else:
            fresh_postgres(database)
            url = database
        env = {**os.environ, "DATABASE_URL": url}
        env.pop("COLUMNS", None)
        prepare(env, folder, work / "cases.sqlite3", indicators)
        steps = [
            ("dry run (nothing written)", ["feed", FEED, "--dry-run"]),
            ("first run (all new drafts)", ["feed", FEED]),
            ("second run (all unchanged)", ["feed", FEED]),
        ]
        baseline = timed(["--version"], env, work)
        values = indicators * len(YEAR)
        print(
            f"\n{indicators} indicators x {len(YEAR)} months = {values:,} values; app database: "
            f"{'SQLite' if database == 'sqlite' else 'PostgreSQL'}; source: SQLite"
        )
        print(f"{'step':<34}{'seconds':>9}{'peak MiB':>10}  result")
        ok = True
        for name, args in steps:
            seconds, peak, output, code = timed(args, env, work)
            said = next(
                (line for line in output.splitlines() if line.startswith(FEED)), output[-300:]
            )
            print(f"{name:<34}{seconds:>9.2f}{peak:>10.0f}  {said.removeprefix(FEED + ': ')}")
            ok = ok and code == 0
        print(f"{'perfreport --version (start-up)':<34}{baseline[0]:>9.2f}{baseline[1]:>10.0f}")
        return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--database", action="append")
    args = parser.parse_args()
    results = [bench(database, args.indicators) for database in args.database or ["sqlite"]]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
