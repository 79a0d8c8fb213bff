"""The installed console script in a process of its own, for what only a real
process shows: settings read from the environment when the process starts, a
database with no tables, the exit status after the reader of its output has
gone, and the settings production runs with. Each test runs against its own
SQLite file, so these tests never touch the database of the rest of the suite.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from cli_helpers import EXAMPLE, EXE
from cli_helpers import run_process as run


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    assert run(folder, "migrate", "-v", "0").returncode == 0
    result = run(folder, "import", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    return folder


def test_a_bad_setting_is_named_without_a_traceback(tmp_path):
    result = run(tmp_path, "evaluate", "--period", "2020/21 Q2", env={"DEBUG": "maybe"})

    assert result.returncode == 1
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_before_migrate_says_to_migrate(tmp_path):
    result = run(tmp_path, "evaluate", "--period", "2020/21 Q2")

    assert result.returncode == 1
    assert "run 'perfreport migrate' first" in result.stderr
    assert "Traceback" not in result.stderr


def test_output_piped_into_a_reader_that_has_gone_is_not_an_error(loaded):
    # `true` exits at once, long before perfreport has started, so its first
    # write meets a pipe with no reader (EPIPE), as `| head` does mid-way.
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{loaded / 'cli.sqlite3'}"}
    pipeline = (
        f"'{EXE}' evaluate --period '2020/21 Q2' --format json | true; echo ${{PIPESTATUS[0]}}"
    )

    result = subprocess.run(
        ["bash", "-c", pipeline],
        capture_output=True,
        text=True,
        env=environment,
        cwd=loaded,
        timeout=120,
    )

    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    assert result.stdout.strip() == "141"  # 128 + SIGPIPE, as for `grep | head`


def test_changing_the_financial_year_after_import_is_named(loaded):
    result = run(loaded, "evaluate", "--period", "2020 Q2", env={"PERFREPORT_FY_START_MONTH": "1"})

    assert result.returncode == 1
    assert (
        "PERFREPORT_FY_START_MONTH must stay as it was when the data were imported" in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_production_hashes_passwords_with_argon2(tmp_path):
    """The suite hashes its test accounts' passwords with a fast hasher
    (tests/conftest.py); the command as deployed still uses Argon2."""
    from django.conf import settings

    code = (
        "from django.contrib.auth.hashers import get_hasher, make_password; "
        "print(get_hasher().algorithm, make_password('x').split('$')[0])"
    )
    result = run(tmp_path, "manage", "shell", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["argon2", "argon2"]
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.MD5PasswordHasher"
