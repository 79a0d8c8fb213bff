"""The grid of an owner's due figures (/work/figures/): one row a figure,
one button to save every changed row as a draft, all or nothing, every
refused row named in the error summary and beside its field, what was typed
kept."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from round_helpers import entry_of

from perfreport.audit.models import AuditEvent
from perfreport.rounds.services import EntryInput, save_entry

pytestmark = pytest.mark.django_db
URL = "/work/figures/"


def signed_in(client, personas, who="lead"):
    client.force_login(getattr(personas, who))
    return client


def row(entry, version=None, **fields):
    """A grid row's fields as the page posts them."""
    data = {f"e{entry.pk}-{name}": text for name, text in fields.items()}
    data[f"e{entry.pk}-version"] = str(entry.version if version is None else version)
    return data


def post(client, *rows_of):
    """Post the grid: ``rows_of`` are (entry, fields) pairs."""
    data: dict = {"entry": [str(entry.pk) for entry, _ in rows_of]}
    for entry, fields in rows_of:
        data.update(row(entry, **fields))
    return client.post(URL, data)


def fresh(entry):
    return type(entry).objects.get(pk=entry.pk)


def test_the_grid_lists_every_figure_due_from_the_lead_and_no_other(client, personas, open_round):
    page = signed_in(client, personas).get(URL)

    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="e{}-value"'.format(entry_of(open_round, "191").pk) in text
    assert "Calls answered by Customer Services" in text
    assert "December 2020" in text  # the period in words
    assert "Percentage, 0 to 100" in text and "85.0%" in text  # unit and target
    assert 'name="e{}-value"'.format(entry_of(open_round, "194").pk) not in text  # it.owner's
    assert 'src="/static/web/grid.js"' in text and "<script>" not in text


def test_my_work_links_to_the_grid_and_the_template(client, personas, open_round):
    page = signed_in(client, personas).get("/work/").content.decode()

    assert 'href="/work/figures/"' in page
    assert 'href="/work/figures.xlsx"' in page and 'href="/work/figures/upload"' in page


def test_one_save_keeps_two_figures_as_drafts_and_leaves_the_rest(client, personas, open_round):
    e191, e192 = entry_of(open_round, "191"), entry_of(open_round, "192")
    e190 = entry_of(open_round, "190")
    untouched = fresh(e190).version

    response = post(
        signed_in(client, personas),
        (e191, {"value": "70", "actions": "Recruiting four advisers"}),
        (e192, {"value": "1", "commentary": "Steady."}),
        (e190, {"value": "" if fresh(e190).value is None else str(fresh(e190).value)}),
    )

    assert response.status_code == 303 and response["Location"] == URL
    saved = fresh(e191)
    assert saved.value == Decimal("70") and saved.state == "draft"
    assert saved.actions == "Recruiting four advisers"
    assert fresh(e192).commentary == "Steady." and fresh(e192).state == "draft"
    assert fresh(e190).version == untouched  # nothing changed in it: not saved
    followed = client.get(URL).content.decode()
    assert "Saved 2 figures as drafts" in followed


def test_one_bad_row_saves_nothing_and_keeps_what_was_typed(client, personas, open_round):
    e191, e192 = entry_of(open_round, "191"), entry_of(open_round, "192")
    before = AuditEvent.objects.count()

    response = post(
        signed_in(client, personas),
        (e191, {"value": "140", "commentary": "Typed, not lost"}),
        (e192, {"value": "1", "commentary": "Good row"}),
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem: nothing was saved" in text
    assert re.search(rf'href="#id_e{e191.pk}-value">191, December 2020: Value', text)
    assert 'value="140"' in text and "Typed, not lost" in text and "Good row" in text
    assert 'aria-invalid="true"' in text
    assert fresh(e191).value is None and fresh(e192).commentary != "Good row"
    assert AuditEvent.objects.count() == before


def test_a_row_of_someone_elses_indicator_is_refused_and_nothing_saved(
    client, personas, open_round
):
    e191, e194 = entry_of(open_round, "191"), entry_of(open_round, "194")

    response = post(signed_in(client, personas), (e191, {"value": "90"}), (e194, {"value": "5"}))

    text = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_e{e194.pk}-value">194, ' in text and "may not" in text
    assert fresh(e191).value is None and fresh(e194).value is None


def test_a_figure_saved_by_someone_else_since_is_refused_and_can_then_be_replaced(
    client, personas, open_round, actors
):
    e191 = entry_of(open_round, "191")
    shown = e191.version
    save_entry(actors["admin"], e191.pk, EntryInput(value="80"), version=shown)

    response = post(signed_in(client, personas), (e191, {"value": "75"}))

    text = response.content.decode()
    assert response.status_code == 409
    assert "bi.admin saved this figure" in text and 'value="75"' in text
    assert fresh(e191).value == Decimal("80")
    assert f'name="e{e191.pk}-version" value="{fresh(e191).version}"' in text

    again = post(client, (fresh(e191), {"value": "75"}))
    assert again.status_code == 303 and fresh(e191).value == Decimal("75")


def test_a_submitted_figure_is_not_in_the_grid_and_cannot_be_saved_through_it(
    client, personas, open_round, actors
):
    e191 = entry_of(open_round, "191")
    save_entry(actors["lead"], e191.pk, EntryInput(value="90"), version=e191.version, submit=True)
    client = signed_in(client, personas)

    assert f'name="e{e191.pk}-value"' not in client.get(URL).content.decode()
    response = post(client, (fresh(e191), {"value": "91"}))
    assert response.status_code == 200 and "submitted" in response.content.decode().lower()
    assert fresh(e191).value == Decimal("90") and fresh(e191).state == "submitted"


def test_a_control_character_is_refused_beside_its_field_never_a_500(client, personas, open_round):
    e191 = entry_of(open_round, "191")

    response = post(signed_in(client, personas), (e191, {"value": "70", "commentary": "a\x00b"}))

    assert response.status_code == 200
    assert f'href="#id_e{e191.pk}-commentary"' in response.content.decode()
    assert fresh(e191).value is None


def test_nothing_changed_saves_nothing(client, personas, open_round):
    e191 = entry_of(open_round, "191")

    response = post(signed_in(client, personas), (e191, {"value": ""}))

    assert response.status_code == 303 and fresh(e191).version == e191.version
    assert "Nothing had changed" in client.get(URL).content.decode()


@pytest.mark.parametrize("who", ["outsider"])
def test_the_grid_refuses_a_person_without_a_role(client, personas, open_round, who):
    e191 = entry_of(open_round, "191")
    client = signed_in(client, personas, who)

    assert client.get(URL).status_code == 403
    assert post(client, (e191, {"value": "70"})).status_code == 403
    assert fresh(e191).value is None


def test_a_viewer_has_no_figures_and_cannot_save_any(client, personas, open_round):
    e191 = entry_of(open_round, "191")
    client = signed_in(client, personas, "viewer")

    assert "Nothing is due from you" in client.get(URL).content.decode()
    response = post(client, (e191, {"value": "70"}))
    assert response.status_code == 200 and fresh(e191).value is None


# -- "Save and go to next" on an entry's page --------------------------------------


def save_next(client, entry, **fields):
    data = {"action": "save_next", "version": fresh(entry).version, **fields}
    return client.post(f"/work/entries/{entry.pk}/", data)


def test_the_entry_page_offers_save_and_go_to_next(client, personas, open_round):
    e191 = entry_of(open_round, "191")

    page = signed_in(client, personas).get(f"/work/entries/{e191.pk}/").content.decode()

    assert 'name="action" value="save_next"' in page and "Save and go to next" in page


def test_save_and_go_to_next_saves_a_draft_and_opens_the_next_figure_due(
    client, personas, open_round
):
    # The lead's nine: October, November and December of 190, 191 and 192.
    due = list(
        open_round.entries.filter(indicator__ref__in=("190", "191", "192")).order_by(
            "indicator__ref", "first_month"
        )
    )
    first, e190, e191_october, last = due[0], due[2], due[3], due[-1]
    assert (e190.period, e191_october.period) == ("2020-12", "2020-10")
    client = signed_in(client, personas)

    response = save_next(client, e190, value="81")

    assert response.status_code == 303
    assert response["Location"] == f"/work/entries/{e191_october.pk}/"
    assert fresh(e190).value == Decimal("81") and fresh(e190).state == "draft"
    assert save_next(client, e191_october, value="90")["Location"] == f"/work/entries/{due[4].pk}/"
    # from the last, round to the first still due
    assert save_next(client, last, value="1")["Location"] == f"/work/entries/{first.pk}/"


def test_save_and_go_to_next_from_the_only_figure_due_goes_to_my_work(
    client, personas, open_round, actors
):
    e194 = entry_of(open_round, "194")
    # Its October and November are due too: with them saved, December is the only one.
    for entry in open_round.entries.filter(indicator__ref="194").exclude(pk=e194.pk):
        typed = EntryInput(value="5", actions="Checking the figure")
        save_entry(actors["it_lead"], entry.pk, typed, version=1, submit=True)

    response = save_next(signed_in(client, personas, "it_lead"), e194, value="5")

    assert response.status_code == 303 and response["Location"] == "/work/"
    assert fresh(e194).state == "draft"


def test_save_and_go_to_next_refused_keeps_what_was_typed_on_the_same_page(
    client, personas, open_round
):
    e191 = entry_of(open_round, "191")

    response = save_next(signed_in(client, personas), e191, value="lots", commentary="Kept")

    assert response.status_code == 200
    assert 'value="lots"' in response.content.decode() and "Kept" in response.content.decode()
    assert fresh(e191).value is None


def test_a_returned_figure_is_in_the_grid_with_the_reason(client, personas, open_round, actors):
    from perfreport.rounds.services import return_entry

    e191 = entry_of(open_round, "191")
    save_entry(
        actors["lead"],
        e191.pk,
        EntryInput(value="90"),
        version=e191.version,
        submit=True,
    )
    return_entry(
        actors["approver"], e191.pk, "Check the December calls", version=fresh(e191).version
    )

    page = signed_in(client, personas).get(URL).content.decode()

    assert f'name="e{e191.pk}-value"' in page and 'value="90"' in page
    assert "Returned</strong> Check the December calls" in page
    response = post(client, (fresh(e191), {"value": "91"}))
    assert response.status_code == 303 and fresh(e191).state == "draft"


def test_a_long_grid_is_paged_and_a_save_returns_to_its_page(
    client, personas, open_round, monkeypatch
):
    """Django refuses a post of over 1,000 fields, so at most GRID_PAGE_ROWS
    rows a page (4 here, for the lead's 9: three months of 190, 191 and 192)."""
    monkeypatch.setattr("perfreport.web.grid.GRID_PAGE_ROWS", 4)
    e192 = entry_of(open_round, "192")
    client = signed_in(client, personas)

    first = client.get(URL).content.decode()
    last = client.get(URL + "?page=3").content.decode()

    assert first.count('name="entry"') == 4 and "Figures 1 to 4 of the 9 due from you" in first
    assert 'href="?page=2"' in first
    assert last.count('name="entry"') == 1 and f'name="e{e192.pk}-value"' in last
    assert client.get(URL + "?page=99").status_code == 200  # the last page
    data = {"entry": [str(e192.pk)], "page": "3", **row(e192, value="1")}
    response = client.post(URL, data)
    assert response.status_code == 303 and response["Location"] == URL + "?page=3"
    assert fresh(e192).value == Decimal("1")
