"""Benchmark: saving an entry of the quarterly round (issue 6's figures).

- Saving an entry: p95 <= 100 ms with 16 editors saving at once, on SQLite
  (WAL), with no failed and no lost write;
- the audit trail adds <= 20% to a save.

The save is measured as people make it, through the web form: a fresh
database with the seed's data, the round for 2020/21 Q3 opened (16 entries)
and one owner for each entry; perfreport under gunicorn (4 sync workers, the
two a core that the deployment guide advises); and the editors, one thread
each, who sign in once and then, over and over, open their entry's page (for
its version and CSRF token), type for a second or so (0.5 to 1.5 s, set by
``--think``) and save a new value and commentary. Only the save is timed: the
POST, until its redirect comes back. That is a save a second or so from every
editor, far busier than a real round. ``--think 0`` saves back to back, which
measures the server's capacity (the latency is then mostly queueing), and
``--burst`` has every editor press Save at the same moment, each time.

A save answered with anything but a redirect is a failed write; afterwards
each entry's version, value and audit trail are checked against the saves
its editor was told succeeded (a difference is a lost write).

The audit trail's cost is measured inside one process on the same database:
``save_entry`` called again and again, in alternating blocks with the trail
as it is and with ``audit.record_change`` switched off.

    python bench/round_save.py [--seconds 30] [--editors 16] [--think 1] [--burst]
        [--workers 4] [--database sqlite]
        [--database postgres://postgres@127.0.0.1:5432/perfreport_bench]

Each ``--database`` is run in turn (SQLite by default). A PostgreSQL database
named this way is DROPPED and created afresh: name one kept for benchmarks.
The numeric targets are SQLite's; PostgreSQL is shown for comparison, but a
failed or lost write fails the run on either. Exit status 1 if a target is
missed.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cambridgeshire-2020-21-q2"
BIN = Path(sys.executable).parent
PASSWORD = "benchmark-editor-password-1234"
ROUND = "2020/21 Q3"
WARM_UP_SAVES = 3  # each editor's first saves, while workers load: checked, not timed
P95_TARGET_MS = 100.0
AUDIT_TARGET_PERCENT = 20.0


# -- In the database's own process (Django set up) ------------------------------------


def prepare_round(editors: int) -> list[dict[str, Any]]:
    """The round opened, and an owner for each of ``editors`` entries (copies
    of indicator 191 are added when the round has fewer entries than that)."""
    from datetime import timedelta

    from django.contrib.auth.models import User
    from django.utils import timezone

    from perfreport.accounts.permissions import Actor, grant
    from perfreport.registry.models import Indicator
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import open_round

    due = Indicator.objects.exclude(frequency="annual").count()
    for n in range(max(0, editors - due)):
        extra = Indicator.objects.get(ref="191")
        extra.pk, extra.ref, extra.title = None, f"9{n:03d}", f"{extra.title} ({n})"
        extra.save()
    deadline = timezone.localdate() + timedelta(days=14)
    opened = open_round(Actor.command_line(), read_period(ROUND), deadline)
    entries = list(opened.entries.select_related("indicator").order_by("indicator__ref"))
    people = []
    for n, entry in enumerate(entries[:editors]):
        user = User.objects.create_user(f"editor{n:02d}", password=PASSWORD)
        grant(user, "owner", indicator=entry.indicator)
        people.append(
            {
                "username": user.username,
                "entry": entry.pk,
                "ref": entry.indicator.ref,
                "version": entry.version,
            }
        )
    return people


def check_saves(editors: list[dict[str, Any]]) -> list[str]:
    """Each entry against what its editor was told: a version for every save,
    the last value saved, an audit event for every save. The problems found."""
    from decimal import Decimal

    from perfreport.audit.models import AuditEvent
    from perfreport.data.models import Entry

    problems = []
    for editor in editors:
        entry = Entry.objects.get(pk=editor["entry"])
        saves = editor["saves"]
        events = AuditEvent.objects.filter(object_type="entry", object_id=str(entry.pk)).count()
        expected = editor["version"] + saves
        if entry.version != expected:
            problems.append(f"{editor['username']}: version {entry.version}, expected {expected}")
        if events != saves:
            problems.append(f"{editor['username']}: {events} audit events for {saves} saves")
        last = editor["last_value"]
        if last is not None and entry.value != Decimal(last):
            problems.append(f"{editor['username']}: value {entry.value}, last saved {last}")
    return problems


def time_audit(entry_id: int, saves: int, block: int) -> dict[str, float]:
    """Median seconds a ``save_entry`` with the audit trail and without it,
    in alternating blocks so that drift (caches, the WAL file growing)
    falls on both alike."""
    from perfreport.accounts.permissions import Actor
    from perfreport.audit import trail as audit
    from perfreport.data.models import Entry
    from perfreport.rounds.services import EntryInput, save_entry

    actor = Actor.command_line()
    version = Entry.objects.get(pk=entry_id).version
    recording = audit.record_change
    times: dict[bool, list[float]] = {True: [], False: []}
    for n in range(-block, saves):  # the first block warms up, untimed
        audited = (n // block) % 2 == 0
        audit.record_change = recording if audited else (lambda *args, **kwargs: None)
        typed = EntryInput(value=f"{50 + n % 400 / 10:.1f}", commentary=f"In-process save {n}")
        start = time.perf_counter()
        version = save_entry(actor, entry_id, typed, version=version).version
        if n >= 0:
            times[audited].append(time.perf_counter() - start)
    audit.record_change = recording
    return {
        "with": statistics.median(times[True]),
        "without": statistics.median(times[False]),
    }


def in_django(task: str, argument: Any, env: dict[str, str]) -> Any:
    """Run one of the functions above in a new process on ``env``'s database."""
    result = subprocess.run(
        [sys.executable, __file__, "--in-django", task],
        input=json.dumps(argument),
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"{task} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def django_task(task: str) -> None:
    import django

    django.setup()
    argument = json.loads(sys.stdin.read())
    if task == "prepare":
        print(json.dumps(prepare_round(argument)))
    elif task == "check":
        print(json.dumps(check_saves(argument)))
    elif task == "audit":
        print(json.dumps(time_audit(**argument)))


# -- The editors, over HTTP --------------------------------------------------------------


class Browser:
    """One person's connection: cookies kept, redirects not followed."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()  # the worker closed a kept connection: once more
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


def form_value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    if found is None:
        raise RuntimeError(f"no {name} field on the page")
    return found.group(1)


class Pace:
    """When the editors save: each after a pause for typing (``think``
    seconds on average, 0 for none), and with ``burst`` all at the same
    moment, every editor pressing Save together each time. The clock starts
    with the first timed save, after signing in and the warm-up."""

    def __init__(self, editors: int, seconds: float, think: float, burst: bool) -> None:
        self.seconds = seconds
        self.think = think
        self.until: float | None = None
        self.turns = 0
        self.stopping = False
        self.together = threading.Barrier(editors, self._turn, timeout=120) if burst else None

    def _over(self, n: int) -> bool:
        if n < WARM_UP_SAVES:
            return False
        if self.until is None:
            self.until = time.monotonic() + self.seconds
        return time.monotonic() >= self.until

    def _turn(self) -> None:  # run by one editor when all have arrived
        self.stopping = self._over(self.turns)
        self.turns += 1

    def ready_to_save(self, n: int, rng: random.Random) -> bool:
        """Wait as a person would; False when the run is over."""
        if self.think:
            time.sleep(self.think * rng.uniform(0.5, 1.5))
        if self.together is not None:
            self.together.wait()
            return not self.stopping
        return not self._over(n)

    def give_up(self) -> None:
        if self.together is not None:
            self.together.abort()  # no editor waits for one who has failed


@dataclass
class Editor:
    username: str
    entry: int
    ref: str
    version: int
    saves: int = 0
    last_value: str | None = None
    times: list[float] = field(default_factory=list)
    page_times: list[float] = field(default_factory=list)  # opening the entry, for context
    failures: list[str] = field(default_factory=list)

    def sign_in(self, browser: Browser) -> None:
        _, page = browser.request("GET", "/accounts/login/")
        form = {
            "username": self.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": form_value(page, "csrfmiddlewaretoken"),
        }
        status, _ = browser.request("POST", "/accounts/login/", form)
        if status not in (302, 303):
            raise RuntimeError(f"{self.username} could not sign in: {status}")

    def open_entry(self, browser: Browser, n: int) -> dict[str, str] | None:
        """The entry's page: the form to fill in, with its version and token."""
        start = time.perf_counter()
        status, page = browser.request("GET", f"/work/entries/{self.entry}/")
        if n >= WARM_UP_SAVES:
            self.page_times.append(time.perf_counter() - start)
        if status != 200:
            self.failures.append(f"GET {status}")
            return None
        return {
            "csrfmiddlewaretoken": form_value(page, "csrfmiddlewaretoken"),
            "version": form_value(page, "version"),
            "value": f"{10 + n % 800 / 10:.1f}",
            "numerator": "",
            "denominator": "",
            "commentary": f"Save {n} by {self.username}: calls answered after the new rota.",
            "actions": "",
            "action": "save",
        }

    def save(self, browser: Browser, form: dict[str, str], n: int) -> None:
        start = time.perf_counter()
        status, _ = browser.request("POST", f"/work/entries/{self.entry}/", form)
        elapsed = time.perf_counter() - start
        if status in (302, 303):
            self.saves += 1
            self.last_value = form["value"]
            if n >= WARM_UP_SAVES:
                self.times.append(elapsed)
        else:
            self.failures.append(f"POST {status}" + (" (conflict)" if status == 409 else ""))

    def run(self, port: int, pace: Pace) -> None:
        browser = Browser(port)
        rng = random.Random(self.username)
        try:
            self.sign_in(browser)
            for n in itertools.count():
                form = self.open_entry(browser, n)
                if not pace.ready_to_save(n, rng):
                    break
                if form is not None:
                    self.save(browser, form, n)
        except Exception as error:  # reported as a failure, never silently lost
            self.failures.append(repr(error))
            pace.give_up()


# -- The server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "perfreport.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def peak_rss_mib(pid: int) -> float:
    """Peak resident memory of a process and its children, summed (VmHWM)."""
    pids = [pid]
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            pids.append(int(status.parent.name))
    total = 0
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


# -- A run on one database ------------------------------------------------------------------


@dataclass
class Result:
    database: str
    editors: int
    saves: int
    elapsed: float
    times_ms: list[float]
    page_ms: list[float]
    failures: list[str]
    lost: list[str]
    server_mib: float
    audit: dict[str, float]

    @property
    def audit_percent(self) -> float:
        return 100 * (self.audit["with"] / self.audit["without"] - 1)


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def fresh_database(name: str, work: Path) -> str:
    if name == "sqlite":
        return f"sqlite:///{work / 'round_save.sqlite3'}"
    import psycopg

    base, _, database = name.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    return name


def run_database(name: str, args: argparse.Namespace, work: Path) -> Result:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "perfreport.settings"),
        "DATABASE_URL": fresh_database(name, work),
        "SECRET_KEY": "benchmark-only-secret-key-0123456789",
        "DEBUG": "0",
        "PERFREPORT_CACHE_DIR": "",
    }
    perfreport = str(BIN / "perfreport")
    subprocess.run([perfreport, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([perfreport, "import", str(EXAMPLE)], env=env, check=True, capture_output=True)
    editors = [Editor(**person) for person in in_django("prepare", args.editors, env)]
    port = free_port()
    server = serve(env, port, args.workers)
    try:
        pace = Pace(len(editors), args.seconds, args.think, args.burst)
        threads = [threading.Thread(target=e.run, args=(port, pace)) for e in editors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # the timed part: from the first timed save (the warm-up before it is checked, not timed)
        elapsed = (
            args.seconds if pace.until is None else time.monotonic() - pace.until + args.seconds
        )
        server_mib = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait()
    checked = [vars(e) | {"times": [], "page_times": [], "failures": []} for e in editors]
    lost = in_django("check", checked, env)
    audit = in_django(
        "audit", {"entry_id": editors[0].entry, "saves": args.audit_saves, "block": 50}, env
    )
    return Result(
        database="SQLite" if name == "sqlite" else "PostgreSQL",
        editors=len(editors),
        saves=sum(e.saves for e in editors),
        elapsed=elapsed,
        times_ms=[t * 1000 for e in editors for t in e.times],
        page_ms=[t * 1000 for e in editors for t in e.page_times],
        failures=[f"{e.username}: {f}" for e in editors for f in e.failures],
        lost=lost,
        server_mib=server_mib,
        audit=audit,
    )


def report(results: list[Result], args: argparse.Namespace) -> bool:
    """The tables; whether every target was met."""
    pace = f"{args.think:g} s typing before each save" if args.think else "no pause"
    print(
        f"\nSaving an entry through the web form: {args.editors} editors, {pace}"
        f"{', all saving at the same moment' if args.burst else ''}, {args.seconds} s; gunicorn "
        f"with {args.workers} workers. Timed: each editor's saves after their first "
        f"{WARM_UP_SAVES}; checked: all of them"
    )
    print(
        f"{'database':<12}{'timed':>6}{'saves/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'max ms':>8}{'checked':>8}{'failed':>7}{'lost':>5}{'server MiB':>11}"
        f"{'page p50/p95 ms':>17}"
    )
    met = True
    for r in results:
        timed = r.times_ms
        print(
            f"{r.database:<12}{len(timed):>6}{len(timed) / r.elapsed:>8.1f}"
            f"{percentile(timed, 50):>8.1f}{percentile(timed, 95):>8.1f}"
            f"{percentile(timed, 99):>8.1f}{max(timed, default=0):>8.1f}{r.saves:>8}"
            f"{len(r.failures):>7}{len(r.lost):>5}{r.server_mib:>11.0f}"
            f"{percentile(r.page_ms, 50):>10.1f} /{percentile(r.page_ms, 95):>5.1f}"
        )
        for problem in (r.failures + r.lost)[:10]:
            print(f"    {problem}")
        met &= not r.failures and not r.lost
        if r.database == "SQLite":
            met &= percentile(timed, 95) <= P95_TARGET_MS
    print(f"\nThe audit trail's cost, {args.audit_saves} saves in one process (median a save)")
    print(f"{'database':<12}{'with ms':>9}{'without ms':>12}{'overhead':>10}")
    for r in results:
        print(
            f"{r.database:<12}{r.audit['with'] * 1000:>9.2f}{r.audit['without'] * 1000:>12.2f}"
            f"{r.audit_percent:>9.0f}%"
        )
        if r.database == "SQLite":
            met &= r.audit_percent <= AUDIT_TARGET_PERCENT
    verdict = "met" if met else "MISSED"
    if not any(r.database == "SQLite" for r in results):
        verdict += " (SQLite was not run: only 'no failed or lost write' was checked)"
    print(
        f"\nTargets: p95 <= {P95_TARGET_MS:.0f} ms on SQLite, no failed or lost write, the audit "
        f"trail <= {AUDIT_TARGET_PERCENT:.0f}% of a save on SQLite: {verdict}"
    )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seconds", type=int, default=30, help="how long the editors save (default 30)"
    )
    parser.add_argument(
        "--editors", type=int, default=16, help="editors saving at once (default 16)"
    )
    parser.add_argument(
        "--database",
        action="append",
        help="'sqlite' (a new file) or a PostgreSQL URL (dropped and created); repeatable",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds an editor types before a save, on average (default 1; 0: none)",
    )
    parser.add_argument(
        "--burst", action="store_true", help="every editor presses Save at the same moment"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument(
        "--audit-saves",
        type=int,
        default=2000,
        help="saves timed in-process for the audit's cost (default 2000)",
    )
    parser.add_argument("--in-django", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_django:
        django_task(args.in_django)
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.database or ["sqlite"]:
            results.append(run_database(name, args, Path(tmp)))
    sys.exit(0 if report(results, args) else 1)


if __name__ == "__main__":
    main()
