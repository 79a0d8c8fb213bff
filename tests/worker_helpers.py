"""A real ``perfreport worker`` process on the test database, for the tests
of anything done in the background (schedules, reports, sendings, feeds).

Use the fixtures from a conftest or a test module::

    from worker_helpers import worker, worker_database  # noqa: F401

    def test_it_runs_in_the_background(worker_database, worker):
        run = enqueue("reminders", trigger="on demand")
        worker.wait_for_run(run.pk)          # the Run, finished (ok or failed)

* ``worker_database`` (function scope, transactional): the test's database,
  where another process can reach it. On PostgreSQL that is the test
  database itself (the test commits, so the worker sees what it writes). On
  SQLite, whose test database lives in this process's memory, the test runs
  on a file copy of it instead, swapped in for the test and dropped after
  (the in-memory database is untouched). ``worker_database.env`` is the
  environment a process needs (DATABASE_URL, PERFREPORT_MEDIA_ROOT), and
  ``worker_database.run_once(...)`` runs ``perfreport worker --once`` to the
  end and returns the finished process. A worker started on it that is still
  running when the test ends (a test that failed half-way) is killed then.
* ``worker``: a long-running ``perfreport worker`` on that database,
  stopped with SIGTERM after the test (``worker.stop()`` to stop it sooner
  and read its exit status; ``worker.output`` is what it printed).

Jobs registered by the apps (in their ``AppConfig.ready``) are there in the
worker as in production. Jobs a test defines itself are loaded into the
worker by naming their module's file, which has a ``register_jobs()``:
``start_worker(db, job_modules=[JOBS_FOR_TESTS])`` (tests/jobs_for_tests.py, whose
jobs the ``test_jobs`` fixture offers in the test's own process too).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

TESTS = Path(__file__).resolve().parent
EXE = Path(sys.executable).parent / "perfreport"
ENTRY = TESTS / "worker_entry.py"
JOBS_FOR_TESTS = str(TESTS / "jobs_for_tests.py")


@dataclass
class WorkerDatabase:
    """The test database as another process reaches it."""

    env: dict[str, str]
    vendor: str
    # Every worker started on it, stopped at the end of the test if still running.
    started: list[WorkerProcess] = field(default_factory=list)

    def run_once(
        self,
        *args: str,
        job_modules: Sequence[str] = (),
        env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        """``perfreport worker --once ARGS`` to the end."""
        return subprocess.run(
            _command(["worker", "--once", "--nice", "0", *args], job_modules),
            capture_output=True,
            text=True,
            env={**self.env, **_modules_env(job_modules), **(env or {})},
            timeout=timeout,
            cwd=TESTS.parent,
        )


@dataclass
class WorkerProcess:
    """A ``perfreport worker`` running in the background."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 30) -> str:
        """The first line of output containing ``text``, waiting for it."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.process.poll() is not None and self.reader and not self.reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"The worker never said {text!r}; it said:\n{self.output}")

    def wait_for_run(self, run_id: int, timeout: float = 60) -> Any:
        """The run, once finished (ok or failed), read from the database."""
        from perfreport.jobs.models import Run

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            run = Run.objects.get(pk=run_id)
            if run.finished:
                return run
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"Run {run_id} did not finish; the worker said:\n{self.output}")

    def send(self, signum: int = signal.SIGTERM) -> None:
        """Send the worker a signal (SIGTERM, SIGINT) and carry on."""
        self.process.send_signal(signum)

    def wait(self, timeout: float = 60) -> int:
        """Wait for it to exit by itself: its exit status."""
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"The worker did not exit; it said:\n{self.output}") from None
        if self.reader is not None:
            self.reader.join(5)
        return code

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 60) -> int:
        """Stop it as a service manager would (SIGTERM) and wait: its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"The worker did not stop; it said:\n{self.output}") from None
        if self.reader is not None:
            self.reader.join(5)
        return code


def start_worker(
    database: WorkerDatabase,
    *args: str,
    job_modules: Sequence[str] = (),
    env: dict[str, str] | None = None,
) -> WorkerProcess:
    """``perfreport worker ARGS`` in the background, polling every 0.2 s,
    once it has said it has started."""
    process = subprocess.Popen(
        _command(["worker", "--interval", "0.2", "--nice", "0", *args], job_modules),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**database.env, **_modules_env(job_modules), **(env or {})},
        cwd=TESTS.parent,
    )
    worker = WorkerProcess(process)
    database.started.append(worker)
    worker.reader = threading.Thread(target=worker._read, daemon=True)
    worker.reader.start()
    worker.wait_for("perfreport worker (")
    return worker


def _command(args: list[str], job_modules: Sequence[str]) -> list[str]:
    if job_modules:
        return [sys.executable, str(ENTRY), *args]
    return [str(EXE), *args]


def _modules_env(job_modules: Sequence[str]) -> dict[str, str]:
    """A module is named on the tests' path ("jobs_for_tests") or by its file."""
    if not job_modules:
        return {}
    names, folders = [], [str(TESTS)]
    for module in job_modules:
        if module.endswith(".py"):
            folders.append(str(Path(module).resolve().parent))
            module = Path(module).stem
        names.append(module)
    existing = os.environ.get("PYTHONPATH", "")
    return {
        "PERFREPORT_TEST_JOB_MODULES": ",".join(names),
        "PYTHONPATH": os.pathsep.join([*folders, *([existing] if existing else [])]),
    }


def _base_env() -> dict[str, str]:
    from django.conf import settings

    environment = {**os.environ, "PERFREPORT_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    environment.pop("COLUMNS", None)
    return environment


def _postgres_url(settings_dict: dict[str, Any]) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


@contextmanager
def shared_database(folder: Path) -> Iterator[WorkerDatabase]:
    """The test database where a worker process can reach it (see the module's docstring)."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor == "postgresql":
        yield WorkerDatabase(
            {**_base_env(), "DATABASE_URL": _postgres_url(connection.settings_dict)}, "postgresql"
        )
        return
    with _sqlite_file_copy(connection, folder / "worker.sqlite3") as path:
        yield WorkerDatabase({**_base_env(), "DATABASE_URL": f"sqlite:///{path}"}, "sqlite")


@contextmanager
def _sqlite_file_copy(connection: Any, path: Path) -> Iterator[Path]:
    """This process's in-memory test database, copied to ``path`` and used
    in its place until the block ends. The in-memory database's own
    connection is kept open meanwhile (closing it would drop the database)
    and put back after."""
    connection.ensure_connection()
    memory = connection.connection
    copy = sqlite3.connect(path)
    memory.backup(copy)
    copy.close()
    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)
    connection.connection = None
    try:
        yield path
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


@pytest.fixture
def test_jobs() -> Iterator[None]:
    """The jobs of tests/jobs_for_tests.py, offered in this process for one test."""
    from jobs_for_tests import register_jobs, unregister_jobs

    register_jobs()
    yield
    unregister_jobs()


@pytest.fixture
def worker_database(transactional_db: None, tmp_path: Path) -> Iterator[WorkerDatabase]:
    with shared_database(tmp_path) as database:
        try:
            yield database
        finally:
            # A test that failed half-way leaves no worker holding the database.
            for worker in database.started:
                if worker.process.poll() is None:
                    worker.process.kill()
                    worker.process.wait(30)


@pytest.fixture
def worker(worker_database: WorkerDatabase) -> Iterator[WorkerProcess]:
    process = start_worker(worker_database)
    yield process
    process.stop()
