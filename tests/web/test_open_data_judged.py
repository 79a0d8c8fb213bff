"""Open data a resident or analyst can use as it comes: each published value
with its target, rating, change and published commentary, the period in words
beside its code, a workbook that keeps 2020-09 as text, the licence in every
file's metadata, and each download's size on the page."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.test import Client

from perfreport.core.periods import parse_period
from perfreport.data.models import Commentary, Observation
from perfreport.data.versions import bump_data_version
from perfreport.registry.models import Indicator, Organisation
from perfreport.web.opendata import size_words

pytestmark = pytest.mark.django_db

Q2 = "2020/21 Q2"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def download(name: str) -> bytes:
    response = Client().get(f"/open-data/{name}")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def values_csv() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(download("values.csv").decode())))


def row_of(rows: list[dict[str, str]], ref: str, period: str) -> dict[str, str]:
    return next(r for r in rows if r["ref"] == ref and r["period"] == period)


def test_a_value_has_its_target_rating_change_and_commentary(imported_example: None) -> None:
    row = row_of(values_csv(), "180", Q2)

    assert (row["target"], row["rating"], row["change"]) == ("99", "Amber", "Improving")
    public = Client().get("/public.json", {"period": Q2}).json()
    record = next(r for r in public["indicators"] if r["ref"] == "180")
    assert (record["target"], record["rag"], record["change"]) == (99, "amber", "improving")
    assert row["commentary"].startswith("The percentage of premises in Cambridgeshire")
    first = row_of(values_csv(), "180", "2019/20 Q4")
    assert first["change"] == ""  # no value before it to compare with


def test_only_published_commentary_is_open_data(imported_example: None) -> None:
    """GIVEN a value's commentary made a draft again and another value's draft
    commentary, WHEN values.csv and values.json are downloaded, THEN neither
    draft appears, and the published commentary of other values does."""
    Commentary.objects.filter(indicator__ref="180", period=Q2).update(
        is_draft=True, text="DRAFT-WORDS about broadband"
    )
    note = Commentary(indicator=Indicator.objects.get(ref="191"), text="DRAFT-191", is_draft=True)
    note.set_period(parse_period("2019-04"))
    note.save()

    text = download("values.csv").decode() + download("values.json").decode()

    assert "DRAFT-WORDS" not in text and "DRAFT-191" not in text
    assert row_of(values_csv(), "180", Q2)["commentary"] == ""
    assert (
        sum(1 for r in values_csv() if r["commentary"])
        == Commentary.objects.filter(is_draft=False).exclude(text="").count()
    )
    assert Commentary.objects.filter(is_draft=True).count() == 2


def test_the_workbook_keeps_periods_as_text_and_numbers_as_numbers(
    imported_example: None,
) -> None:
    data = download("values.xlsx")

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
        core = package.read("docProps/core.xml").decode()
        custom = package.read("docProps/custom.xml").decode()
    # Excel reads "2020-09" typed or in a CSV as 1 September 2020: here the
    # cell is an inline string, which it shows as written.
    assert '<c r="C' in sheet and 't="inlineStr"><is><t>2020-09</t></is>' in sheet
    assert "<is><t>September 2020</t></is>" in sheet
    assert "<v>99.7</v>" in sheet  # a number cell
    assert f"Open Government Licence v3.0: {OGL_URL}" in core
    assert "Cambridgeshire County Council" in core
    assert "Licence URL" in custom and OGL_URL in custom


def test_the_csv_writes_the_period_code_as_written_beside_its_words(
    imported_example: None,
) -> None:
    data = download("values.csv")

    assert b",2020-09,September 2020,99.7," in data  # the bytes: no quote, no date
    assert not data.startswith(b"\xef\xbb\xbf")


def test_every_file_names_the_licence_the_council_chose(imported_example: None) -> None:
    Organisation.objects.filter(is_home=True).update(
        licence_name="Creative Commons Attribution 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    )

    page = Client().get("/open-data/").content.decode()
    package = json.loads(download("datapackage.json"))
    values = json.loads(download("values.json"))

    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license">'
        "Creative Commons Attribution 4.0</a>"
    ) in page
    assert package["licenses"] == [
        {
            "name": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    assert values["licence"]["name"] == "Creative Commons Attribution 4.0"
    with zipfile.ZipFile(io.BytesIO(download("indicators.xlsx"))) as book:
        assert "Creative Commons Attribution 4.0" in book.read("docProps/custom.xml").decode()


def test_the_open_government_licence_is_the_default(imported_example: None) -> None:
    page = Client().get("/open-data/").content.decode()

    assert f'<a href="{OGL_URL}" rel="license">Open Government Licence v3.0</a>' in page
    package = json.loads(download("datapackage.json"))
    assert package["licenses"][0]["path"] == OGL_URL
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields[:4] == ["ref", "title", "period", "period_in_words"]
    response = Client().get("/open-data/values.csv")
    assert response["Link"] == '<datapackage.json>; rel="describedby"'


def test_each_download_link_gives_the_size_of_the_bytes_it_serves(
    imported_example: None,
) -> None:
    page = Client().get("/open-data/").content.decode()

    for name in ("values.csv", "values.json", "values.xlsx", "indicators.csv"):
        size = size_words(len(download(name)))
        assert f'{name} <span class="file-size">({size})</span>' in page


def test_the_sizes_follow_the_data(imported_example: None) -> None:
    before = len(download("values.csv"))
    Observation.objects.filter(indicator__ref="180", period=Q2).update(value=Decimal("12345.67"))
    bump_data_version()  # as every save does (an update() sends no signal)

    page = Client().get("/open-data/").content.decode()
    after = len(download("values.csv"))
    assert after != before
    assert f'values.csv <span class="file-size">({size_words(after)})</span>' in page


@pytest.mark.parametrize(
    ("size", "words"),
    [(0, "0 bytes"), (999, "999 bytes"), (2438, "2.4 KB"), (1_300_000, "1.3 MB")],
)
def test_sizes_read_as_bytes_kilobytes_and_megabytes(size: int, words: str) -> None:
    assert size_words(size) == words
