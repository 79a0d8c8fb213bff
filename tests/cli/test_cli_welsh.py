"""The command line in Welsh (issue 17): the installed console script speaks
the language of its environment (PERFREPORT_LANGUAGE, then the locale), its
help and the import's problems included, naming the file, row and column as
they are; the exit status does not change with the language, and without a
Welsh environment every word is the English it always was."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run_process

from perfreport.cli import language_for

# No language from the shell running the tests: each test says its own.
QUIET = {"PERFREPORT_LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
WELSH_LOCALE = {**QUIET, "LANG": "cy_GB.UTF-8"}

BAD_POLARITY = (
    "ref,title,unit,polarity,frequency,rating_basis\n"
    "A1,Rent collected,percent,upwards,quarterly,targeted\n"
)


def run(folder: Path, *args: str, env: dict[str, str]):
    return run_process(folder, *args, env=env)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("welsh")
    assert run(folder, "migrate", "-v", "0", env=QUIET).returncode == 0
    return folder


@pytest.fixture
def bad_folder(migrated) -> Path:
    folder = migrated / "bad"
    folder.mkdir(exist_ok=True)
    (folder / "indicators.csv").write_text(BAD_POLARITY)
    (folder / "values.csv").write_text("ref,period,value\n")
    return folder


def test_an_import_problem_is_in_welsh_naming_the_file_row_and_column(migrated, bad_folder):
    """GIVEN indicators.csv with a polarity perfreport does not read WHEN it is
    imported with LANG=cy_GB.UTF-8 THEN the problem is said in Welsh, naming
    the file, the row and the column (and the cell) as they are, and the
    import is refused with exit status 1, as in English."""
    result = run(migrated, "import", str(bad_folder), env=WELSH_LOCALE)

    assert result.returncode == 1
    assert (
        "indicators.csv, rhes 2, colofn polarity: 'upwards' nid yw'n un o higher, lower"
        in result.stderr
    )
    assert "perfreport import: " in result.stderr
    assert "1 gwall; ni fewnforiwyd dim" in result.stderr
    assert "row 2" not in result.stderr and "error(s)" not in result.stderr


def test_the_same_problem_is_in_english_without_a_welsh_environment(migrated, bad_folder):
    result = run(migrated, "import", str(bad_folder), env=QUIET)

    assert result.returncode == 1
    assert (
        "indicators.csv, row 2, column polarity: 'upwards' is not one of higher, lower"
        in result.stderr
    )
    assert result.stderr.rstrip().endswith("bad: 1 error(s); nothing was imported")


def test_a_value_that_is_not_a_number_is_said_in_welsh(migrated):
    folder = migrated / "bad-value"
    folder.mkdir(exist_ok=True)
    (folder / "indicators.csv").write_text(BAD_POLARITY.replace("upwards", "higher"))
    (folder / "values.csv").write_text("ref,period,value\nA1,2020/21 Q2,lots\n")

    result = run(migrated, "import", str(folder), env=WELSH_LOCALE)

    assert result.returncode == 1
    assert (
        "values.csv, rhes 2, colofn value: 'lots' nid yw'n rhif: disgwylid digidau fel 97.83 "
        "neu 432584" in result.stderr
    )


def test_a_missing_column_is_said_in_welsh_with_the_columns_as_they_are(migrated):
    folder = migrated / "no-title"
    folder.mkdir(exist_ok=True)
    (folder / "indicators.csv").write_text("ref,unit\nA1,percent\n")

    result = run(migrated, "import", str(folder), env={**QUIET, "PERFREPORT_LANGUAGE": "cy"})

    assert result.returncode == 1
    assert (
        "indicators.csv, rhes 1: colofn(nau) gofynnol ar goll title, polarity, frequency, "
        "rating_basis; mae gan y pennawd ref, unit" in result.stderr
    )


def test_the_commands_help_is_in_welsh(migrated):
    result = run(migrated, "--help", env=WELSH_LOCALE)

    assert result.returncode == 0
    assert result.stdout.startswith("defnydd: perfreport GORCHYMYN [dewisiadau]")
    assert "  import    mewnforio dangosyddion a gwerthoedd o ffeiliau CSV" in result.stdout
    assert "Statws gadael: 0 llwyddiant" in result.stdout


def test_a_commands_own_help_is_in_welsh(migrated):
    result = run(migrated, "import", "--help", env={**QUIET, "PERFREPORT_LANGUAGE": "cy"})

    assert result.returncode == 0
    assert "Mewnforio dangosyddion, targedau, gwerthoedd a sylwebaeth" in result.stdout
    assert "ffolder o ffeiliau CSV, neu lyfr gwaith .xlsx" in result.stdout
    assert "Import indicators" not in result.stdout


def test_the_help_is_english_as_before_without_a_welsh_environment(migrated):
    top = run(migrated, "--help", env=QUIET)
    own = run(migrated, "import", "--help", env=QUIET)

    assert top.stdout.startswith("usage: perfreport COMMAND [options]")
    assert "  import    import indicators and values from CSV files or a workbook" in top.stdout
    assert "Import indicators, targets, values and commentary" in own.stdout
    assert "folder of CSV files, or an .xlsx workbook" in own.stdout


def test_perfreport_language_wins_over_the_locale(migrated):
    result = run(migrated, "--help", env={**WELSH_LOCALE, "PERFREPORT_LANGUAGE": "en"})

    assert result.stdout.startswith("usage: perfreport COMMAND [options]")


def test_a_usage_error_is_in_welsh_with_exit_status_2(migrated):
    result = run(migrated, "evaluate", "--period", "nonsense", env=WELSH_LOCALE)

    assert result.returncode == 2
    assert "nid yw 'nonsense' yn gyfnod" in result.stderr


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        pytest.param([], {}, "en-gb", id="nothing_set_is_english"),
        pytest.param([], {"LANG": "cy_GB.UTF-8"}, "cy", id="a_welsh_lang"),
        pytest.param([], {"LANG": "en_GB.UTF-8"}, "en-gb", id="an_english_lang"),
        pytest.param([], {"LC_MESSAGES": "cy_GB", "LANG": "en_GB"}, "cy", id="lc_messages_first"),
        pytest.param(
            [], {"LC_ALL": "en_GB", "LC_MESSAGES": "cy_GB"}, "en-gb", id="lc_all_before_all"
        ),
        pytest.param([], {"LC_ALL": "", "LANG": "cy"}, "cy", id="an_empty_variable_is_unset"),
        pytest.param([], {"PERFREPORT_LANGUAGE": "cy", "LANG": "en_GB"}, "cy", id="own_setting"),
        pytest.param(
            ["report", "--language", "en"],
            {"PERFREPORT_LANGUAGE": "cy"},
            "en-gb",
            id="the_commands_option_first",
        ),
        pytest.param(["report", "--language=cy"], {}, "cy", id="option_with_equals"),
    ],
)
def test_the_language_is_chosen_by_option_then_setting_then_locale(args, environ, expected):
    assert language_for(args, environ) == expected
