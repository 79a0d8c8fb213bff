"""perfreport report: formats, options and every bad input with a clear message."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db


def report(*args: str) -> None:
    call_command("report_period", *args)


def test_xlsx_holds_one_row_per_indicator_with_numbers_as_numbers(imported_example, tmp_path):
    report("--period", "2020/21 Q2", "-o", str(tmp_path / "r.xlsx"))

    workbook = load_workbook(tmp_path / "r.xlsx")
    rows = list(workbook["Indicators"].iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    assert len(rows) == 18
    assert first[header.index("value")] == 97.83
    assert first[header.index("display_value")] == "97.83%"
    assert workbook["Indicators"].cell(2, header.index("value") + 1).number_format == '#,##0.00"%"'
    history = list(workbook["History"].iter_rows(values_only=True))
    assert history[1][:5] == (
        "180",
        "Premises with access to superfast broadband",
        "2019/20 Q4",
        97.66,
        97.5,
    )
    assert len(list(workbook["Findings"].iter_rows())) == 5  # header and 4 findings


def test_the_format_comes_from_the_file_ending_when_not_given(imported_example, tmp_path):
    report("--period", "2020/21 Q2", "-o", str(tmp_path / "r.XLSX"))

    assert (tmp_path / "r.XLSX").read_bytes().startswith(b"PK")


def test_a_directorate_narrows_the_report(imported_example, tmp_path):
    Indicator.objects.filter(ref="196").update(directorate=None)

    report(
        "--period",
        "2020/21 Q2",
        "--directorate",
        "corporate services",
        "-o",
        str(tmp_path / "r.xlsx"),
    )

    rows = list(load_workbook(tmp_path / "r.xlsx")["Indicators"].iter_rows(values_only=True))
    assert len(rows) == 17  # 196 left out


def test_an_unknown_directorate_names_the_ones_there_are(imported_example, tmp_path):
    with pytest.raises(
        CommandError,
        match="no directorate is called 'Adults'; the directorates are: Corporate Services",
    ):
        report("--period", "2020/21 Q2", "--directorate", "Adults", "-o", str(tmp_path / "r.xlsx"))


def test_an_unknown_service_names_the_ones_there_are(imported_example, tmp_path):
    with pytest.raises(
        CommandError, match="no service is called 'Parks'; the services are: Business Intelligence"
    ):
        report("--period", "2020/21 Q2", "--service", "Parks", "-o", str(tmp_path / "r.xlsx"))


def test_a_period_with_no_data_says_which_periods_have_data(imported_example, tmp_path):
    with pytest.raises(
        CommandError,
        match=r"no indicator has a value at or before 2010/11 Q1; values exist for 2020-09, 2020/21 Q2, 2020-08",
    ):
        report("--period", "2010/11 Q1", "-o", str(tmp_path / "r.xlsx"))
    assert not (tmp_path / "r.xlsx").exists()


def test_an_unwritable_path_is_a_clear_error(imported_example, tmp_path):
    with pytest.raises(CommandError, match="cannot write there"):
        report("--period", "2020/21 Q2", "-o", str(tmp_path / "no" / "such" / "r.xlsx"))


def test_an_unknown_format_is_a_clear_error(imported_example, tmp_path):
    with pytest.raises(
        CommandError,
        match=r"cannot tell the format from .*r\.txt: give --format pdf\|html\|docx\|xlsx",
    ):
        report("--period", "2020/21 Q2", "-o", str(tmp_path / "r.txt"))


def test_standard_output_takes_the_document(imported_example, capsysbinary):
    report("--period", "2020/21 Q2", "--format", "xlsx", "-o", "-")

    assert capsysbinary.readouterr().out.startswith(b"PK")


def test_a_config_file_sets_the_cover_and_the_sections(imported_example, tmp_path):
    (tmp_path / "report.toml").write_text(
        'organisation = "Anytown Council"\ncontact = "bi@anytown.example"\n'
        'sections = ["cover", "indicators"]\nproduced_on = 2020-12-16\n'
    )

    report(
        "--period",
        "2020/21 Q2",
        "--config",
        str(tmp_path / "report.toml"),
        "-o",
        str(tmp_path / "r.xlsx"),
    )

    about = dict(load_workbook(tmp_path / "r.xlsx")["About"].iter_rows(values_only=True))
    assert about["Organisation"] == "Anytown Council"
    assert about["Contact"] == "bi@anytown.example"
    assert about["Produced on"] == "16 December 2020"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('colour = "red"', "unknown key(s) colour"),
        ('sections = ["cover", "appendix"]', "unknown section(s) appendix"),
        ('logo = "missing.png"', "logo 'missing.png' is not a file"),
        ('produced_on = "yesterday"', "produced_on must be a date such as 2020-12-16"),
        ("title = ", "not valid TOML"),
    ],
)
def test_a_bad_config_names_the_key(imported_example, tmp_path, toml, message):
    (tmp_path / "report.toml").write_text(toml + "\n")

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        report(
            "--period",
            "2020/21 Q2",
            "--config",
            str(tmp_path / "report.toml"),
            "-o",
            str(tmp_path / "r.xlsx"),
        )


def test_bad_dates_are_usage_errors(imported_example, tmp_path, capsys):
    with pytest.raises(CommandError, match="is not a date: write it as 2020-12-16"):
        report(
            "--period", "2020/21 Q2", "--produced-on", "16/12/2020", "-o", str(tmp_path / "r.xlsx")
        )


def test_the_workbook_is_written_whole_or_not_at_all(imported_example, tmp_path):
    (tmp_path / "r.xlsx").write_bytes(b"old report")

    report("--period", "2020/21 Q2", "-o", str(tmp_path / "r.xlsx"))

    assert load_workbook(io.BytesIO((tmp_path / "r.xlsx").read_bytes()))
    assert not list(tmp_path.glob(".*.tmp"))
