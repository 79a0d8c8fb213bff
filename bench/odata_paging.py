"""Benchmark: paging through 100,000 values of the OData feed, as Power BI does.

500 indicators x 200 quarters (100,000 values, each with a target), imported
with `perfreport import`, served by gunicorn with one worker (so that its
memory is one process's), read by following `@odata.nextLink` from
/odata/public/Values to the last page (5,000 values a page, 20 pages), each
value with its target, rating and changes worked out. Then the values of one
quarter (a page that spans all 500 indicators, the case where a page needs
the most indicators' targets), and `$count`.

Reports the total and per-page times and the worker's peak memory (VmHWM)
before and after paging: the feed keeps one page in memory, never the
100,000 values. Run against SQLite and then PostgreSQL.

    python bench/odata_paging.py [--indicators 500] [--quarters 200] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_pdf import make_data

BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/perfreport")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_postgres(url: str) -> str:
    """A new empty database of this benchmark's own beside the one ``url`` names."""
    import psycopg

    base, _, _ = url.rpartition("/")
    name = "perfreport_bench_odata"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def prepare(env: dict[str, str], work: Path, indicators: int, quarters: int) -> str:
    subprocess.run([str(BIN / "perfreport"), "migrate", "-v", "0"], env=env, check=True)
    period = make_data(work / "data", indicators, quarters)
    started = time.perf_counter()
    subprocess.run([str(BIN / "perfreport"), "import", str(work / "data")], env=env, check=True,
                   capture_output=True)  # fmt: skip
    print(f"  imported {indicators * quarters:,} values in {time.perf_counter() - started:.1f} s")
    return period


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "perfreport.wsgi", "--workers", "1", "--timeout", "300",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/odata/public/", timeout=5)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def worker_peak_mib(master: int) -> float:
    """The peak resident memory (VmHWM) of gunicorn's one worker."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    status = Path(f"/proc/{children[0]}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def fetch(url: str) -> tuple[dict[str, object], float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as response:
        body = response.read()
    return json.loads(body), time.perf_counter() - started, len(body)


def page_through(url: str) -> dict[str, float]:
    """Follow the next links to the end: values, pages, seconds, per-page times, bytes."""
    values, times, size = 0, [], 0
    started = time.perf_counter()
    while url:
        page, seconds, length = fetch(url)
        values += len(page["value"])  # type: ignore[arg-type]
        times.append(seconds)
        size += length
        url = page.get("@odata.nextLink")  # type: ignore[assignment]
    return {
        "values": values,
        "pages": len(times),
        "total_s": time.perf_counter() - started,
        "page_mean_s": statistics.mean(times),
        "page_max_s": max(times),
        "mib": size / 2**20,
    }


def run(env: dict[str, str], work: Path, args: argparse.Namespace) -> list[tuple[str, str]]:
    period = prepare(env, work, args.indicators, args.quarters)
    port = free_port()
    server = serve(env, port)
    base = f"http://127.0.0.1:{port}/odata/public"
    try:
        before = worker_peak_mib(server.pid)
        whole = page_through(f"{base}/Values")
        after = worker_peak_mib(server.pid)
        one = urllib.parse.quote(f"Period eq '{period}'")
        quarter = page_through(f"{base}/Values?$filter={one}")
        _, count_s, _ = fetch(f"{base}/Values?$count=true&$top=0")
        last = worker_peak_mib(server.pid)
    finally:
        server.terminate()
        server.wait()
    expected = args.indicators * args.quarters
    assert whole["values"] == expected, whole
    return [
        ("values paged", f"{int(whole['values']):,} in {int(whole['pages'])} pages ({whole['mib']:.0f} MiB of JSON)"),
        ("total", f"{whole['total_s']:.1f} s ({expected / whole['total_s']:,.0f} values/s)"),
        ("per page (5,000 values)", f"mean {whole['page_mean_s']:.2f} s, max {whole['page_max_s']:.2f} s"),
        ("worker peak memory", f"{before:.0f} MiB before paging, {after:.0f} MiB after"),
        ("one quarter's values (one page, all indicators)", f"{int(quarter['values'])} in {quarter['total_s']:.2f} s"),
        ("$count=true&$top=0", f"{count_s * 1000:.0f} ms"),
        ("worker peak memory at the end", f"{last:.0f} MiB"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--quarters", type=int, default=200)
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "perfreport.settings", "DEBUG": "0",
                "PERFREPORT_CACHE_DIR": "", "SECRET_KEY": "benchmark-only-secret-key-0123456789"}  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("SQLite")
        env = {**base_env, "DATABASE_URL": f"sqlite:///{work / 'odata.sqlite3'}"}
        results.append(("SQLite", run(env, work / "sqlite", args)))
        if not args.skip_postgres:
            print("PostgreSQL")
            env = {**base_env, "DATABASE_URL": fresh_postgres(args.postgres)}
            results.append(("PostgreSQL", run(env, work / "postgres", args)))
    for database, lines in results:
        print(f"\n{database}")
        for name, figure in lines:
            print(f"  {name:<50}{figure}")


if __name__ == "__main__":
    main()
