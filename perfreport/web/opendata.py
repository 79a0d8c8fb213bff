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
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe
from django_stubs_ext import StrOrPromise

from perfreport.core.plan import ActionKind
from perfreport.core.text import csv_row
from perfreport.core.units import plain
from perfreport.data.evaluations import kept
from perfreport.data.plan import PlanView, load_plan
from perfreport.data.selectors import home_organisation
from perfreport.imports.spreadsheet import append_row
from perfreport.registry.models import Indicator
from perfreport.web.opendata_values import value_table
from perfreport.web.scorecard_periods import chosen_period

T = TypeVar("T")
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
    """A file of open data. Its title, summary and the columns' meanings are
    words for the open data page, in the page's language; the file itself
    (its column names and values) is data, the same in every language."""

    name: str
    title: StrOrPromise
    summary: StrOrPromise
    columns: tuple[tuple[str, StrOrPromise], ...]  # (name, what it holds)
    rows: Callable[[], Iterable[tuple[Any, ...]]]  # in the order of columns

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def without_welsh(self) -> OpenDataFile:
        """The file without its Welsh columns (the last ones, named ``…_cy``)."""
        english = tuple(c for c in self.columns if not c[0].endswith("_cy"))
        rows = self.rows
        return replace(self, columns=english, rows=lambda: (r[: len(english)] for r in rows()))


def published_files() -> dict[str, OpenDataFile]:
    """The files as published: with their Welsh columns where the home
    organisation publishes in Welsh and English (issue 17), else as before."""
    home = home_organisation()
    if home is not None and home.bilingual:
        return FILES
    return {name: spec.without_welsh() for name, spec in FILES.items()}


def _bilingual() -> bool:
    home = home_organisation()
    return home is not None and home.bilingual


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
        "title_cy",
        "description_cy",
    )
    return indicators.iterator(chunk_size=CHUNK)


def _latest_plan() -> PlanView | None:
    """The plan as published for the latest quarter with published values."""
    period, _notices = chosen_period("", public=True, plan=True)
    return load_plan(period, public=True) if period is not None else None


def plan_rows() -> Iterator[tuple[Any, ...]]:
    """Every plan item, top down, with its roll-up for the latest published quarter."""
    view = _latest_plan()
    if view is None:
        return
    for item in view.items():
        parent = item.item.parent.ref if item.item.parent is not None else ""
        rollup = item.rollup
        yield (
            item.ref,
            parent,
            item.level,
            item.item.title,
            item.item.description,
            item.item.lead,
            "; ".join(row.indicator.ref for row in item.indicators),
            view.period.label,
            view.label(rollup.status) if rollup.status else "",
            rollup.sentence(view.label),
            item.item.title_cy,
            item.item.description_cy,
        )


def action_rows() -> Iterator[tuple[Any, ...]]:
    """Every action and project with its published progress and its status
    at the end of the latest published quarter."""
    view = _latest_plan()
    if view is None:
        return
    for action in view.actions.values():
        record = action.action
        yield (
            record.ref,
            ActionKind(record.kind).label,
            record.title,
            record.owner,
            "; ".join(o.ref for o in record.outcomes.all()),
            "; ".join(i.ref for i in record.indicators.all()),
            record.start.isoformat() if record.start else "",
            record.due.isoformat() if record.due else "",
            action.percent,
            view.period.label,
            action.status.label,
            action.outcome.reason,
            action.note,
            action.note_period,
            record.title_cy,
            action.note_cy,
        )


UNITS = gettext_lazy("percent, number, count, stars or currency (pounds)")
LABEL = gettext_lazy(
    "How the unit is printed around the figure: a scale (k thousands, m millions, bn "
    "billions: the figure counts in them) and words, such as £m (4.2 is £4.2m), days or "
    "per 10,000; empty for the unit alone"
)
WITHHELD = gettext_lazy(
    'such as c, x, * or "fewer than 10", to protect people in small numbers; never a zero'
)
COUNTS = format_lazy(gettext_lazy("What the figure counts: {units}"), units=UNITS)
FILES = {
    "values": OpenDataFile(
        "values",
        gettext_lazy("Values"),
        gettext_lazy("Every published value, one row per indicator and period."),
        (
            ("ref", gettext_lazy("The indicator's reference, as in indicators.csv")),
            ("title", gettext_lazy("The indicator's title")),
            ("period", gettext_lazy("The period the value is for, as a code: a month (2020-09), a quarter of the financial year (2020/21 Q2) or a financial year (2020/21)")),
            ("period_in_words", gettext_lazy("The same period in words: September 2020, Quarter 2 2020/21; a year of another kind says which (Academic year 2020/21)")),
            ("value", gettext_lazy("The figure, a number with a full stop for the decimal point and no thousands separators; empty when it is withheld")),
            ("withheld", format_lazy(gettext_lazy("What was published instead of a number when the figure is withheld ({withheld}); otherwise empty"), withheld=WITHHELD)),
            ("unit", COUNTS),
            ("unit_label", LABEL),
            ("numerator", gettext_lazy("For a rate, the count above the line, where it is published; otherwise empty")),
            ("denominator", gettext_lazy("For a rate, the count below the line, where it is published; otherwise empty")),
            ("target", gettext_lazy("The target in force for the period, a number as the value is; empty when there is none")),
            ("rating", gettext_lazy("The RAG rating of the value against its target, in the words of the organisation's Key (such as Red, Amber, Green, Baseline); empty when it is not rated")),
            ("change", gettext_lazy("The change in performance since the value before it: Improving, Declining or Unchanged (following the indicator's direction for improvement); empty for the first value")),
            ("commentary", gettext_lazy("The published commentary on the value; empty when there is none")),
            ("actions", gettext_lazy("The published actions planned, where the value needs them; otherwise empty")),
            ("title_cy", gettext_lazy("The indicator's title in Welsh; empty when there is none")),
            ("commentary_cy", gettext_lazy("The published commentary in Welsh; empty when there is none")),
            ("actions_cy", gettext_lazy("The published actions in Welsh; empty when there are none")),
        ),
        value_rows,
    ),
    "indicators": OpenDataFile(
        "indicators",
        gettext_lazy("Indicators"),
        gettext_lazy("What each indicator measures, one row per indicator."),
        (
            ("ref", gettext_lazy("The indicator's reference")),
            ("title", gettext_lazy("The indicator's title")),
            ("description", gettext_lazy("How the figure is worked out")),
            ("unit", COUNTS),
            ("unit_label", LABEL),
            ("decimals", gettext_lazy("How many decimal places the report shows")),
            ("polarity", gettext_lazy("Which way is better: higher or lower")),
            ("frequency", gettext_lazy("How often a value is published: monthly, quarterly or annual")),
            ("directorate", gettext_lazy("The directorate responsible")),
            ("service", gettext_lazy("The service responsible")),
            ("source", gettext_lazy("Where the figure comes from")),
            ("national_code", gettext_lazy("The national data set's code for the same measure, if there is one")),
            ("title_cy", gettext_lazy("The indicator's title in Welsh; empty when there is none")),
            ("description_cy", gettext_lazy("How the figure is worked out, in Welsh; empty when there is none")),
        ),
        indicator_rows,
    ),
    "plan": OpenDataFile(
        "plan",
        gettext_lazy("Council plan"),
        gettext_lazy("The plan's priorities and outcomes, with their status in the latest published quarter."),
        (
            ("ref", gettext_lazy("The plan item's reference")),
            ("parent", gettext_lazy("The reference of the priority or outcome it is under; empty for a priority")),
            ("level", gettext_lazy("Priority, Outcome or Sub-outcome")),
            ("title", gettext_lazy("The plan item's title")),
            ("description", gettext_lazy("What it is about")),
            ("lead", gettext_lazy("Who leads it")),
            ("indicators", gettext_lazy("The references of the indicators that show its progress, separated by semicolons")),
            ("period", gettext_lazy("The quarter the status is for, as a code (2020/21 Q2)")),
            ("status", gettext_lazy("Its status, made from its indicators' ratings and its actions' statuses by the rule stated on the plan pages; empty when none of them is rated")),
            ("status_reason", gettext_lazy("How the status was worked out, in a sentence")),
            ("title_cy", gettext_lazy("The plan item's title in Welsh; empty when there is none")),
            ("description_cy", gettext_lazy("What it is about, in Welsh; empty when there is none")),
        ),
        plan_rows,
    ),
    "actions": OpenDataFile(
        "actions",
        gettext_lazy("Actions and projects"),
        gettext_lazy("The plan's actions and projects, with their published progress and status."),
        (
            ("ref", gettext_lazy("The action's reference")),
            ("kind", gettext_lazy("Action or Project")),
            ("title", gettext_lazy("The action's title")),
            ("owner", gettext_lazy("Who owns it")),
            ("outcomes", gettext_lazy("The references of the plan items it serves, separated by semicolons")),
            ("indicators", gettext_lazy("The references of the indicators it serves, separated by semicolons")),
            ("start", gettext_lazy("The date it starts, as YYYY-MM-DD; empty if none")),
            ("due", gettext_lazy("The date it is due, as YYYY-MM-DD; empty if none")),
            ("percent_complete", gettext_lazy("How complete it is, 0 to 100, as last published by the end of the period; empty when nothing is published")),
            ("period", gettext_lazy("The quarter the status is for, as a code (2020/21 Q2); the status is worked out on its last day")),
            ("status", gettext_lazy("Complete, On track, At risk, Overdue or Not started")),
            ("status_reason", gettext_lazy("Why, in a sentence")),
            ("progress", gettext_lazy("The published progress note")),
            ("progress_period", gettext_lazy("The period of that note")),
            ("title_cy", gettext_lazy("The action's title in Welsh; empty when there is none")),
            ("progress_cy", gettext_lazy("The published progress note in Welsh; empty when there is none")),
        ),
        action_rows,
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


def in_english(make: Callable[[], Iterable[T]]) -> Iterator[T]:
    """What ``make`` gives, made in English: the files are data, the same
    whichever language's page links to them (period names, ratings, changes,
    statuses as the English pages print them)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield from make()


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
    props.title = f"{spec.title}: {spec.summary}"  # in English: made in_english
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
                "title": str(spec.title),
                "description": str(spec.summary),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {"name": name, "description": str(meaning)}
                        for name, meaning in spec.columns
                    ]
                },
            }
            for spec in published_files().values()
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
    return in_english(lambda: _file_chunks(name, fmt))


def _file_chunks(name: str, fmt: str) -> Iterator[str | bytes]:
    spec = published_files()[name]
    if fmt == "csv":
        return iter(csv_lines(spec))
    if fmt == "xlsx":
        return iter(
            [
                kept(
                    ("open-data-xlsx", name, _bilingual()),
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

    return kept(("open-data-sizes", _bilingual()), True, count)


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_safe
def open_data_file(
    request: HttpRequest, name: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if (name, fmt) == ("datapackage", "json"):
        with translation.override(settings.LANGUAGE_CODE):
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
        for spec in published_files().values()
    ]
    context = {
        "files": list(published_files().values()),
        "downloads": downloads,
        "formats": list(FORMATS),
        "publisher": _publisher(),
        "licence": licence(),
        "licence_html": _licence_html(licence()),
        "missing": missing,
        "nav": "open_data",
    }
    return render(request, "web/open_data.html", context, status=status)


def _licence_html(licence: Licence) -> str:
    """The licence's name, a link to it when it has an address."""
    # Its name is the licence's own, in English: marked so on a Welsh page.
    lang = ' lang="en-GB"' if translation.get_language() == "cy" else ""
    if licence.url:
        return format_html(
            '<a href="{}" rel="license"{}>{}</a>', licence.url, mark_safe(lang), licence.name
        )
    return format_html("<span{}>{}</span>", mark_safe(lang), licence.name) if lang else licence.name


def size_words(size: int) -> str:
    """A file's size as a download link gives it: "812 bytes", "2.4 KB", "1.3 MB"."""
    if size < 1000:
        return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    for unit, scale in (("KB", 1000), ("MB", 1000**2), ("GB", 1000**3)):
        if size < scale * 1000 or unit == "GB":
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"  # pragma: no cover
