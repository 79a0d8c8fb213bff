"""Entering Welsh beside the English (issue 17): in bilingual mode the entry
form, the grid and the Excel template take the Welsh commentary and actions
side by side with the English, saved and audited with them; with bilingual
mode off nothing changes. The entry pages under /cy/ speak Welsh."""

from __future__ import annotations

import io

import pytest
from round_helpers import entry_of

from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Organisation

pytestmark = pytest.mark.django_db

ENGLISH = "Calls rose after the new phone line opened."
WELSH = "Cododd y galwadau ar ôl i'r llinell ffôn newydd agor."
WELSH_ACTIONS = "Recriwtio pedwar cynghorydd."


@pytest.fixture
def bilingual(imported_example: None) -> None:
    """GIVEN the home organisation publishes in Welsh and English."""
    Organisation.objects.filter(is_home=True).update(bilingual=True)


def signed_in(client, personas, who="lead"):
    client.force_login(getattr(personas, who))
    return client


def entry_url(entry, prefix=""):
    return f"{prefix}/work/entries/{entry.pk}/"


def fresh(entry):
    return type(entry).objects.get(pk=entry.pk)


def post_entry(client, entry, action="save", prefix="", **fields):
    data = {"action": action, "version": entry.version, **fields}
    return client.post(entry_url(entry, prefix), data)


def test_without_bilingual_mode_the_form_has_no_welsh_fields(client, personas, open_round):
    page = signed_in(client, personas).get(entry_url(entry_of(open_round, "191"))).content.decode()

    assert 'name="commentary"' in page
    assert "commentary_cy" not in page and "Sylwebaeth (Cymraeg)" not in page
    assert ">Commentary</label>" in page  # the English label as it always was


def test_in_bilingual_mode_the_form_pairs_each_text_with_its_welsh(
    client, personas, open_round, bilingual
):
    page = signed_in(client, personas).get(entry_url(entry_of(open_round, "191"))).content.decode()

    assert page.count('class="bilingual-pair"') == 2
    assert ">Commentary (English)</label>" in page
    assert 'lang="cy">Sylwebaeth (Cymraeg)</label>' in page
    assert 'lang="cy">Camau gweithredu (Cymraeg)</label>' in page
    assert 'name="commentary" rows="6" lang="en-GB"' in page
    assert 'name="commentary_cy" rows="6" lang="cy"' in page
    assert 'name="actions" rows="5" lang="en-GB"' in page
    assert 'name="actions_cy" rows="5" lang="cy"' in page


def test_both_languages_are_saved_and_audited_together(client, personas, open_round, bilingual):
    entry = entry_of(open_round, "191")

    response = post_entry(
        signed_in(client, personas),
        entry,
        value="88",
        commentary=ENGLISH,
        commentary_cy=WELSH,
        actions="",
        actions_cy=WELSH_ACTIONS,
    )

    assert response.status_code == 303
    saved = fresh(entry)
    assert (saved.commentary, saved.commentary_cy, saved.actions_cy) == (
        ENGLISH,
        WELSH,
        WELSH_ACTIONS,
    )
    event = AuditEvent.objects.filter(object_id=str(entry.pk), action="save").latest("pk")
    assert event.after["commentary_cy"] == WELSH
    assert event.after["actions_cy"] == WELSH_ACTIONS
    assert event.after["commentary"] == ENGLISH


def test_the_saved_entry_shows_both_languages_to_its_approver(
    client, personas, open_round, bilingual
):
    entry = entry_of(open_round, "191")
    post_entry(
        signed_in(client, personas),
        entry,
        action="submit",
        value="88",
        commentary=ENGLISH,
        commentary_cy=WELSH,
    )

    page = signed_in(client, personas, "approver").get(entry_url(entry)).content.decode()

    assert f'<dd lang="en-GB">{ENGLISH}</dd>' in page
    assert '<dd lang="cy">Cododd y galwadau ar ôl i&#x27;r llinell ffôn newydd agor.</dd>' in page
    assert '<dt lang="cy">Sylwebaeth (Cymraeg)</dt>' in page


def test_a_refused_save_keeps_both_languages_as_typed(client, personas, open_round, bilingual):
    entry = entry_of(open_round, "191")

    response = post_entry(
        signed_in(client, personas),
        entry,
        value="not a number",
        commentary=ENGLISH,
        commentary_cy=WELSH,
        actions_cy=WELSH_ACTIONS,
    )

    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert f">{ENGLISH}</textarea>" in page
    assert "ffôn newydd agor.</textarea>" in page
    assert f">{WELSH_ACTIONS}</textarea>" in page
    assert fresh(entry).commentary_cy == ""  # nothing saved


def test_without_bilingual_mode_a_save_keeps_the_welsh_already_written(
    client, personas, open_round
):
    entry = entry_of(open_round, "191")
    type(entry).objects.filter(pk=entry.pk).update(commentary_cy=WELSH)

    response = post_entry(signed_in(client, personas), entry, value="88", commentary=ENGLISH)

    assert response.status_code == 303
    assert fresh(entry).commentary_cy == WELSH


def test_the_grid_has_a_welsh_column_only_in_bilingual_mode(client, personas, open_round):
    entry = entry_of(open_round, "191")
    client = signed_in(client, personas)

    assert f"e{entry.pk}-commentary_cy" not in client.get("/work/figures/").content.decode()
    Organisation.objects.filter(is_home=True).update(bilingual=True)
    page = client.get("/work/figures/").content.decode()
    assert f'name="e{entry.pk}-commentary_cy" rows="3" lang="cy"' in page
    assert '<th scope="col" lang="cy">Sylwebaeth a chamau gweithredu (Cymraeg)</th>' in page


def test_the_grid_saves_the_welsh(client, personas, open_round, bilingual):
    entry = entry_of(open_round, "191")

    response = signed_in(client, personas).post(
        "/work/figures/",
        {
            "entry": [str(entry.pk)],
            f"e{entry.pk}-version": str(entry.version),
            f"e{entry.pk}-value": "88",
            f"e{entry.pk}-commentary": ENGLISH,
            f"e{entry.pk}-commentary_cy": WELSH,
            f"e{entry.pk}-actions_cy": WELSH_ACTIONS,
        },
    )

    assert response.status_code == 303
    saved = fresh(entry)
    assert (saved.commentary, saved.commentary_cy, saved.actions_cy) == (
        ENGLISH,
        WELSH,
        WELSH_ACTIONS,
    )


def test_a_welsh_text_alone_is_a_change_the_grid_saves(client, personas, open_round, bilingual):
    entry = entry_of(open_round, "191")
    held = fresh(entry)

    signed_in(client, personas).post(
        "/work/figures/",
        {
            "entry": [str(entry.pk)],
            f"e{entry.pk}-version": str(held.version),
            f"e{entry.pk}-value": held.withheld_as
            or ("" if held.value is None else str(held.value)),
            f"e{entry.pk}-numerator": "" if held.numerator is None else str(held.numerator),
            f"e{entry.pk}-denominator": "" if held.denominator is None else str(held.denominator),
            f"e{entry.pk}-commentary": held.commentary,
            f"e{entry.pk}-actions": held.actions,
            f"e{entry.pk}-commentary_cy": WELSH,
        },
    )

    assert fresh(entry).commentary_cy == WELSH


def test_the_excel_template_pairs_the_welsh_columns_and_reads_them_back(
    client, personas, open_round, bilingual
):
    from openpyxl import load_workbook

    entry = entry_of(open_round, "191")
    client = signed_in(client, personas)
    book = load_workbook(io.BytesIO(client.get("/work/figures.xlsx").content))
    sheet = book["Figures"]
    header = [c.value for c in sheet[1]]
    assert header[-4:] == ["Commentary", "Actions", "commentary_cy", "actions_cy"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == entry.pk:
            row[header.index("commentary_cy")].value = WELSH
    output = io.BytesIO()
    book.save(output)
    data = io.BytesIO(output.getvalue())
    data.name = "figures.xlsx"

    response = client.post("/work/figures/upload", {"workbook": data})

    assert response.status_code == 303
    assert fresh(entry).commentary_cy == WELSH


def test_without_bilingual_mode_the_template_has_no_welsh_columns(client, personas, open_round):
    from openpyxl import load_workbook

    content = signed_in(client, personas).get("/work/figures.xlsx").content
    header = [c.value for c in load_workbook(io.BytesIO(content))["Figures"][1]]
    assert "commentary_cy" not in header and header[-1] == "Actions"


def test_the_welsh_entry_page_speaks_welsh(client, personas, open_round, bilingual):
    entry = entry_of(open_round, "191")

    page = signed_in(client, personas).get(entry_url(entry, "/cy")).content.decode()

    assert '<html lang="cy">' in page
    assert "Sylwebaeth (Saesneg)" in page  # Commentary (English)
    assert "Cadw drafft" in page  # Save draft
    assert "Cyflwyno i" in page  # Submit for approval
    assert "Save draft" not in page


def test_the_welsh_grid_and_my_work_speak_welsh(client, personas, open_round):
    client = signed_in(client, personas)

    grid = client.get("/cy/work/figures/").content.decode()
    work = client.get("/cy/work/").content.decode()

    assert "Cofnodi fy ffigurau" in grid  # Enter my figures
    assert "fel drafftiau" in grid  # Save all as drafts
    assert "Fy ngwaith" in work and "Yn ddyledus" in work  # My work, Due


def english_left(html: str) -> list[str]:
    """The interface's English still on a Welsh page (tests/web/welsh_pages.py)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent.parent / "web"))
    from welsh_pages import data_strings, english_in, forget_data, visible_text

    forget_data()
    return english_in(visible_text(html), data=data_strings())


def test_the_staff_pages_of_the_round_hold_no_english_in_welsh(
    client, personas, open_round, bilingual
):
    entry = entry_of(open_round, "191")
    lead = signed_in(client, personas)
    post_entry(
        lead,
        entry,
        action="submit",
        prefix="/cy",
        value="70",
        actions="Recruiting",
        actions_cy="Recriwtio",
    )
    pages = {
        url: lead.get(url).content.decode()
        for url in (
            "/cy/work/",
            "/cy/work/figures/",
            "/cy/work/figures/upload",
            entry_url(entry, "/cy"),
        )
    }
    approver = signed_in(client, personas, "approver")
    pages["approver: entry"] = approver.get(entry_url(entry, "/cy")).content.decode()
    pages["approver: my work"] = approver.get("/cy/work/").content.decode()
    admin = signed_in(client, personas, "admin")
    for url in ("/cy/rounds/", f"/cy/rounds/{open_round.pk}/", "/cy/indicators/191/history/"):
        pages[url] = admin.get(url).content.decode()

    found = {url: english_left(html) for url, html in pages.items()}

    assert not {url: words for url, words in found.items() if words}
