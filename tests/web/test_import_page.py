"""The Import page: a BI administrator uploads a zip of a CSV folder or a
workbook, checks the preview (what would change, or every error by file,
row and column as the command line gives them) and confirms. The same
service as ``perfreport import``; nothing is written before the confirmation."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from browser import PASSWORD
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from perfreport.accounts.permissions import Actor, grant
from perfreport.audit.models import AuditEvent
from perfreport.data.models import Entry, Observation
from perfreport.data.versions import bump_data_version
from perfreport.imports import uploads
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path
from perfreport.registry.models import Indicator

pytestmark = pytest.mark.django_db

UPLOAD = "/imports/"
PREVIEW = "/imports/preview"
CONFIRM = "/imports/confirm"
CANCEL = "/imports/cancel"


def zipped(folder: Path, *, inside: str | None = None) -> bytes:
    """The CSV files of ``folder`` in a zip, in a folder named ``inside`` if given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"{inside}/{path.name}" if inside else path.name)
    return buffer.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client: Client, data: bytes, name: str, **fields: str) -> Any:
    file = ContentFile(data, name=name)
    return client.post(UPLOAD, {"file": file, **fields})


@pytest.fixture(autouse=True)
def _own_media_folder(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin(db: None) -> Any:
    from django.contrib.auth.models import User

    user = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD)
    grant(user, "admin")
    return user


@pytest.fixture
def admin_client(client: Client, admin: Any) -> Client:
    client.force_login(admin)
    return client


def confirmation(page: Any) -> dict[str, str]:
    """The Confirm form's fields, as the preview page gives them."""
    return {"version": page.context["version"], "upload": page.context["kept"]["name"]}


def kept_uploads() -> list[str]:
    try:
        return default_storage.listdir(uploads.UPLOADS)[1]
    except FileNotFoundError:
        return []


# -- who may ------------------------------------------------------------------------------


def test_a_member_of_staff_who_is_not_an_administrator_is_refused_every_step(staff_client):
    answers = [
        staff_client.get(UPLOAD).status_code,
        upload(staff_client, b"PK\x03\x04", "x.zip").status_code,
        staff_client.get(PREVIEW).status_code,
        staff_client.post(CONFIRM, {"version": "1"}).status_code,
        staff_client.post(CANCEL).status_code,
    ]
    assert answers == [403, 403, 403, 403, 403]
    assert kept_uploads() == []


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, db):
    answer = client.get(UPLOAD)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("web:login"))


def test_administrators_see_the_import_link_and_others_do_not(admin_client, staff_user):
    assert reverse("web:imports") == UPLOAD
    assert f'href="{UPLOAD}"' in admin_client.get(reverse("web:rounds")).content.decode()
    other = Client()
    other.force_login(staff_user)
    assert f'href="{UPLOAD}"' not in other.get(reverse("web:rounds")).content.decode()


# -- preview and confirm ------------------------------------------------------------------


def test_uploading_the_example_folder_zipped_previews_the_changes_and_writes_nothing(
    admin_client, example_dir
):
    events = AuditEvent.objects.count()
    answer = upload(admin_client, zipped(example_dir, inside=example_dir.name), "example.zip")
    assert answer.status_code == 302
    assert answer["Location"] == PREVIEW

    page = admin_client.get(PREVIEW)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Confirm and import" in text
    previewed = page.context["preview"].summary
    assert Observation.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert len(kept_uploads()) == 1
    assert previewed.counts["values"]["created"] == 36
    # What the command line then does, it said.
    done, _ = import_path(example_dir)
    assert previewed.lines() == done.lines()


def test_the_preview_counts_the_plan_the_files_hold(admin_client, example_dir, tmp_path):
    """GIVEN the example, its plan included, zipped; WHEN it is previewed, THEN
    the counts name the plan's items, actions, milestones and updates; and a
    milestone the files leave out is counted as removed."""
    upload(admin_client, zipped(example_dir), "plan.zip")

    text = admin_client.get(PREVIEW).content.decode()

    for kind, new in (("Plan items", 6), ("Actions", 5), ("Milestones", 8), ("Action updates", 4)):
        assert f'<th scope="row">{kind}</th><td class="num">{new}</td>' in text
    import_path(example_dir)
    folder = tmp_path / "fewer"
    shutil.copytree(example_dir, folder)
    milestones = (folder / "milestones.csv").read_text().splitlines(keepends=True)
    (folder / "milestones.csv").write_text("".join(milestones[:-1]))
    upload(admin_client, zipped(folder), "fewer.zip")

    text = admin_client.get(PREVIEW).content.decode()

    assert (
        '<th scope="row">Milestones</th><td class="num">0</td><td class="num">0 (1 removed)</td>'
        in text
    )


def test_confirming_imports_as_the_command_line_does_and_audits_it(admin_client, example_dir):
    upload(admin_client, zipped(example_dir), "cambridgeshire-2020-21-q2.zip")
    page = admin_client.get(PREVIEW)

    answer = admin_client.post(CONFIRM, confirmation(page))

    assert answer.status_code == 302
    assert answer["Location"] == UPLOAD
    assert Observation.objects.count() == 36
    assert Indicator.objects.count() == 17
    event = AuditEvent.objects.filter(action="import").latest("pk")
    assert event.actor == "bi.admin"
    assert event.reason == "cambridgeshire-2020-21-q2"
    assert event.after["values"] == {"created": 36, "updated": 0, "unchanged": 0}
    assert kept_uploads() == []
    followed = admin_client.get(UPLOAD).content.decode()
    assert "Imported cambridgeshire-2020-21-q2.zip. organisations: 1 new" in followed


def test_a_second_upload_of_the_same_files_previews_nothing_to_change(
    admin_client, imported_example, example_dir
):
    upload(admin_client, zipped(example_dir), "again.zip")
    page = admin_client.get(PREVIEW)
    assert page.status_code == 200
    assert page.context["preview"].summary.changed == 0
    assert "Nothing would change" in page.content.decode()
    assert "Confirm and import" not in page.content.decode()


def test_a_workbook_is_previewed_and_imported_as_the_folder_is(
    admin_client, imported_example, tmp_path
):
    from perfreport.imports.export import export_path

    workbook = tmp_path / "export.xlsx"
    export_path(workbook)
    removed, _ = Observation.objects.filter(indicator__ref="180").delete()

    upload(admin_client, workbook.read_bytes(), "Figures 2020.xlsx")
    page = admin_client.get(PREVIEW)
    assert page.context["preview"].summary.counts["values"]["created"] == removed
    admin_client.post(CONFIRM, confirmation(page))

    assert Observation.objects.filter(indicator__ref="180").count() == removed > 0
    assert AuditEvent.objects.filter(action="import").latest("pk").reason == "Figures_2020.xlsx"


def test_the_preview_lists_every_error_with_the_command_lines_message(
    admin_client, example_dir, tmp_path
):
    bad = (example_dir / "values.csv").read_text().replace("97.66", "ninety", 1)
    folder = tmp_path / "bad"
    folder.mkdir()
    for path in example_dir.glob("*.csv"):
        (folder / path.name).write_text(path.read_text())
    (folder / "values.csv").write_text(bad)
    with pytest.raises(ImportFailed) as cli:
        import_path(folder)

    upload(admin_client, zipped(folder), "bad.zip")
    page = admin_client.get(PREVIEW)

    shown = page.context["preview"].problems
    assert [str(p) for p in shown] == [str(p) for p in cli.value.problems]
    assert page.context["preview"].verdict == str(cli.value)
    text = page.content.decode()
    assert "Confirm and import" not in text
    assert cli.value.problems[0].message in text
    assert Observation.objects.count() == 0


def test_confirming_after_the_data_changed_gives_a_fresh_preview_and_imports_nothing(
    admin_client, example_dir
):
    upload(admin_client, zipped(example_dir), "example.zip")
    page = admin_client.get(PREVIEW)
    version = page.context["version"]
    bump_data_version()  # someone else saved something

    answer = admin_client.post(CONFIRM, confirmation(page), follow=True)

    assert answer.redirect_chain == [(PREVIEW, 302)]
    assert "The data changed since your preview" in answer.content.decode()
    assert answer.context["version"] != version
    assert Observation.objects.count() == 0
    assert len(kept_uploads()) == 1


def test_confirming_a_preview_of_a_file_since_replaced_imports_nothing(admin_client, example_dir):
    """GIVEN a preview open in one tab WHEN another file is uploaded in a
    second tab and the first tab's Confirm is pressed THEN nothing is imported
    and the preview of the latest upload is shown."""
    upload(admin_client, zipped(example_dir), "first.zip")
    first = admin_client.get(PREVIEW)
    upload(admin_client, zip_of({"values.csv": b"ref,period,value\n"}), "second.zip")

    answer = admin_client.post(CONFIRM, confirmation(first), follow=True)

    assert answer.redirect_chain == [(PREVIEW, 302)]
    assert "a file you have since replaced" in answer.content.decode()
    assert answer.context["kept"]["label"] == "second.zip"
    assert Observation.objects.count() == 0
    assert len(kept_uploads()) == 1


def test_cancelling_discards_the_kept_file(admin_client, example_dir):
    upload(admin_client, zipped(example_dir), "example.zip")
    answer = admin_client.post(CANCEL)
    assert answer.status_code == 302
    assert kept_uploads() == []
    assert admin_client.post(CONFIRM, {"version": "x"}).status_code == 302
    assert Observation.objects.count() == 0


def test_an_upload_kept_for_more_than_a_day_is_removed(admin_client):
    name = default_storage.save(f"{uploads.UPLOADS}/old.zip", ContentFile(b"PK\x03\x04"))
    later = timezone.now() + timedelta(days=1, minutes=1)
    assert uploads.discard_old_uploads(later) == 1
    assert not default_storage.exists(name)


# -- the round rule -----------------------------------------------------------------------


def _round_values(tmp_path: Path) -> bytes:
    return zip_of({"values.csv": b"ref,period,value\n180,2020/21 Q3,81\n"})


def _open_round(admin: Any) -> None:
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import open_round

    open_round(
        Actor.of(admin), read_period("2020/21 Q3"), date(2021, 1, 15), today=date(2021, 1, 4)
    )


def test_values_for_an_open_rounds_period_go_into_its_entries_as_drafts(
    admin_client, admin, imported_example, tmp_path
):
    _open_round(admin)
    assert 'name="force"' in admin_client.get(UPLOAD).content.decode()
    upload(admin_client, _round_values(tmp_path), "q3.zip")
    page = admin_client.get(PREVIEW)
    assert "saved as drafts" in page.content.decode()
    admin_client.post(CONFIRM, confirmation(page))

    entry = Entry.objects.get(indicator__ref="180", round__period="2020/21 Q3")
    assert entry.value == 81
    assert entry.state == "draft"
    published = Observation.objects.home().published()
    assert not published.filter(indicator__ref="180", first_month=entry.first_month)


def test_forced_values_go_straight_to_the_published_values_and_the_trail_says_so(
    admin_client, admin, imported_example, tmp_path
):
    _open_round(admin)
    upload(admin_client, _round_values(tmp_path), "q3.zip", force="yes")
    page = admin_client.get(PREVIEW)
    assert "past any open round" in page.content.decode()
    admin_client.post(CONFIRM, confirmation(page))

    entry = Entry.objects.get(indicator__ref="180", round__period="2020/21 Q3")
    assert Observation.objects.get(indicator__ref="180", first_month=entry.first_month).value == 81
    assert (
        AuditEvent.objects.filter(action="import").latest("pk").reason
        == "q3 (forced past open rounds)"
    )


# -- refused uploads ----------------------------------------------------------------------


def test_no_file_chosen_is_named_on_the_form(admin_client):
    answer = admin_client.post(UPLOAD, {})
    assert answer.status_code == 400
    assert "Choose a zip of a folder of CSV files" in answer.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        pytest.param("values.csv", b"ref,period\n", "is not a .zip or an .xlsx file", id="a_csv"),
        pytest.param("fake.zip", b"not a zip at all", "is not a zip file inside", id="not_a_zip"),
    ],
)
def test_a_file_that_is_not_a_zip_or_workbook_is_refused(admin_client, name, data, said):
    answer = upload(admin_client, data, name)
    assert answer.status_code == 400
    assert said in answer.content.decode()
    assert kept_uploads() == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_kept(admin_client, settings):
    settings.PERFREPORT_IMPORT_MAX_MB = 1
    answer = upload(admin_client, b"PK\x03\x04" + b"x" * 1_200_000, "big.zip")
    assert answer.status_code == 413
    assert "more than the limit of 1.0 MB" in answer.content.decode()
    assert kept_uploads() == []


@pytest.mark.parametrize(
    ("files", "said"),
    [
        pytest.param({"../values.csv": b"x"}, "a name outside the zip", id="climbs_out"),
        pytest.param({"/etc/values.csv": b"x"}, "a name outside the zip", id="absolute"),
        pytest.param(
            {f"f{i}.csv": b"x" for i in range(uploads.MAX_ZIP_FILES + 1)},
            "more than the 100",
            id="too_many_files",
        ),
        pytest.param(
            {"a/values.csv": b"x", "b/targets.csv": b"x"}, "more than one folder", id="two_folders"
        ),
        pytest.param({"values.csv": b"0" * 1_100_000}, "unpacks to", id="unpacks_too_big"),
    ],
)
def test_an_unsafe_zip_is_refused_in_the_preview(admin_client, settings, files, said):
    settings.PERFREPORT_IMPORT_MAX_MB = 1
    upload(admin_client, zip_of(files), "unsafe.zip")
    page = admin_client.get(PREVIEW)
    assert page.status_code == 200
    assert page.context["preview"].refused
    assert said in page.content.decode()
    assert Observation.objects.count() == 0
