"""A period beyond the years a period may be written in is a usage error
(exit status 2) that says which years are, never a traceback."""

from __future__ import annotations

import pytest
from cli_helpers import run

pytestmark = pytest.mark.usefixtures("imported_example")


@pytest.mark.parametrize("period", ["9999/00 Q4", "9999-12", "1899/00"])
@pytest.mark.parametrize(
    "command",
    [
        pytest.param(("evaluate",), id="evaluate"),
        pytest.param(("check",), id="check"),
        pytest.param(("report", "--format", "html", "--output", "unused.html"), id="report"),
    ],
)
def test_a_period_outside_the_years_is_a_usage_error(command, period, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = run(*command, "--period", period)

    assert result.returncode == 2
    assert f"'{period}' is out of range: a period's year must be 1900 to 2999" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "unused.html").exists()


@pytest.mark.parametrize("command", ["evaluate", "check", "report"])
def test_a_five_digit_year_is_not_a_period(command):
    result = run(command, "--period", "10000-01")

    assert result.returncode == 2
    assert "'10000-01' is not a period" in result.stderr
    assert "Traceback" not in result.stderr
