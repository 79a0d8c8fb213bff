"""The DfE Local Authority Interactive Tool (LAIT) files, read as they are published.

A LAIT folder holds three files, found by their columns, not their names:

* the bulk data, long format (``*.parquet``): Short Desc, Data item, Years,
  LA and Regions, Values (text; ``-`` is missing), LA Number, Region;
* the data dictionary (``*.csv``): Measure_short (joins Short Desc), Measure,
  Polarity (High, Low or ``-``), dps, Year_Type, …;
* the statistical neighbours workbook (``*.xlsx``): for each LA its ten
  nearest neighbours, SN1 to SN10, under three header rows.

England (LA number 970) and the regions (980 to 990) are organisations of
their own, with their published figures; each LA's neighbours become the
group "Statistical neighbours of NAME".
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from perfreport.imports.benchmarks import BATCH, LoadReport, Progress, Row, load_rows
from perfreport.imports.problems import ImportFailed, Problem
from perfreport.registry.models import (
    ComparatorGroup,
    GroupKind,
    GroupMember,
    Measure,
    Organisation,
)

BULK_COLUMNS = ("Short Desc", "Years", "LA and Regions", "Values", "LA Number")
ENGLAND = 970
# GSS codes of England and its regions, by LA number, so that they meet data
# from other sources under their usual codes.
GSS_CODES = {
    970: "E92000001",
    980: "E12000001",  # North East
    981: "E12000002",  # North West
    982: "E12000003",  # Yorkshire and the Humber
    983: "E12000004",  # East Midlands
    984: "E12000005",  # West Midlands
    985: "E12000006",  # East of England
    986: "E12000007",  # London
    987: "E13000001",  # Inner London
    988: "E13000002",  # Outer London
    989: "E12000008",  # South East
    990: "E12000009",  # South West
}
POLARITIES = {"high": "higher", "low": "lower"}


@dataclass(frozen=True)
class LaitFiles:
    bulk: Path
    dictionary: Path
    neighbours: Path | None


def find_lait_files(folder: Path) -> LaitFiles | None:
    """The LAIT files in ``folder``, or None when it holds no LAIT bulk data."""
    if not folder.is_dir():
        return None
    bulk = next((p for p in sorted(folder.glob("*.parquet")) if _is_bulk(p)), None)
    if bulk is None:
        return None
    dictionary = next((p for p in sorted(folder.glob("*.csv")) if _is_dictionary(p)), None)
    if dictionary is None:
        raise ImportFailed(
            [
                Problem(
                    str(folder),
                    _("holds LAIT bulk data but no data dictionary (Measure_short)"),
                )
            ]
        )
    neighbours = next((p for p in sorted(folder.glob("*.xlsx")) if _is_neighbours(p)), None)
    return LaitFiles(bulk, dictionary, neighbours)


def import_lait(files: LaitFiles, progress: Progress | None = None) -> tuple[list[str], LoadReport]:
    """Load the measures, organisations, neighbour groups and values: what was
    read, in lines, and the values' load report. The caller holds the transaction."""
    said = _("measures: %(count)s read from %(file)s")
    lines = [said % {"count": _measures(files.dictionary), "file": files.dictionary.name}]
    created = _organisations(files.bulk)
    said = _("organisations: %(count)s created from %(file)s")
    lines.append(said % {"count": created, "file": files.bulk.name})
    if files.neighbours is not None:
        groups = _neighbour_groups(files.neighbours)
        said = _("groups: %(count)s statistical neighbour groups from %(file)s")
        lines.append(said % {"count": groups, "file": files.neighbours.name})
    report, problems = _values(files.bulk, progress)
    if problems:
        raise ImportFailed(problems)
    return lines + report.lines(files.bulk.name), report


# -- the data dictionary ---------------------------------------------------------


def _measures(path: Path) -> int:
    seen: set[str] = set()
    existing = {m.code: m for m in Measure.objects.all()}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("Measure_short") or "").strip()
            if not code or code in seen:
                continue  # the dictionary lists a few measures twice: the first stands
            seen.add(code)
            fields = _measure_fields(row)
            measure = existing.get(code)
            if measure is None:
                Measure.objects.create(code=code, **fields)
            elif any(getattr(measure, k) != v for k, v in fields.items()):
                Measure.objects.filter(pk=measure.pk).update(**fields)
    return len(seen)


def _measure_fields(row: dict[str, str]) -> dict[str, Any]:
    decimals = (row.get("dps") or "").strip()
    source = " ".join(
        part.strip()
        for part in (
            row.get("Data Owner (DO) /Supplier and Contact Details"),
            row.get("Hyperlink(s)"),
        )
        if part and part.strip() not in ("", "NA")
    )
    return {
        "title": (row.get("Measure") or row.get("Chart_title") or "").strip()[:300],
        "topic": (row.get("Topic") or "").strip()[:200],
        "polarity": POLARITIES.get((row.get("Polarity") or "").strip().lower(), ""),
        "decimals": int(decimals) if decimals.isdigit() else None,
        "unit_label": (row.get("y_axis_name") or "").strip()[:200],
        "period_type": (row.get("Year_Type") or "").strip()[:50],
        "description": (row.get("Description") or "").strip(),
        "source": source,
    }


# -- organisations and groups ----------------------------------------------------


def _organisations(bulk: Path) -> int:
    import pyarrow.parquet as pq

    table = pq.read_table(bulk, columns=["LA and Regions", "LA Number"])
    found: dict[int, str] = {}
    for name, number in zip(
        table.column("LA and Regions").to_pylist(),
        table.column("LA Number").to_pylist(),
        strict=True,
    ):
        if number is not None and number == number:
            found.setdefault(int(number), str(name).strip())
    return _ensure_organisations(found)


def _ensure_organisations(found: dict[int, str]) -> int:
    """Organisations for LA numbers not yet known; the number created."""
    known = set(Organisation.objects.exclude(la_number="").values_list("la_number", flat=True))
    codes = set(Organisation.objects.values_list("code", flat=True))
    created = []
    for number, name in sorted(found.items()):
        if str(number) in known:
            continue
        code = GSS_CODES.get(number, str(number))
        if code in codes:
            Organisation.objects.filter(code=code, la_number="").update(la_number=str(number))
            continue
        kind = "england" if number == ENGLAND else "region" if number in GSS_CODES else "la"
        created.append(Organisation(code=code, name=name, kind=kind, la_number=str(number)))
    Organisation.objects.bulk_create(created)
    return len(created)


def _neighbour_groups(path: Path) -> int:
    rows = list(_neighbour_rows(path))
    _ensure_organisations({number: name for number, name, _ in rows})
    ids = dict(
        (int(n), pk)
        for n, pk in Organisation.objects.exclude(la_number="").values_list("la_number", "pk")
    )
    count = 0
    for number, name, neighbours in rows:
        owner = ids[number]
        group, _ = ComparatorGroup.objects.update_or_create(
            name=f"Statistical neighbours of {name}",
            defaults={"kind": GroupKind.STATISTICAL_NEIGHBOURS, "organisation_id": owner},
        )
        members = [(ids[n], position) for position, n in enumerate(neighbours, 1) if n in ids]
        stored = list(group.memberships.values_list("organisation_id", "position"))
        if stored != members:
            group.memberships.all().delete()
            GroupMember.objects.bulk_create(
                GroupMember(group=group, organisation_id=pk, position=p) for pk, p in members
            )
        count += 1
    return count


def _neighbour_rows(path: Path) -> Iterator[tuple[int, str, list[int]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        for cells in sheet.iter_rows(values_only=True):
            texts = ["" if c is None else str(c).strip() for c in cells]
            if header is None:
                if "SN1" in texts:
                    header = texts
                continue
            number = _whole(cells[0])
            if number is None:
                continue
            name = texts[header.index("LA Name")] if "LA Name" in header else str(number)
            neighbours = [
                n
                for i, h in enumerate(header)
                if h.startswith("SN") and h[2:].isdigit() and (n := _whole(cells[i])) is not None
            ]
            yield number, name, neighbours
    finally:
        book.close()


def _whole(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- values ------------------------------------------------------------------------


def _values(bulk: Path, progress: Progress | None) -> tuple[LoadReport, list[Problem]]:
    import pyarrow.parquet as pq

    source = pq.ParquetFile(bulk)
    total = source.metadata.num_rows

    def rows() -> Iterator[Row]:
        number = 1
        for batch in source.iter_batches(batch_size=BATCH, columns=list(BULK_COLUMNS)):
            measures, years, _, values, numbers = (c.to_pylist() for c in batch.columns)
            for measure, year, value, la in zip(measures, years, values, numbers, strict=True):
                number += 1
                organisation = "" if la is None or la != la else str(int(la))
                yield (
                    number,
                    (organisation, measure or "", (year or "").strip(), value or "", "", ""),
                )

    return load_rows(rows(), bulk.name, total, progress, skip_unknown_periods=True)


def _is_bulk(path: Path) -> bool:
    import pyarrow.parquet as pq

    try:
        names = set(pq.ParquetFile(path).schema_arrow.names)
    except Exception:  # not a Parquet file we can read: not ours to judge here
        return False
    return set(BULK_COLUMNS) <= names


def _is_dictionary(path: Path) -> bool:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    return "Measure_short" in header


def _is_neighbours(path: Path) -> bool:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        for index, cells in enumerate(book.worksheets[0].iter_rows(values_only=True)):
            if "SN1" in [str(c).strip() for c in cells if c is not None]:
                return True
            if index > 10:
                break
    finally:
        book.close()
    return False
