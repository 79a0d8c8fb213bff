"""Open data: the published values and the indicator definitions, as CSV and
JSON, for everyone. Files are streamed row by row, so they scale with the
register; draft values never appear."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Value
from django.db.models.functions import NullIf
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from perfreport.core.text import csv_row
from perfreport.core.units import plain
from perfreport.data.models import Observation
from perfreport.data.selectors import home_organisation
from perfreport.registry.models import Indicator

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
CHUNK = 2000


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
    """Every published value of the home organisation, in report order then period order."""
    home = home_organisation()
    if home is None:
        return iter(())
    values = (
        Observation.objects.filter(organisation=home, is_draft=False)
        .annotate(withheld=NullIf("withheld_as", Value("")))  # JSON: null for a number
        .order_by("indicator__position", "indicator__ref", "last_month", "first_month")
        .values_list(
            "indicator__ref",
            "indicator__title",
            "period",
            "value",
            "withheld",
            "indicator__unit",
            "indicator__unit_label",
            "numerator",
            "denominator",
        )
    )
    return values.iterator(chunk_size=CHUNK)


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
            ("period", "The period the value is for: a month (2020-09), a quarter of the financial year (2020/21 Q2) or a financial year (2020/21)"),
            ("value", "The figure, a number with a full stop for the decimal point and no thousands separators; empty when it is withheld"),
            ("withheld", f"What was published instead of a number when the figure is withheld ({WITHHELD}); otherwise empty"),
            ("unit", f"What the figure counts: {UNITS}"),
            ("unit_label", LABEL),
            ("numerator", "For a rate, the count above the line, where it is published; otherwise empty"),
            ("denominator", "For a rate, the count below the line, where it is published; otherwise empty"),
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


def json_chunks(spec: OpenDataFile, publisher: str) -> Iterator[str]:
    """``{"published_by": …, "<name>": [{…}, …]}``, one record at a time."""
    yield f'{{"published_by": {json.dumps(publisher)}, {json.dumps(spec.name)}: ['
    names = spec.column_names
    for n, row in enumerate(spec.rows()):
        record = {name: _json_value(v) for name, v in zip(names, row, strict=True)}
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


# -- views ---------------------------------------------------------------------


def _publisher() -> str:
    home = home_organisation()
    return home.name if home else ""


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_safe
def open_data_file(
    request: HttpRequest, name: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    spec = FILES.get(name)
    if spec is None or fmt not in FORMATS:
        return _page(request, missing=f"{name}.{fmt}", status=404)
    if fmt == "csv":
        lines: Iterator[str] = csv_lines(spec)
        disposition = f'attachment; filename="{name}.csv"'
    else:
        lines = json_chunks(spec, _publisher())
        disposition = f'inline; filename="{name}.json"'
    response = StreamingHttpResponse(lines, content_type=FORMATS[fmt])
    response["Content-Disposition"] = disposition
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may read it
    return response


def _page(request: HttpRequest, missing: str = "", status: int = 200) -> HttpResponse:
    context = {
        "files": list(FILES.values()),
        "formats": list(FORMATS),
        "publisher": _publisher(),
        "missing": missing,
        "nav": "open_data",
    }
    return render(request, "web/open_data.html", context, status=status)
