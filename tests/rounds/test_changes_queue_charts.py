"""Every way figures change queues the report's charts to be drawn in the
background once the change commits: ``perfreport import``, the Import page,
the grid of figures and publishing a round (see
tests/reports/test_chart_job.py for the job itself). A change that changes
nothing queues nothing."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from round_helpers import entry_of

from perfreport.jobs.models import Outcome, Run, Trigger
from perfreport.rounds.services import EntryInput, approve_entry, save_entry

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import EXAMPLE, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(personas, settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """The personas and the seed's figures as committed (nothing waiting),
    a chart cache of the test's own; ``committed()`` then runs what a commit
    of the block's changes would."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("PERFREPORT_CACHE_DIR", str(tmp_path / "charts"))
    connection.run_on_commit.clear()  # the setup's: a commit would have run them

    def committing():
        return django_capture_on_commit_callbacks(execute=True)

    return committing


def queued_charts() -> list[tuple[str, str]]:
    return list(Run.objects.filter(job="charts").values_list("outcome", "trigger"))


ONE_QUEUED = [(Outcome.QUEUED, Trigger.EVENT)]


def changed_example(folder: Path) -> Path:
    """The example with one value changed (180's latest, 97.66 to 97.70)."""
    copy = folder / "example"
    shutil.copytree(EXAMPLE, copy)
    values = copy / "values.csv"
    text = values.read_text()
    assert text.count("180,2019/20 Q4,,97.66,") == 1
    values.write_text(text.replace("180,2019/20 Q4,,97.66,", "180,2019/20 Q4,,97.70,"))
    return copy


def test_perfreport_import_queues_the_charts(committed, tmp_path) -> None:
    with committed():
        unchanged = run("import", str(EXAMPLE))
    assert unchanged.returncode == 0 and queued_charts() == []  # nothing changed

    with committed():
        changed = run("import", str(changed_example(tmp_path)))

    assert changed.returncode == 0, changed.stderr
    assert queued_charts() == ONE_QUEUED


def test_the_import_page_queues_the_charts(committed, client, personas, tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(changed_example(tmp_path).glob("*.csv")):
            archive.write(path, path.name)
    client.force_login(personas.admin)
    client.post("/imports/", {"file": ContentFile(buffer.getvalue(), name="example.zip")})
    preview = client.get("/imports/preview")
    assert queued_charts() == []  # a preview writes nothing

    with committed():
        done = client.post(
            "/imports/confirm",
            {"version": preview.context["version"], "upload": preview.context["kept"]["name"]},
        )

    assert done.status_code == 302
    assert queued_charts() == ONE_QUEUED


def test_saving_the_grid_of_figures_queues_the_charts(committed, client, personas, open_round):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)
    connection.run_on_commit.clear()  # the round's opening: committed

    with committed():
        saved = client.post(
            "/work/figures/",
            {"entry": [str(entry.pk)], f"e{entry.pk}-value": "72.5",
             f"e{entry.pk}-version": str(entry.version)},
        )  # fmt: skip

    assert saved.status_code in (302, 303), saved.content.decode()[:2000]
    assert queued_charts() == ONE_QUEUED


def test_publishing_a_round_queues_the_charts(committed, client, personas, open_round, actors):
    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="90.5"), version=entry.version,
               submit=True)  # fmt: skip
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    connection.run_on_commit.clear()  # the saves before: committed, their charts drawn
    versions = " ".join(f"{pk}:{v}" for pk, v in open_round.entries.values_list("pk", "version"))
    client.force_login(personas.admin)

    with committed():
        done = client.post(
            f"/rounds/{open_round.pk}/publish", {"seen": versions, "reason": "Next quarter"}
        )

    assert done.status_code == 302
    assert queued_charts() == ONE_QUEUED
