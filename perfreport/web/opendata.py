"""Open data: the published values and the indicator definitions, as CSV,
JSON and XLSX, for everyone, under the home organisation's licence (the Open
Government Licence v3.0 unless it names another), described by a Data Package
(datapackage.json). CSV and JSON are streamed row by row; the workbook is
kept per data version. Draft values and draft commentary never appear."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from perfreport.core.text import csv_row
from perfreport.core.units import plain
from perfreport.data.evaluations import kept
from perfreport.data.selectors import home_organisation
from perfreport.imports.spreadsheet import append_row
from perfreport.registry.models import Indicator
from perfreport.web.opendata_values import value_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "xlsx": XLSX}
CHUNK = 2000


@dataclass(frozen=True)
class Licence:
    name: str
    url: str

    def record(self) -> dict[str, str]:
        return {"name": self.name, "url": self.url}


OGL = Licence(
    "Open Government Licence v3.0",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)


@dataclass(frozen=True)
class OpenDataFile:
    name: str
    title: str
    summary: str
    columns: tuple[tuple[str, str], ...]  # (name, what it holds)
    rows: Callable[[], Iterable[tuple[Any, ...]]]  # in the order of columns

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]


def value_rows() -> Iterator[tuple[Any, ...]]:
    """Every published value of the home organisation, in report order then
    period order, with its target, rating, change and published commentary."""
    return iter(value_table())


def indicator_rows() -> Iterator[tuple[Any, ...]]:
    """Every indicator's definition, in report order."""
    indicators = Indicator.objects.order_by("position", "ref").values_list(
        "ref",
        "title",
        "description",
        "unit",
        "unit_label",
        "decimals",
        "polarity",
        "frequency",
        "directorate__name",
        "service__name",
        "source",
        "national_code",
    )
    return indicators.iterator(chunk_size=CHUNK)


UNITS = "percent, number, count, stars or currency (pounds)"
LABEL = (
    "How the unit is printed around the figure: a scale (k thousands, m millions, bn "
    "billions: the figure counts in them) and words, such as £m (4.2 is £4.2m), days or "
    "per 10,000; empty for the unit alone"
)
WITHHELD = 'such as c, x, * or "fewer than 10", to protect people in small numbers; never a zero'
FILES = {
    "values": OpenDataFile(
        "values",
        "Values",
        "Every published value, one row per indicator and period.",
        (
            ("ref", "The indicator's reference, as in indicators.csv"),
            ("title", "The indicator's title"),
            ("period", "The period the value is for, as a code: a month (2020-09), a quarter of the financial year (2020/21 Q2) or a financial year (2020/21)"),
            ("period_in_words", "The same period in words: September 2020, Quarter 2 2020/21; a year of another kind says which (Academic year 2020/21)"),
            ("value", "The figure, a number with a full stop for the decimal point and no thousands separators; empty when it is withheld"),
            ("withheld", f"What was published instead of a number when the figure is withheld ({WITHHELD}); otherwise empty"),
            ("unit", f"What the figure counts: {UNITS}"),
            ("unit_label", LABEL),
            ("numerator", "For a rate, the count above the line, where it is published; otherwise empty"),
            ("denominator", "For a rate, the count below the line, where it is published; otherwise empty"),
            ("target", "The target in force for the period, a number as the value is; empty when there is none"),
            ("rating", "The RAG rating of the value against its target, in the words of the organisation's Key (such as Red, Amber, Green, Baseline); empty when it is not rated"),
            ("change", "The change in performance since the value before it: Improving, Declining or Unchanged (following the indicator's direction for improvement); empty for the first value"),
            ("commentary", "The published commentary on the value; empty when there is none"),
            ("actions", "The published actions planned, where the value needs them; otherwise empty"),
        ),
        value_rows,
    ),
    "indicators": OpenDataFile(
        "indicators",
        "Indicators",
        "What each indicator measures, one row per indicator.",
        (
            ("ref", "The indicator's reference"),
            ("title", "The indicator's title"),
            ("description", "How the figure is worked out"),
            ("unit", f"What the figure counts: {UNITS}"),
            ("unit_label", LABEL),
            ("decimals", "How many decimal places the report shows"),
            ("polarity", "Which way is better: higher or lower"),
            ("frequency", "How often a value is published: monthly, quarterly or annual"),
            ("directorate", "The directorate responsible"),
            ("service", "The service responsible"),
            ("source", "Where the figure comes from"),
            ("national_code", "The national data set's code for the same measure, if there is one"),
        ),
        indicator_rows,
    ),
}  # fmt: skip


# -- writing -------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written to it, for csv.writer to stream."""

    def write(self, text: str) -> str:
        return text


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return plain(value) if isinstance(value, Decimal) else value


def csv_lines(spec: OpenDataFile) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(csv_row(spec.column_names))
    for row in spec.rows():
        yield writer.writerow(csv_row(_csv_cell(v) for v in row))


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def json_chunks(spec: OpenDataFile, publisher: str, licence: Licence = OGL) -> Iterator[str]:
    """``{"published_by": …, "licence": {…}, "<name>": [{…}, …]}``, one record at a time."""
    yield (
        f'{{"published_by": {json.dumps(publisher)}, '
        f'"licence": {json.dumps(licence.record(), ensure_ascii=False)}, '
        f"{json.dumps(spec.name)}: ["
    )
    names = spec.column_names
    for n, row in enumerate(spec.rows()):
        record = {name: _json_value(v) for name, v in zip(names, row, strict=True)}
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


def xlsx_bytes(spec: OpenDataFile, publisher: str, licence: Licence) -> bytes:
    """The file as a workbook: every text a string cell, so that a spreadsheet
    keeps 2020-09 as written (Excel turns it into a date in a CSV), numbers as
    numbers; the publisher and licence in the document's properties."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.name)
    append_row(sheet, spec.column_names)
    for row in spec.rows():
        append_row(sheet, [_xlsx_cell(v) for v in row])
    props = workbook.properties
    props.title = f"{spec.title}: {spec.summary}"
    props.creator = publisher or "perfreport"
    props.description = f"Published under the {licence.name}: {licence.url}"
    props.keywords = "open data; performance"
    custom = workbook.custom_doc_props  # type: ignore[attr-defined]  # openpyxl 3.1, unstubbed
    custom.append(StringProperty(name="Licence", value=licence.name))
    custom.append(StringProperty(name="Licence URL", value=licence.url))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def data_package(publisher: str, licence: Licence) -> dict[str, Any]:
    """The files described as a Frictionless Data Package (datapackage.json):
    the CSV files' metadata, their columns and the licence."""
    return {
        "profile": "tabular-data-package",
        "name": "performance-open-data",
        "title": f"{publisher or 'Council'} performance: open data",
        "publisher": publisher,
        "licenses": [{"name": licence.name, "path": licence.url, "title": licence.name}],
        "resources": [
            {
                "name": spec.name,
                "path": f"{spec.name}.csv",
                "title": spec.title,
                "description": spec.summary,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": name, "description": meaning} for name, meaning in spec.columns
                    ]
                },
            }
            for spec in FILES.values()
        ],
    }


# -- views ---------------------------------------------------------------------


def _publisher() -> str:
    home = home_organisation()
    return home.name if home else ""


def licence() -> Licence:
    """The home organisation's licence for its open data; by default the Open
    Government Licence v3.0."""
    home = home_organisation()
    if home is None or not home.licence_name.strip():
        return OGL
    return Licence(home.licence_name.strip(), home.licence_url.strip() or "")


def _chunks(name: str, fmt: str) -> Iterator[str | bytes]:
    spec = FILES[name]
    if fmt == "csv":
        return iter(csv_lines(spec))
    if fmt == "xlsx":
        return iter(
            [
                kept(
                    ("open-data-xlsx", name),
                    True,
                    lambda: xlsx_bytes(spec, _publisher(), licence()),
                )
            ]
        )
    return iter(json_chunks(spec, _publisher(), licence()))


def file_sizes() -> dict[tuple[str, str], int]:
    """The bytes a download of each file serves now, by (name, format),
    counted once per data version (one kept entry for them all)."""

    def count() -> dict[tuple[str, str], int]:
        return {
            (name, fmt): sum(
                len(c.encode() if isinstance(c, str) else c) for c in _chunks(name, fmt)
            )
            for name in FILES
            for fmt in FORMATS
        }

    return kept(("open-data-sizes",), True, count)


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_safe
def open_data_file(
    request: HttpRequest, name: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if (name, fmt) == ("datapackage", "json"):
        package = data_package(_publisher(), licence())
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            json.dumps(package, ensure_ascii=False, indent=1), content_type=FORMATS["json"]
        )
    elif name in FILES and fmt in FORMATS:
        response = StreamingHttpResponse(_chunks(name, fmt), content_type=FORMATS[fmt])
        inline = "inline" if fmt == "json" else "attachment"
        response["Content-Disposition"] = f'{inline}; filename="{name}.{fmt}"'
        response["Link"] = '<datapackage.json>; rel="describedby"'
    else:
        return _page(request, missing=f"{name}.{fmt}", status=404)
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may read it
    return response


def _page(request: HttpRequest, missing: str = "", status: int = 200) -> HttpResponse:
    sizes = file_sizes()
    downloads = [
        (spec, [(fmt, size_words(sizes[spec.name, fmt])) for fmt in FORMATS])
        for spec in FILES.values()
    ]
    context = {
        "files": list(FILES.values()),
        "downloads": downloads,
        "formats": list(FORMATS),
        "publisher": _publisher(),
        "licence": licence(),
        "missing": missing,
        "nav": "open_data",
    }
    return render(request, "web/open_data.html", context, status=status)


def size_words(size: int) -> str:
    """A file's size as a download link gives it: "812 bytes", "2.4 KB", "1.3 MB"."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("KB", 1000), ("MB", 1000**2), ("GB", 1000**3)):
        if size < scale * 1000 or unit == "GB":
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover
