"""``perfreport feed``: lists the feeds, runs one (or tries it with
--dry-run), prints progress on standard error and the result on standard
output, and exits 0 when every row was taken, 1 when the run failed or
refused rows, 2 when the command line is wrong."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from feed_helpers import entry, fill_sqlite, make_feed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import run

pytestmark = pytest.mark.django_db


def test_it_lists_the_feeds_without_their_passwords(open_round):
    make_feed("postgresql://reader:Secret-pw-123@db.example.org/cases", ["180"])

    result = run("feed")

    assert result.returncode == 0
    assert "Case system  (database query: postgresql://reader:***@db.example.org/cases;" in (
        result.stdout
    )
    assert "1 indicator; never run)" in result.stdout
    assert "Secret-pw-123" not in result.stdout


def test_a_dry_run_prints_each_row_and_writes_nothing(sqlite_source, open_round):
    fill_sqlite(sqlite_source, [("182", "2020-10", 74), ("181", "2020/21 Q3", 70)])
    make_feed(sqlite_source, ["182"])

    result = run("feed", "case system", "--dry-run")

    assert result.returncode == 1  # a refused row
    assert "Case system: Dry run, nothing written: would be 1 new" in result.stdout
    assert "new           182 2020-10: (none) -> 74" in result.stdout
    assert "refused       181 2020/21 Q3: (none) -> 70  (indicator 181 is not one" in result.stdout
    assert "Running the query" in result.stderr
    assert entry(open_round, "182", "2020-10").value is None


def test_a_run_writes_the_drafts_and_exits_0(sqlite_source, open_round):
    fill_sqlite(sqlite_source, [("182", "2020-10", 74)])
    make_feed(sqlite_source, ["182"])

    result = run("feed", "Case system")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Case system: 1 new, 0 changed, 0 unchanged, 0 refused." in result.stdout
    assert entry(open_round, "182", "2020-10").value == Decimal("74")


def test_a_failed_run_exits_1(tmp_path, open_round):
    make_feed(tmp_path / "gone.sqlite3", ["182"])

    result = run("feed", "Case system")

    assert result.returncode == 1
    assert "Case system: Failed: nothing written. Could not connect to or read the database" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        pytest.param(("No such feed",), "there is no feed 'No such feed'", id="unknown_feed"),
        pytest.param(("--dry-run",), "--dry-run needs the feed's name", id="dry_run_alone"),
        pytest.param(("a", "b"), "unrecognized arguments: b", id="two_names"),
    ],
)
def test_a_wrong_command_line_exits_2(open_round, args, said):
    result = run("feed", *args)

    assert result.returncode == 2
    assert said in result.stderr


def test_help_says_what_it_does_and_its_exit_status(db):
    result = run("feed", "--help")

    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "land as drafts in the open round" in text
    assert "1 when the run failed (nothing written) or refused rows" in text
    assert "--dry-run" in text
