"""The Excel template of an owner's due figures: downloaded, filled in
offline and uploaded back into their drafts, all or nothing, every refused
row named by row and column; hostile files (not a workbook, formulas, too
big, a zip bomb) refused in words, never a 500."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from round_helpers import entry_of

from perfreport.audit.models import AuditEvent
from perfreport.rounds.services import EntryInput, save_entry

pytestmark = pytest.mark.django_db
DOWNLOAD = "/work/figures.xlsx"
UPLOAD = "/work/figures/upload"
HEADER = [
    "Entry id", "Version", "Reference", "Indicator", "Period", "Period code", "Unit", "Target",
    "Value", "Numerator", "Denominator", "Commentary", "Actions",
]  # fmt: skip


def signed_in(client, personas, who="lead"):
    client.force_login(getattr(personas, who))
    return client


def downloaded(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def rows_by_ref(book):
    sheet = book["Figures"]
    return {sheet.cell(r, 3).value: r for r in range(2, sheet.max_row + 1)}


def fill(book, ref, **cells):
    """Type into the row of indicator ``ref``, by column header."""
    sheet = book["Figures"]
    row = rows_by_ref(book)[ref]
    for header, value in cells.items():
        sheet.cell(row, HEADER.index(header.capitalize()) + 1).value = value
    return row


def upload(client, book_or_bytes, name="my-figures.xlsx"):
    if isinstance(book_or_bytes, bytes):
        data = book_or_bytes
    else:
        output = io.BytesIO()
        book_or_bytes.save(output)
        data = output.getvalue()
    file = io.BytesIO(data)
    file.name = name
    return client.post(UPLOAD, {"workbook": file})


def fresh(entry):
    return type(entry).objects.get(pk=entry.pk)


# -- Downloading -----------------------------------------------------------------


def test_the_template_holds_the_leads_due_figures_and_no_other(client, personas, open_round):
    response = signed_in(client, personas).get(DOWNLOAD)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Figures"]
    assert [c.value for c in sheet[1]] == HEADER
    refs = rows_by_ref(book)
    assert "191" in refs and "194" not in refs
    row = refs["191"]
    assert sheet.cell(row, 1).value == entry_of(open_round, "191").pk
    assert sheet.cell(row, 5).value == "December 2020"
    assert sheet.cell(row, 6).value == "2020-12" and sheet.cell(row, 6).data_type == "s"
    assert sheet.cell(row, 8).value == "85.0%"
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["B"].hidden
    assert sheet.protection.sheet
    assert sheet.cell(row, 3).protection.locked and not sheet.cell(row, 9).protection.locked


def test_text_that_would_be_a_formula_is_written_as_text(client, personas, open_round, actors):
    e191 = entry_of(open_round, "191")
    formula = '=HYPERLINK("http://example.com","x")'
    save_entry(actors["lead"], e191.pk, EntryInput(commentary=formula), version=e191.version)

    sheet = downloaded(signed_in(client, personas))["Figures"]

    row = rows_by_ref(sheet.parent)["191"]
    assert sheet.cell(row, 12).value == formula and sheet.cell(row, 12).data_type == "s"


def test_the_upload_page_links_the_template_and_names_the_limit(client, personas, open_round):
    page = signed_in(client, personas).get(UPLOAD).content.decode()

    assert 'href="/work/figures.xlsx"' in page and "at most 200 MB" in page


# -- Uploading -------------------------------------------------------------------


def test_a_filled_template_saves_its_changed_figures_as_drafts(client, personas, open_round):
    client = signed_in(client, personas)
    e190, e191, e192 = (entry_of(open_round, r) for r in ("190", "191", "192"))
    book = downloaded(client)
    fill(book, "191", value="70", actions="Recruiting four advisers", commentary="Holidays.")
    fill(book, "192", value=12.5, numerator="25", denominator="200")

    response = upload(client, book)

    assert response.status_code == 303 and response["Location"] == "/work/figures/"
    saved = fresh(e191)
    assert (saved.value, saved.state, saved.actions) == (
        Decimal("70"),
        "draft",
        "Recruiting four advisers",
    )
    assert fresh(e192).value == Decimal("12.5") and fresh(e192).denominator == Decimal("200")
    assert fresh(e190).version == e190.version  # left as downloaded: not touched
    assert "Saved 2 figures as drafts" in client.get("/work/figures/").content.decode()


def test_one_refused_row_saves_nothing_and_names_its_row_and_column(client, personas, open_round):
    client = signed_in(client, personas)
    e191, e192 = entry_of(open_round, "191"), entry_of(open_round, "192")
    book = downloaded(client)
    fill(book, "191", value="70")
    row = fill(book, "192", value="lots")
    before = AuditEvent.objects.count()

    response = upload(client, book)

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem: nothing was saved" in text
    assert f"Row {row}, column I (Value)" in text
    assert fresh(e191).value is None and fresh(e192).value is None
    assert AuditEvent.objects.count() == before


def test_a_row_changed_to_someone_elses_entry_is_refused(client, personas, open_round):
    client = signed_in(client, personas)
    e194 = entry_of(open_round, "194")
    book = downloaded(client)
    row = fill(book, "191", value="70")
    book["Figures"].cell(row, 1).value = e194.pk
    book["Figures"].cell(row, 2).value = e194.version

    response = upload(client, book)

    text = response.content.decode()
    assert response.status_code == 200 and f"Row {row}" in text and "may not" in text
    assert fresh(e194).value is None and fresh(entry_of(open_round, "191")).value is None


def test_a_figure_saved_since_the_download_is_refused_with_what_to_do(
    client, personas, open_round, actors
):
    client = signed_in(client, personas)
    e191 = entry_of(open_round, "191")
    book = downloaded(client)
    row = fill(book, "191", value="70")
    save_entry(actors["admin"], e191.pk, EntryInput(value="80"), version=e191.version)

    response = upload(client, book)

    text = response.content.decode()
    assert f"Row {row}" in text and "after you downloaded the template" in text
    assert "download the template again" in text
    assert fresh(e191).value == Decimal("80")


def test_a_row_left_alone_does_not_stop_an_upload_if_it_still_holds_what_is_saved(
    client, personas, open_round, actors
):
    client = signed_in(client, personas)
    e190, e191 = entry_of(open_round, "190"), entry_of(open_round, "191")
    save_entry(actors["lead"], e191.pk, EntryInput(value="90"), version=e191.version)
    book = downloaded(client)
    fill(book, "190", value="81")
    save_entry(
        actors["lead"], e191.pk, EntryInput(value="90"), version=fresh(e191).version, submit=True
    )

    assert upload(client, book).status_code == 303
    assert fresh(e190).value == Decimal("81") and fresh(e191).state == "submitted"


def test_a_row_whose_figure_was_submitted_since_says_what_to_do(
    client, personas, open_round, actors
):
    client = signed_in(client, personas)
    e190, e191 = entry_of(open_round, "190"), entry_of(open_round, "191")
    book = downloaded(client)
    fill(book, "190", value="81")
    row = rows_by_ref(book)["191"]
    save_entry(actors["lead"], e191.pk, EntryInput(value="90"), version=e191.version, submit=True)

    response = upload(client, book)

    text = response.content.decode()
    assert response.status_code == 200 and f"Row {row}" in text
    assert "it was submitted after you downloaded the template" in text
    assert fresh(e190).value is None and fresh(e191).value == Decimal("90")


def test_a_changed_row_of_a_submitted_figure_is_refused(client, personas, open_round, actors):
    client = signed_in(client, personas)
    e191 = entry_of(open_round, "191")
    book = downloaded(client)
    row = fill(book, "191", value="75")
    save_entry(actors["lead"], e191.pk, EntryInput(value="90"), version=e191.version, submit=True)

    response = upload(client, book)

    assert response.status_code == 200 and f"Row {row}" in response.content.decode()
    assert fresh(e191).value == Decimal("90")


def test_an_upload_by_a_person_without_a_role_is_refused(client, personas, open_round):
    book = downloaded(signed_in(client, personas))
    fill(book, "191", value="70")
    client = signed_in(client, personas, "outsider")

    assert upload(client, book).status_code == 403
    assert fresh(entry_of(open_round, "191")).value is None


# -- Hostile files ---------------------------------------------------------------


def test_no_file_chosen_is_an_error_beside_the_field(client, personas, open_round):
    response = signed_in(client, personas).post(UPLOAD, {})

    assert response.status_code == 400
    assert "Choose the filled-in template" in response.content.decode()


def test_a_file_that_is_not_a_zip_is_refused_in_words(client, personas, open_round):
    response = upload(signed_in(client, personas), b"Entry id,Value\n1,70\n", "figures.xlsx")

    assert response.status_code == 200
    assert "is not an Excel workbook perfreport can read" in response.content.decode()


def test_a_zip_that_is_not_a_workbook_is_refused_in_words(client, personas, open_round):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not-xml")
        archive.writestr("xl/workbook.xml", "\x00\x01 broken")

    response = upload(signed_in(client, personas), data.getvalue())

    assert response.status_code == 200
    assert "is not an Excel workbook perfreport can read" in response.content.decode()


def test_a_formula_is_refused_naming_its_cell(client, personas, open_round):
    client = signed_in(client, personas)
    book = downloaded(client)
    row = fill(book, "191", value="=80+5")

    response = upload(client, book)

    text = response.content.decode()
    assert f"Row {row}, column I (Value)" in text and "holds a formula" in text
    assert fresh(entry_of(open_round, "191")).value is None


def test_a_sheet_without_the_templates_columns_is_refused(client, personas, open_round):
    book = Workbook()
    book.active.append(["Reference", "Value"])
    book.active.append(["191", 70])

    response = upload(signed_in(client, personas), book)

    assert "is not the template of your figures" in response.content.decode()


def test_an_entry_id_that_is_not_a_number_is_refused(client, personas, open_round):
    client = signed_in(client, personas)
    book = downloaded(client)
    row = fill(book, "191", value="70")
    book["Figures"].cell(row, 1).value = "DROP TABLE"

    text = upload(client, book).content.decode()

    assert f"Row {row}, column A (Entry id)" in text


def test_a_file_over_the_size_limit_is_refused_unread(client, personas, open_round, settings):
    settings.PERFREPORT_IMPORT_MAX_MB = 1

    response = upload(signed_in(client, personas), b"x" * 1_100_000)

    assert response.status_code == 400
    assert "over the limit of 1.0 MB" in response.content.decode()


def test_a_zip_bomb_is_refused_by_what_it_unpacks_to(client, personas, open_round, settings):
    settings.PERFREPORT_IMPORT_MAX_MB = 1
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 5_000_000)
    assert len(data.getvalue()) < 100_000

    response = upload(signed_in(client, personas), data.getvalue())

    assert response.status_code == 200
    assert "unpacks to 5.0 MB, over the limit of 1.0 MB" in response.content.decode()


def test_a_sheet_of_too_many_rows_is_refused(client, personas, open_round):
    client = signed_in(client, personas)
    book = downloaded(client)
    sheet = book["Figures"]
    for _ in range(5_100):
        sheet.append([1, 1, "x"])

    response = upload(client, book)

    assert response.status_code == 200
    assert "holds more than 5,000 rows" in response.content.decode()


def test_a_figure_given_twice_is_refused_naming_both_rows(client, personas, open_round):
    client = signed_in(client, personas)
    book = downloaded(client)
    first = fill(book, "191", value="70")
    sheet = book["Figures"]
    copy = [c.value for c in sheet[first]]
    copy[HEADER.index("Value")] = "75"
    sheet.append(copy)

    text = upload(client, book).content.decode()

    assert f"Row {sheet.max_row}, column A (Entry id)" in text
    assert f"is the same as row {first}&#x27;s" in text
    assert fresh(entry_of(open_round, "191")).value is None
