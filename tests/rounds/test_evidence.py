"""Evidence attached to an entry: attached and removed on the entry's page
(checked by what the file holds, and by size), kept with Django's storage
API, downloaded only by the entry's owners, its approvers and BI
administrators, as an attachment with a safe name; every change audited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from round_helpers import entry_of

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Evidence
from perfreport.rounds.services import EntryInput, save_entry

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"1 0 obj << >> endobj\n" * 50 + b"%%EOF\n"


def upload_url(entry):
    return f"/work/entries/{entry.pk}/evidence"


def attach(client, entry, name="Calls Q3.pdf", content=PDF, follow=False):
    upload = SimpleUploadedFile(name, content)
    return client.post(upload_url(entry), {"file": upload}, follow=follow)


def workbook() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def events(action):
    return AuditEvent.objects.filter(object_type="evidence", action=action)


def test_the_owner_attaches_a_pdf_and_it_is_listed_kept_and_audited(client, personas, open_round):
    """GIVEN 191 due WHEN its lead attaches "Calls Q3.pdf"
    THEN it is kept in storage under a random name, listed on the page with
    its kind and size, and the trail records it."""
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    response = attach(client, entry, follow=True)

    kept = Evidence.objects.get(entry=entry)
    assert response.redirect_chain[0] == (f"/work/entries/{entry.pk}/#evidence-heading", 303)
    assert (kept.name, kept.kind, kept.size, kept.uploaded_by) == (
        "Calls Q3.pdf",
        "pdf",
        len(PDF),
        personas.lead,
    )
    assert kept.file.name.startswith("evidence/") and "Calls" not in kept.file.name
    assert default_storage.open(kept.file.name).read() == PDF
    page = response.content.decode()
    assert "Attached Calls Q3.pdf (1 KB)." in page
    assert f'href="/work/evidence/{kept.pk}/" download>Calls Q3.pdf</a>' in page
    assert "PDF, 1 KB" in page
    event = events("attach").get()
    assert event.after == {
        "entry": entry.pk,
        "name": "Calls Q3.pdf",
        "kind": "pdf",
        "size": len(PDF),
    }
    assert event.indicator_id == entry.indicator_id


def test_a_real_workbook_is_accepted(client, personas, open_round):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    attach(client, entry, name="figures.xlsx", content=workbook())

    assert Evidence.objects.get(entry=entry).kind == "xlsx"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        pytest.param(
            "report.pdf", b"<html><script>alert(1)</script>", "is named as a PDF", id="html_as_pdf"
        ),
        pytest.param(
            "figures.xlsx", b"PK\x03\x04 not a workbook", "is named as a Excel", id="fake_xlsx"
        ),
        pytest.param("setup.exe", b"MZ\x90\x00", "is not a kind of file", id="a_program"),
        pytest.param("empty.pdf", b"", "is empty", id="empty"),
    ],
)
def test_a_file_that_is_not_allowed_is_refused_and_nothing_kept(
    client, personas, open_round, name, content, says
):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    response = attach(client, entry, name=name, content=content, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert says.replace("a Excel", "an Excel") in page or says in page
    assert "nothing was attached" in page or "File:" in page
    assert not Evidence.objects.filter(entry=entry).exists()
    assert not events("attach").exists()


def test_a_zip_named_as_a_workbook_is_refused(client, personas, open_round):
    entry = entry_of(open_round, "191")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    client.force_login(personas.lead)

    page = attach(client, entry, name="figures.xlsx", content=out.getvalue(), follow=True)

    assert "is named as a Excel workbook, but what it holds is not one" in page.content.decode()
    assert not Evidence.objects.exists()


@override_settings(PERFREPORT_EVIDENCE_MAX_MB=1)
def test_a_file_over_the_size_limit_is_refused(client, personas, open_round):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)

    response = attach(client, entry, content=PDF + b"0" * 1_200_000, follow=True)

    page = response.content.decode()
    assert "over the limit of 1 MB for a file (the setting PERFREPORT_EVIDENCE_MAX_MB)" in page
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("lead", 200, id="the_owner"),
        pytest.param("approver", 200, id="its_approver"),
        pytest.param("admin", 200, id="an_administrator"),
        pytest.param("viewer", 403, id="a_viewer"),
        pytest.param("it_lead", 403, id="another_indicators_owner"),
        pytest.param("outsider", 403, id="someone_with_no_role"),
    ],
)
def test_a_file_is_downloaded_only_by_those_who_may(client, personas, open_round, who, status):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)
    attach(client, entry, name='../Calls "Q3".pdf')
    kept = Evidence.objects.get()
    client.force_login(getattr(personas, who))

    response = client.get(f"/work/evidence/{kept.pk}/")

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="Calls _Q3.pdf"'
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert events("download").get().user == getattr(personas, who)
    else:
        assert not events("download").exists()


def test_the_public_never_gets_a_file(client, personas, open_round):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)
    attach(client, entry)
    kept = Evidence.objects.get()
    client.logout()

    response = client.get(f"/work/evidence/{kept.pk}/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_owner_removes_a_file_from_the_entry_and_storage(
    client, personas, open_round, django_capture_on_commit_callbacks
):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)
    attach(client, entry)
    kept = Evidence.objects.get()
    stored = kept.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/work/evidence/{kept.pk}/remove", follow=True)

    assert "Removed Calls Q3.pdf." in response.content.decode()
    assert not Evidence.objects.exists()
    assert not default_storage.exists(stored)
    assert events("remove").get().before["name"] == "Calls Q3.pdf"


def test_evidence_cannot_be_changed_once_submitted_and_others_may_not_attach(
    client, personas, actors, open_round
):
    """GIVEN 191 submitted
    THEN its lead's attachment is refused, saying why; its approver, who may
    read it but not edit it, is refused (403); nothing is kept."""
    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="90"), version=entry.version, submit=True)
    client.force_login(personas.lead)

    refused = attach(client, entry, follow=True)
    client.force_login(personas.approver)
    forbidden = attach(client, entry)

    assert (
        "Nothing was attached: indicator 191&#x27;s entry is submitted" in refused.content.decode()
    )
    assert forbidden.status_code == 403
    assert not Evidence.objects.exists()


def test_the_approver_sees_the_files_but_no_upload_form(client, personas, actors, open_round):
    entry = entry_of(open_round, "191")
    client.force_login(personas.lead)
    attach(client, entry)
    save_entry(actors["lead"], entry.pk, EntryInput(value="90"), version=entry.version, submit=True)
    client.force_login(personas.approver)

    page = client.get(f"/work/entries/{entry.pk}/").content.decode()

    assert "Calls Q3.pdf" in page and "Attach a file" not in page and ">Remove<" not in page
    client.force_login(personas.viewer)
    assert "Calls Q3.pdf" not in client.get(f"/work/entries/{entry.pk}/").content.decode()
