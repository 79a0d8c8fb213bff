"""The report's cover comes from the home organisation: its title, team and
contact as organisations.csv (or the admin) sets them, a report.toml over
them, and neutral words when neither says; never the seed's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from builders import write_csv
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook
from test_pdf import pdftotext, squash

from perfreport.imports.export import export_path
from perfreport.imports.service import import_path
from perfreport.registry.models import Organisation

pytestmark = pytest.mark.django_db

# The seed's words, which a report for another organisation must never carry.
SEED_WORDS = (
    "Business Intelligence",
    "Corporate Performance Report",
    "Cambridgeshire",
    "Corporate Services",
    "business.intelligence@",
)
HEADER = ["code", "name", "home", "report_title", "report_team", "report_contact"]
NORTHSHIRE = ["E06000099", "Northshire Council", "yes"]
COVER = ["Quarterly Performance Digest", "Performance and Insight", "insight@northshire.example"]


def northshire(folder: Path, cover: list[str] | None = None) -> Path:
    """Two monthly indicators for Northshire Council, with its report settings (or none)."""
    folder.mkdir(parents=True)
    write_csv(folder / "organisations.csv", HEADER, [NORTHSHIRE + (cover or ["", "", ""])])
    write_csv(
        folder / "indicators.csv",
        ["ref", "title", "unit", "polarity", "frequency", "rating_basis", "decimals"],
        [["A1", "Calls answered", "percent", "higher", "monthly", "targeted", "1"],
         ["A2", "Web sessions", "count", "higher", "monthly", "contextual", "0"]],
    )  # fmt: skip
    write_csv(
        folder / "values.csv",
        ["ref", "period", "value", "target"],
        [["A1", "2020-08", "87.5", "85"], ["A1", "2020-09", "87.0", "85"],
         ["A2", "2020-09", "432584", ""]],
    )  # fmt: skip
    return folder


def report(tmp_path: Path, fmt: str, *options: str) -> str:
    """``perfreport report`` for September 2020 in ``fmt``, as text."""
    path = tmp_path / f"report.{fmt}"
    call_command("report_period", "--period", "2020-09", "-o", str(path), *options)
    if fmt == "pdf":
        return squash(pdftotext(path, layout=False))
    if fmt == "html":
        return path.read_text(encoding="utf-8")
    if fmt == "docx":
        return "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    workbook = load_workbook(path)
    return "\n".join(str(c) for row in workbook["About"].iter_rows(values_only=True) for c in row)


@pytest.mark.parametrize("fmt", ["pdf", "html", "docx", "xlsx"])
def test_with_no_report_toml_the_cover_is_the_home_organisations(tmp_path, fmt):
    """GIVEN Northshire Council's title, team and contact in organisations.csv
    WHEN its report is made with no report.toml
    THEN the cover shows its name, title, team and contact, and none of the seed's words."""
    import_path(northshire(tmp_path / "data", COVER))

    text = report(tmp_path, fmt)

    for words in ("Northshire Council", *COVER):
        assert words in text, words
    for words in SEED_WORDS:
        assert words not in text, words


@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_with_neither_the_cover_is_neutral(tmp_path, fmt):
    """GIVEN an organisation with no report settings and no report.toml
    THEN the report is a "Performance report" with no team line and none of the seed's words."""
    import_path(northshire(tmp_path / "data"))

    text = report(tmp_path, fmt)

    assert "Performance report" in text
    assert "Northshire Council" in text
    assert "Produced by" not in text
    for words in SEED_WORDS:
        assert words not in text, words


def test_a_report_toml_overrides_the_organisations_settings(tmp_path):
    import_path(northshire(tmp_path / "data", COVER))
    config = tmp_path / "report.toml"
    config.write_text('title = "Annual Scorecard"\nteam = ""\n', encoding="utf-8")

    text = report(tmp_path, "html", "--config", str(config))

    assert "<h1>Annual Scorecard</h1>" in text
    assert "Quarterly Performance Digest" not in text
    assert "Produced by" not in text  # team = "" leaves it out
    assert "insight@northshire.example" in text  # not overridden: the organisation's


def test_the_title_option_overrides_both(tmp_path):
    import_path(northshire(tmp_path / "data", COVER))

    text = report(tmp_path, "html", "--title", "Board Report")

    assert "<h1>Board Report</h1>" in text
    assert "Performance and Insight" in text


def test_the_cover_settings_round_trip_through_export(tmp_path):
    """GIVEN the settings imported WHEN exported and imported again THEN the
    organisation is unchanged, and organisations.csv carries the three columns."""
    import_path(northshire(tmp_path / "data", COVER))
    export_path(tmp_path / "out")

    header = (tmp_path / "out" / "organisations.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "code,name,kind,la_number,home,report_title,report_team,report_contact"
    summary, _ = import_path(tmp_path / "out")

    home = Organisation.objects.get(is_home=True)
    assert [home.report_title, home.report_team, home.report_contact] == COVER
    assert summary.counts["organisations"] == {"unchanged": 1}


def test_the_settings_of_an_organisation_that_is_not_home_are_warned_about(tmp_path):
    folder = northshire(tmp_path / "data", COVER)
    other = ["E06000098", "Southshire Council", "no", "Their Report", "", ""]
    write_csv(folder / "organisations.csv", HEADER, [NORTHSHIRE + COVER, other])

    _, warnings = import_path(folder)

    assert [str(p) for p in warnings] == [
        "warning: organisations.csv, row 3: gives report_title for an organisation that is "
        "not home; only the home organisation's are used on the reports"
    ]
