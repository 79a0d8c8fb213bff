"""The docs keep up with the code: every setting, command and import column
is documented (a test fails when one is added without a word in docs/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfreport.cli import COMMANDS
from perfreport.imports.columns import FILES

DOCS = Path(__file__).resolve().parent.parent / "docs"
SETTINGS = Path(__file__).resolve().parent.parent / "perfreport" / "settings.py"


def text(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def settings_read() -> list[str]:
    """Every environment variable that settings.py reads through the env helpers."""
    return re.findall(r'env_\w+\(os\.environ, "([A-Z_]+)"', SETTINGS.read_text())


def test_settings_py_reads_the_settings_this_test_expects():
    assert set(settings_read()) >= {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}


@pytest.mark.parametrize("name", settings_read())
def test_every_setting_is_documented(name):
    assert f"`{name}`" in text("settings.md")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented(command):
    assert f"perfreport {command}" in text("cli.md")


@pytest.mark.parametrize(
    ("file", "column"),
    [(spec.name, column) for spec in FILES.values() for column in spec.columns],
)
def test_every_import_column_is_documented(file, column):
    doc = text("import-format.md")
    section = doc.split(f"{file}.csv", 1)[1] if f"{file}.csv" in doc else ""

    assert f"`{column}`" in section, f"{file}.csv column {column} is not in docs/import-format.md"


def test_the_readme_states_the_two_setup_commands_that_ci_runs():
    readme = (DOCS.parent / "README.md").read_text()
    ci = (DOCS.parent / ".ci" / "run").read_text()

    assert "make run" in readme
    assert "make test" in readme
    assert "make test" in ci


def test_the_chart_cache_setting_is_documented():
    assert "`PERFREPORT_CACHE_DIR`" in text("settings.md")


def test_every_report_option_is_documented():
    from perfreport.reports.management.commands.report_period import Command

    parser = Command().create_parser("perfreport", "report")
    ours = [a for action in parser._actions for a in action.option_strings if a.startswith("--")]
    django_own = {"--version", "--verbosity", "--settings", "--pythonpath", "--traceback",
                  "--no-color", "--force-color", "--skip-checks", "--help"}  # fmt: skip
    for option in set(ours) - django_own:
        assert f"`{option}" in text("reports.md"), option
