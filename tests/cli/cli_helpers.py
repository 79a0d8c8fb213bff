"""Running the perfreport command in the tests: in this process (``run``), as
most tests do, or as the installed console script in a process of its own
(``run_process``), for what only a real process shows."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

EXE = Path(sys.executable).parent / "perfreport"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cambridgeshire-2020-21-q2"


@dataclass
class Result:
    """What a run of the command left: its exit status and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Result:
    """``perfreport ARGS`` in this process, on the test database: the exit
    status is what the console script would exit with (main's return value,
    or the code of a SystemExit that escapes it).

    Django closes every database connection when a command run from the
    command line ends (``perfreport manage NAME``): a process that is about to
    exit loses nothing by it, but here it would end the test's transaction
    (on PostgreSQL), so the connections stay open."""
    from django.db import connections

    from perfreport.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        redirect_stdout(out),
        redirect_stderr(err),
        mock.patch.object(connections, "close_all", lambda: None),
    ):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The installed console script against its own SQLite file in ``tmp_path``."""
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    environment.pop("COLUMNS", None)
    environment.update(env or {})
    return subprocess.run(
        [str(EXE), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )
