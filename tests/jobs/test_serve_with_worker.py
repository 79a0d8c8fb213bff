"""`perfreport serve --with-worker` (what `make run` starts): the worker runs
beside the server and stops with it, however the server stops."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest
from worker_helpers import EXE

from perfreport.jobs import runs
from perfreport.jobs.models import Outcome, Run, Trigger

pytestmark = pytest.mark.slow  # real processes, a few seconds each


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(EXE), "serve", "--with-worker", "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def said(self, text: str, timeout: float = 10) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(text in line for line in list(self.lines)):
                return True
            time.sleep(0.05)
        return False

    def worker_pid(self, timeout: float = 30) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in list(self.lines):
                found = re.search(r"perfreport worker \(\S+ pid (\d+)\)", line)
                if found:
                    return int(found[1])
            time.sleep(0.05)
        raise AssertionError("\n".join(self.lines))

    def answers(self, timeout: float = 30) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/public/", timeout=5):
                    return True
            except OSError:
                time.sleep(0.2)
        return False


def gone(pid: int, timeout: float = 30) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:  # exited, and not yet reaped by whoever adopted it
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_runs_beside_the_server_and_stops_with_it(worker_database, signum):
    served = Served(worker_database.env)
    try:
        pid = served.worker_pid()
        assert served.answers()
        run = runs.enqueue("reminders", trigger=Trigger.ON_DEMAND)
        # Wait until the worker is idle: this run finished, and any other (a
        # charts run the test data's import queued) too, so that the signal
        # finds it between runs ("SIGTERM: stopping.").
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            waiting = Run.objects.filter(outcome__in=(Outcome.QUEUED, Outcome.RUNNING))
            if run.finished and not waiting.exists():
                break
            time.sleep(0.1)

        served.process.send_signal(signum)
        code = served.process.wait(60)
    finally:
        if served.process.poll() is None:
            served.process.kill()

    assert run.outcome == Outcome.OK, "\n".join(served.lines)
    assert code == 0
    assert gone(pid), "the worker outlived the server"
    assert served.said("Stopping the worker")
    assert served.said("SIGTERM: stopping.") and served.said("Stopped.")


def test_a_worker_whose_server_was_killed_stops_by_itself(worker_database):
    served = Served(worker_database.env)
    pid = served.worker_pid()

    served.process.kill()
    served.process.wait(30)

    assert gone(pid), "the worker outlived the server"
    assert served.said("The process that started this worker has gone: stopping.")
