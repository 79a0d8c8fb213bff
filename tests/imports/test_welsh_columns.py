"""Welsh beside the English in the import files (issue 17): title_cy,
description_cy, commentary_cy, actions_cy and progress_cy are read by
``perfreport import`` and the Import page, written back by ``perfreport
export``, and the published Welsh commentary reaches the public indicator
page in Welsh (/cy/), never the English page."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import EXAMPLE, run

from perfreport.accounts.permissions import grant
from perfreport.data.models import ActionUpdate, Commentary
from perfreport.registry.models import Indicator, PlanAction, PlanItem

pytestmark = pytest.mark.django_db

WELSH_191 = "Mae'r targed hwn wedi'i gyrraedd yn gyson dros y 4 blynedd diwethaf."
COMMENTARY = (
    "ref,period,commentary,commentary_cy,actions,actions_cy\n"
    "182,2020-09,Backlog falling.,Mae'r ôl-groniad yn lleihau.,More staff.,Mwy o staff.\n"
)


def notes(ref: str, period: str = "2020-09") -> Commentary:
    return Commentary.objects.get(indicator__ref=ref, period=period)


def test_the_example_brings_its_welsh_titles_commentary_plan_and_progress(imported_example):
    assert Indicator.objects.get(ref="191").title_cy == (
        "Galwadau a atebwyd gan y Gwasanaethau Cwsmeriaid"
    )
    assert Indicator.objects.get(ref="180").title_cy == ""  # not translated in the example
    assert notes("191").text_cy.startswith(WELSH_191)
    assert PlanItem.objects.get(ref="P1.2").title_cy == "Mae preswylwyr yn cael gwasanaeth da"
    action = PlanAction.objects.get(ref="A4")
    assert action.progress_cy == "Aeth y system newydd yn fyw ar 21 Awst 2020."
    update = ActionUpdate.objects.get(action=action, period="2020/21 Q2")
    assert update.note_cy == action.progress_cy  # its published update carries the Welsh


def test_the_command_line_imports_paired_columns_and_leaves_the_welsh_of_files_without_them(
    imported_example, tmp_path
):
    (tmp_path / "commentary.csv").write_text(COMMENTARY, encoding="utf-8")

    result = run("import", str(tmp_path))

    assert result.returncode == 0, result.stderr
    stored = notes("182")
    assert (stored.text, stored.text_cy) == ("Backlog falling.", "Mae'r ôl-groniad yn lleihau.")
    assert (stored.actions, stored.actions_cy) == ("More staff.", "Mwy o staff.")
    # a file with no Welsh column leaves the Welsh as stored
    (tmp_path / "commentary.csv").write_text(
        "ref,period,commentary\n182,2020-09,Backlog still falling.\n", encoding="utf-8"
    )
    assert run("import", str(tmp_path)).returncode == 0
    assert notes("182").text_cy == "Mae'r ôl-groniad yn lleihau."
    assert notes("191").text_cy.startswith(WELSH_191)


def test_a_welsh_title_too_long_is_refused_with_its_column(imported_example, tmp_path):
    (tmp_path / "indicators.csv").write_text(
        "ref,title,title_cy,unit,polarity,frequency,rating_basis\n"
        f"180,Premises,{'x' * 301},percent,higher,quarterly,targeted\n",
        encoding="utf-8",
    )

    result = run("import", str(tmp_path))

    assert result.returncode == 1
    assert "title_cy" in result.stderr and "300" in result.stderr
    assert Indicator.objects.get(ref="180").title_cy == ""


def test_export_writes_the_welsh_beside_the_english_and_imports_back_the_same(
    imported_example, tmp_path
):
    assert run("export", str(tmp_path / "out")).returncode == 0

    out = tmp_path / "out"
    header = (out / "values.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[header.index("commentary") + 1] == "commentary_cy"
    rows = list(csv.DictReader((out / "values.csv").open(encoding="utf-8")))
    row = next(r for r in rows if (r["ref"], r["period"]) == ("191", "2020-09"))
    assert row["commentary_cy"].startswith(WELSH_191)
    indicators = list(csv.DictReader((out / "indicators.csv").open(encoding="utf-8")))
    assert next(r for r in indicators if r["ref"] == "192")["title_cy"] == (
        "Cysylltiadau y gellid bod wedi'u hosgoi"
    )
    for name in ("indicators", "values", "plan", "actions"):
        assert (out / f"{name}.csv").read_bytes() == (EXAMPLE / f"{name}.csv").read_bytes(), name
    again = run("import", str(out))
    assert again.returncode == 0, again.stderr
    assert notes("191").text_cy.startswith(WELSH_191)


@pytest.fixture
def admin_client(client: Client, settings: Any, tmp_path: Path) -> Client:
    from django.contrib.auth.models import User

    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_user("bi.admin", "bi.admin@example.org", "x")
    grant(user, "admin")
    client.force_login(user)
    return client


def test_the_import_page_stores_the_welsh_columns(admin_client, imported_example):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("commentary.csv", COMMENTARY.encode())
    sent = admin_client.post(
        "/imports/", {"file": ContentFile(buffer.getvalue(), name="welsh.zip")}
    )
    assert sent.status_code == 302
    page = admin_client.get("/imports/preview")
    assert notes("182").text_cy == ""  # nothing written before the confirmation

    done = admin_client.post(
        "/imports/confirm",
        {"version": page.context["version"], "upload": page.context["kept"]["name"]},
    )

    assert done.status_code == 302
    assert notes("182").text_cy == "Mae'r ôl-groniad yn lleihau."
    assert notes("182").actions_cy == "Mwy o staff."


def test_published_welsh_commentary_is_on_the_welsh_public_page_only(client, imported_example):
    welsh = client.get("/cy/public/indicators/191/?period=2020-09").content.decode()
    english = client.get("/public/indicators/191/?period=2020-09").content.decode()

    assert WELSH_191.replace("'", "&#x27;") in welsh
    assert "Galwadau a atebwyd gan y Gwasanaethau Cwsmeriaid" in welsh
    assert WELSH_191.replace("'", "&#x27;") not in english
    assert "This target has been met consistently for the last 4 years" in english
