"""values.csv and commentary.csv are streamed: read from the file each time
the checks and the writes go through them, their records spilled to a
temporary file past a batch, and written a batch at a time, so that an
import's memory is bounded by the batch, not the file (issue 13)."""

from __future__ import annotations

import pytest
from builders import write_csv
from import_helpers import VALUES_HEADER, small_folder

from perfreport.data.models import Commentary, Observation
from perfreport.imports import load, plan
from perfreport.imports.plan import Spill
from perfreport.imports.service import import_path
from perfreport.imports.tables import CsvRows, read_source

ROWS = 650  # past the writes' batch and the plan's spill, made small here


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 200 written, 500 records kept before a spill (2,000 and 5,000 in use)."""
    monkeypatch.setattr(load, "BATCH", 200)
    monkeypatch.setattr(plan, "SPILL_BATCH", 500)


def months(count: int) -> list[str]:
    return [f"{1990 + n // 12}-{n % 12 + 1:02d}" for n in range(count)]


def many_values(count: int, value: str = "87.5") -> list[list[str]]:
    rows = []
    for n, period in enumerate(months(count // 2)):
        rows.append(["A1", period, value, "85", "", f"Note {n}", ""])
        rows.append(["A2", period, str(n), "", "", "", ""])
    return rows


def test_a_spill_gives_back_every_record_in_order_as_often_as_asked():
    spill: Spill[int] = Spill(batch=1000)
    for n in range(2_501):
        spill.append(n)

    assert len(spill) == 2_501 and spill
    assert list(spill) == list(range(2_501))
    # Read again inside a reading, as the round rule's checks do.
    pairs = [(a, b) for a in spill if a % 1000 == 0 for b in spill if b in (0, 2_500)]
    assert pairs == [(0, 0), (0, 2_500), (1000, 0), (1000, 2_500), (2000, 0), (2000, 2_500)]
    assert not Spill()


def test_values_csv_is_read_from_the_file_each_time_and_never_held(tmp_path):
    folder = small_folder(tmp_path / "in", values=many_values(10))
    tables, problems = read_source(folder)

    rows = tables["values"].rows

    assert problems == []
    assert isinstance(rows, CsvRows) and len(rows) == 10
    assert list(rows) == list(rows)
    assert [n for n, _ in rows] == list(range(2, 12))


@pytest.mark.django_db
def test_an_import_past_the_batch_writes_every_row_and_reads_back_unchanged(
    tmp_path, small_batches
):
    """GIVEN 650 values (half with commentary) WHEN imported THEN every one
    is stored; imported again, nothing changes; a change in the last batch
    is the one change."""
    assert ROWS > plan.SPILL_BATCH > load.BATCH
    folder = small_folder(tmp_path / "in", values=many_values(ROWS))

    first, _ = import_path(folder)

    assert Observation.objects.count() == ROWS
    assert Commentary.objects.count() == ROWS // 2
    assert first.counts["values"]["created"] == ROWS
    assert first.counts["commentary"]["created"] == ROWS // 2
    assert first.counts["targets"]["created"] == ROWS // 2  # A1's rows give 85
    assert Commentary.objects.get(period=months(ROWS // 2)[-1]).text == f"Note {ROWS // 2 - 1}"

    again, _ = import_path(folder)

    assert again.counts["values"]["unchanged"] == ROWS and not again.changed

    rows = many_values(ROWS)
    rows[-2][2] = "90.0"
    rows[-2][5] = "Revised."
    write_csv(folder / "values.csv", VALUES_HEADER, rows)

    third, _ = import_path(folder)

    assert third.counts["values"]["updated"] == 1
    assert third.counts["commentary"]["updated"] == 1
    assert Commentary.objects.get(period=months(ROWS // 2)[-1]).text == "Revised."


@pytest.mark.django_db
def test_commentary_csv_and_values_rows_still_agree_when_streamed(tmp_path, small_batches):
    """commentary.csv's actions fill in beside a values row's commentary."""
    folder = small_folder(tmp_path / "in", values=many_values(20))
    write_csv(
        folder / "commentary.csv",
        ["ref", "period", "actions"],
        [["A1", months(10)[-1], "Call every customer back."]],
    )

    summary, _ = import_path(folder)

    note = Commentary.objects.get(period=months(10)[-1])
    assert (note.text, note.actions) == ("Note 9", "Call every customer back.")
    assert summary.counts["commentary"]["created"] == 10
