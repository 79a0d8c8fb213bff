"""Benchmark: the web application under load (issue 5's figures).

500 indicators x 12 quarters (the report benchmark's data), served by gunicorn
with 2 workers, loaded by wrk at 32 connections for 10 seconds a page:

- the staff scorecard for the latest quarter: p95 <= 100 ms and >= 150 requests/s;
- an indicator page: p95 <= 50 ms;
- the evaluation JSON of the period (the API): p95 <= 50 ms;

then the public scorecard, for comparison. Each page is requested a few times
first (each worker builds and keeps the period's evaluation), so the runs
measure pages as people meet them: warm. Run against SQLite and then
PostgreSQL.

With ``--report-in-background`` each page is loaded twice: as above, then
while ``perfreport worker`` (at its default lower CPU priority) makes the
500-indicator PDF over and over, a new one asked for as soon as the last is
done, as a member of staff's big report from the Reports page is made (the
chart cache is off, so every report draws all its charts: the most work).
The table then shows both, with the reports made during the load.

Needs wrk (`apt-get install wrk`; `make bench` installs it when missing).

    python bench/web_load.py [--seconds 10] [--connections 32] [--skip-postgres]
                             [--report-in-background] [--worker-nice N] [--welsh]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_pdf import make_data

BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/perfreport")
# wrk reports p50/75/90/99; this prints p95 and the rate as one JSON line.
LUA = """
done = function(summary, latency, requests)
  io.write(string.format('{"p95_ms": %.2f, "p50_ms": %.2f, "rps": %.1f, "errors": %d, "requests": %d}\\n',
    latency:percentile(95) / 1000, latency:percentile(50) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
"""
# Asks for a report (as the Reports page does) whenever the last is done,
# until the stop file appears; prints each report's seconds as a JSON line.
REQUESTER = """
import json, os, sys, time
import django
django.setup()
from django.contrib.auth.models import User
from perfreport.jobs.models import Run
from perfreport.jobs.runs import enqueue
period, stop = sys.argv[1], sys.argv[2]
user = User.objects.get(username="loadtest")
params = {"period": period, "format": "pdf", "filename": "load.pdf"}
while not os.path.exists(stop):
    run = enqueue("report", params, trigger="on demand", requested_by=user)
    while not Run.objects.get(pk=run.pk).finished:
        time.sleep(0.2)
    run = Run.objects.get(pk=run.pk)
    seconds = (run.finished_at - run.started_at).total_seconds()
    print(json.dumps({"seconds": seconds, "outcome": run.outcome, "error": run.error}), flush=True)
"""
TARGETS = {"staff scorecard": "p95 <= 100 ms, >= 150 req/s", "indicator page": "p95 <= 50 ms",
           "evaluation JSON (API)": "p95 <= 50 ms", "public scorecard": "",
           "staff scorecard in Welsh": "as the English, within 10%",
           "public scorecard in Welsh": "as the English, within 10%"}  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(env: dict[str, str], work: Path) -> tuple[str, str]:
    """Tables, the data, and a signed-in staff session; the period and the cookie."""
    subprocess.run([str(BIN / "perfreport"), "migrate", "-v", "0"], env=env, check=True)
    period = make_data(work / "data", 500, 12)
    subprocess.run([str(BIN / "perfreport"), "import", str(work / "data")], env=env, check=True,
                   capture_output=True)  # fmt: skip
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth.models import User\n"
        "from django.test import Client\n"
        "from perfreport.accounts.permissions import grant\n"
        "user, _ = User.objects.get_or_create(username='loadtest')\n"
        "grant(user, 'viewer')  # the staff pages need a role\n"
        "client = Client(); client.force_login(user)\n"
        "print(client.cookies['sessionid'].value)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                            capture_output=True, text=True)  # fmt: skip
    return period, result.stdout.strip()


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "perfreport.wsgi", "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/public/", timeout=5)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def load(url: str, cookie: str, seconds: int, connections: int, lua: Path) -> dict[str, float]:
    for _ in range(8):  # every worker builds and keeps the period's evaluation
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200, (url, response.status)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(lua),
         "-H", f"Cookie: sessionid={cookie}", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def run_all(
    env: dict[str, str], work: Path, args: argparse.Namespace
) -> list[tuple[str, dict[str, float]]]:
    env = {
        **env,
        "SECRET_KEY": "benchmark-only-secret-key-0123456789",
    }  # the session's and the server's
    period, cookie = prepare(env, work)
    port = free_port()
    server = serve(env, port)
    query = urllib.request.quote(period)
    base = f"http://127.0.0.1:{port}"
    pages = {
        "staff scorecard": f"{base}/scorecard/?period={query}",
        "indicator page": f"{base}/indicators/P250/?period={query}",
        "evaluation JSON (API)": f"{base}/api/evaluations?period={query}",
        "public scorecard": f"{base}/public/?period={query}",
    }
    if args.welsh:
        pages["staff scorecard in Welsh"] = f"{base}/cy/scorecard/?period={query}"
        pages["public scorecard in Welsh"] = f"{base}/cy/public/?period={query}"
    lua = work / "p95.lua"
    lua.write_text(LUA)
    try:
        results = [
            (name, load(url, cookie, args.seconds, args.connections, lua))
            for name, url in pages.items()
        ]
        if args.report_in_background:
            with reports_in_background(env, work, period, args.worker_nice) as made:
                for name, url in pages.items():
                    before = len(made)
                    found = load(url, cookie, args.seconds, args.connections, lua)
                    found["reports"] = len(made) - before
                    results.append((f"{name}, report in background", found))
            seconds = [r["seconds"] for r in made if r["outcome"] == "ok"]
            failed = [r["error"] for r in made if r["outcome"] != "ok"]
            print(f"reports made in the background: {len(seconds)}, "
                  f"{min(seconds, default=0):.1f} to {max(seconds, default=0):.1f} s each; "
                  f"failed: {failed or 'none'}")  # fmt: skip
        return results
    finally:
        server.terminate()
        server.wait()


@contextmanager
def reports_in_background(
    env: dict[str, str], work: Path, period: str, nice: int = 19
) -> Iterator[list[dict]]:
    """A worker making the big report over and over while the block runs:
    each report's seconds and outcome, as they finish."""
    media = {**env, "PERFREPORT_MEDIA_ROOT": str(work / "media")}
    worker = subprocess.Popen([str(BIN / "perfreport"), "worker", "--interval", "0.5", "--nice", str(nice)],
                              env=media, stdout=subprocess.DEVNULL)  # fmt: skip
    stop = work / "stop-reports"
    requester = subprocess.Popen([sys.executable, "-c", REQUESTER, period, str(stop)],
                                 env=media, stdout=subprocess.PIPE, text=True)  # fmt: skip
    made: list[dict] = []

    def read() -> None:
        for line in requester.stdout or ():
            made.append(json.loads(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        time.sleep(3)  # the first report under way
        yield made
    finally:
        stop.touch()
        requester.wait(300)
        reader.join(5)
        worker.terminate()
        worker.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--worker-nice", type=int, default=19, help="the worker's --nice (default 19, its own)"
    )
    parser.add_argument(
        "--report-in-background",
        action="store_true",
        help="load each page again while a worker makes the 500-indicator PDF over and over",
    )
    parser.add_argument(
        "--welsh",
        action="store_true",
        help="also load the staff and public scorecards in Welsh (/cy/...)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench does it)")
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "perfreport.settings",
                "PERFREPORT_CACHE_DIR": "", "DEBUG": "0"}  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**base_env, "DATABASE_URL": f"sqlite:///{work / 'web.sqlite3'}"}
        results += [("SQLite", name, r) for name, r in run_all(env, work / "sqlite", args)]
        if not args.skip_postgres:
            from benchmark_data import _fresh_database

            env = {**base_env, "DATABASE_URL": _fresh_database(args.postgres)}
            results += [
                ("PostgreSQL", name, r) for name, r in run_all(env, work / "postgres", args)
            ]
    print(
        f"{'database':<12}{'page':<46}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>8}{'errors':>8}"
        f"{'reports':>8}  target"
    )
    for database, name, r in results:
        reports = f"{int(r['reports'])}" if "reports" in r else ""
        print(f"{database:<12}{name:<46}{r['p50_ms']:>8.1f}{r['p95_ms']:>8.1f}{r['rps']:>8.0f}"
              f"{int(r['errors']):>8}{reports:>8}  {TARGETS[name.split(',')[0]]}")  # fmt: skip
    print(f"load average (1, 5, 15 minutes) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
