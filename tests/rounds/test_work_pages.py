"""My work and the entry pages: what each persona is given to do, entering
a value with its rating worked out, the refusals that keep what was typed,
two people saving at once, sign-off, and restating a published value."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from round_helpers import DEADLINE, entry_of

from perfreport.audit.models import AuditEvent
from perfreport.rounds.services import (
    EntryInput,
    approve_entry,
    publish_round,
    return_entry,
    save_entry,
)

pytestmark = pytest.mark.django_db

RED_ACTIONS = "Recruiting four advisers"


def signed_in(client, personas, who):
    client.force_login(getattr(personas, who))
    return client


def entry_url(entry, suffix=""):
    return f"/work/entries/{entry.pk}/{suffix}"


def form_version(entry):
    """The version a sign-off or restate form carries: the entry's as the page showed it."""
    return {"version": type(entry).objects.get(pk=entry.pk).version}


def post_entry(client, entry, action="save", version=None, **fields):
    data = {"action": action, "version": entry.version if version is None else version}
    return client.post(entry_url(entry), {**data, **fields})


def submitted_191(open_round, actors, value="70"):
    """GIVEN 191 submitted by its lead, Red with actions."""
    entry = entry_of(open_round, "191")
    save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value=value, actions=RED_ACTIONS),
        version=entry.version,
        submit=True,
    )
    entry.refresh_from_db()
    return entry


def section(page: str, heading: str) -> str:
    """The text of the section under an h2, up to the next h2."""
    start = page.index(f">{heading}</h2>")
    end = page.find("<h2", start)
    return page[start : end if end > 0 else len(page)]


# -- My work ---------------------------------------------------------------------


def test_my_work_lists_the_leads_own_entries_due(client, personas, open_round):
    with time_machine.travel(DEADLINE - timedelta(days=3), tick=False):
        page = signed_in(client, personas, "lead").get("/work/").content.decode()

    due = section(page, "Due")
    assert "Calls answered by Customer Services" in due
    assert "December 2020" in due and "15 January 2021" in due
    assert "Overdue" not in due
    assert "194" not in due  # it.owner's, not the lead's
    assert "Nothing has been returned to you." in page
    assert "Awaiting my approval" not in page  # not an approver


def test_my_work_tags_what_is_past_the_deadline_as_overdue(client, personas, open_round):
    with time_machine.travel(DEADLINE + timedelta(days=1), tick=False):
        page = signed_in(client, personas, "lead").get("/work/").content.decode()

    assert "Overdue" in section(page, "Due")


def test_an_owner_of_one_indicator_sees_only_it(client, personas, open_round):
    page = signed_in(client, personas, "it_lead").get("/work/").content.decode()

    due = section(page, "Due")
    assert entry_url(entry_of(open_round, "194")) in due
    assert entry_url(entry_of(open_round, "191")) not in due


def test_the_approver_sees_what_awaits_approval(client, personas, open_round, actors):
    client = signed_in(client, personas, "approver")
    assert "Nothing is awaiting your approval." in client.get("/work/").content.decode()

    entry = submitted_191(open_round, actors)
    page = client.get("/work/").content.decode()

    waiting = section(page, "Awaiting my approval")
    assert entry_url(entry) in waiting
    assert "Submitted by cs.lead" in waiting
    assert "Due</h2>" not in page  # owns nothing


def test_a_submitted_entry_moves_from_due_to_submitted(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)

    page = signed_in(client, personas, "lead").get("/work/").content.decode()

    assert entry_url(entry) not in section(page, "Due")
    assert entry_url(entry) in section(page, "Submitted")


def test_a_viewer_is_told_there_is_nothing_to_do(client, personas, open_round):
    page = signed_in(client, personas, "viewer").get("/work/").content.decode()

    assert "You have nothing to do here" in page
    assert "Due</h2>" not in page and "Awaiting my approval" not in page


def test_the_admin_sees_the_open_rounds_by_state(client, personas, open_round, actors):
    submitted_191(open_round, actors)

    page = signed_in(client, personas, "admin").get("/work/").content.decode()

    rounds = section(page, "Open rounds")
    assert "Round for Quarter 3 2020/21" in rounds
    assert "<strong>1</strong> submitted" in rounds
    assert f"/rounds/{open_round.pk}/" in rounds and 'href="/rounds/"' in rounds
    assert "Due</h2>" not in page  # an administrator owns no indicator here


def test_my_work_refuses_the_outsider_and_asks_others_to_sign_in(client, personas, open_round):
    assert client.get("/work/").status_code == 302
    assert client.get("/work/")["Location"].startswith("/accounts/login/?next=/work/")

    assert signed_in(client, personas, "outsider").get("/work/").status_code == 403


# -- The entry page ----------------------------------------------------------------


def test_the_lead_gets_a_form_with_what_to_enter(client, personas, open_round):
    entry = entry_of(open_round, "191")

    response = signed_in(client, personas, "lead").get(entry_url(entry))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="value"' in page and f'name="version" value="{entry.version}"' in page
    assert "Value for December 2020" in page
    assert "A percentage, 0 to 100" in page
    assert "85.0%" in page  # the target, with its unit
    assert 'aria-live="polite"' in page
    assert "Save draft" in page and "Submit for approval" in page
    # the last values, for reference, with their periods and units
    assert "September 2020" in page and "87.0%" in page
    assert "This target has been met consistently" in page  # last period's commentary


@pytest.mark.parametrize("who", ["viewer", "it_lead", "approver"])
def test_others_see_the_entry_without_a_form(client, personas, open_round, who):
    entry = entry_of(open_round, "191")

    response = signed_in(client, personas, who).get(entry_url(entry))

    assert response.status_code == 200
    assert 'name="value"' not in response.content.decode()
    assert "You may read this entry" in response.content.decode()


def test_the_entry_refuses_the_outsider_and_asks_others_to_sign_in(client, personas, open_round):
    entry = entry_of(open_round, "191")
    assert client.get(entry_url(entry)).status_code == 302
    assert signed_in(client, personas, "outsider").get(entry_url(entry)).status_code == 403


def test_an_entry_that_does_not_exist_says_so(client, personas, open_round):
    response = signed_in(client, personas, "lead").get("/work/entries/999999/")

    assert response.status_code == 404
    assert "There is no entry number 999999" in response.content.decode()


# -- Saving --------------------------------------------------------------------------


def test_saving_a_draft_keeps_it_and_says_so(client, personas, open_round):
    entry = entry_of(open_round, "191")

    response = post_entry(
        signed_in(client, personas, "lead"), entry, value="81", commentary="Staff off sick"
    )

    assert response.status_code == 303 and response["Location"] == "/work/"
    entry.refresh_from_db()
    assert (entry.state, entry.value, entry.commentary) == ("draft", Decimal(81), "Staff off sick")
    assert entry.version == 2
    shown = client.get("/work/").content.decode()
    assert "Saved indicator 191 (Calls answered by Customer Services) for December 2020" in shown
    assert "it is now a draft" in shown


def test_submitting_red_without_actions_keeps_the_input_and_asks_for_them(
    client, personas, open_round
):
    entry = entry_of(open_round, "191")

    response = post_entry(
        signed_in(client, personas, "lead"),
        entry,
        action="submit",
        value="70",
        commentary="A hard month <b>indeed</b>",
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page and 'href="#id_actions"' in page
    assert "Actions are required for a Red rating" in page
    assert 'id="actions-error"' in page
    assert 'value="70"' in page
    assert "A hard month &lt;b&gt;indeed&lt;/b&gt;</textarea>" in page
    assert "actions are required to submit it" in page  # the Red hint, shown
    entry.refresh_from_db()
    assert (entry.state, entry.value, entry.version) == ("not_started", None, 1)


def test_submitting_red_with_actions_sends_it_for_approval(client, personas, open_round):
    entry = entry_of(open_round, "191")

    response = post_entry(
        signed_in(client, personas, "lead"), entry, action="submit", value="70", actions="More"
    )

    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.state == "submitted" and entry.submitted_by == personas.lead
    assert "it is now submitted and awaits approval" in client.get("/work/").content.decode()


def test_a_percentage_over_100_is_refused_with_the_unit(client, personas, open_round):
    entry = entry_of(open_round, "191")

    response = post_entry(signed_in(client, personas, "lead"), entry, value="140")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_value"' in page
    assert "Value: 140 is outside 0 to 100, the range of a percentage" in page
    assert 'value="140"' in page
    entry.refresh_from_db()
    assert entry.value is None and entry.version == 1


def test_checking_the_rating_without_javascript_saves_nothing(client, personas, open_round):
    entry = entry_of(open_round, "191")

    response = post_entry(signed_in(client, personas, "lead"), entry, action="check", value="70")

    page = response.content.decode()
    assert response.status_code == 200
    assert "rag-red" in page and "70.0% for December 2020" in page
    entry.refresh_from_db()
    assert entry.value is None and entry.version == 1


@pytest.mark.parametrize("version", ["", "two", "1.5"])
def test_a_form_without_a_usable_version_is_refused_clearly(client, personas, open_round, version):
    entry = entry_of(open_round, "191")

    response = post_entry(signed_in(client, personas, "lead"), entry, version=version, value="81")

    assert response.status_code == 400
    assert "did not say which version" in response.content.decode()
    assert 'value="81"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.value is None


def test_a_null_character_is_refused_not_stored(client, personas, open_round):
    entry = entry_of(open_round, "191")

    response = post_entry(signed_in(client, personas, "lead"), entry, commentary="a\x00b")

    assert response.status_code == 200
    assert "Commentary holds a null character" in response.content.decode()
    entry.refresh_from_db()
    assert entry.version == 1


def test_the_second_of_two_saves_from_one_version_is_refused_with_the_changes(
    client, personas, open_round
):
    entry = entry_of(open_round, "190")
    lead = signed_in(client, personas, "lead")
    assert post_entry(lead, entry, version=1, value="81", commentary="Lead's").status_code == 303

    admin = signed_in(client, personas, "admin")
    response = post_entry(admin, entry, version=1, value="79", commentary="Admin's")

    page = response.content.decode()
    assert response.status_code == 409
    assert "cs.lead saved this entry at" in page and "your changes were not saved" in page
    assert "81.0%" in page and "79.0%" in page  # with their unit
    assert "Lead&#x27;s" in page and "Admin&#x27;s" in page  # theirs and yours, side by side
    assert 'name="version" value="2"' in page  # a deliberate second save may overwrite
    assert 'value="79"' in page  # the admin's input, kept
    entry.refresh_from_db()
    assert (entry.value, entry.commentary, entry.version) == (Decimal(81), "Lead's", 2)

    again = post_entry(admin, entry, version=2, value="79", commentary="Admin's")

    assert again.status_code == 303
    entry.refresh_from_db()
    assert (entry.value, entry.commentary, entry.version) == (Decimal(79), "Admin's", 3)


def test_saving_a_submitted_entry_says_why_it_cannot(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)

    response = post_entry(signed_in(client, personas, "lead"), entry, value="90")

    page = response.content.decode()
    assert response.status_code == 200
    assert "awaits approval: ask the approver to return it" in page
    assert 'value="90"' in page
    entry.refresh_from_db()
    assert entry.value == Decimal(70)


@pytest.mark.parametrize("who", ["outsider", "viewer", "it_lead", "approver"])
def test_a_forged_save_is_refused_and_changes_nothing(client, personas, open_round, who):
    entry = entry_of(open_round, "191")

    response = post_entry(signed_in(client, personas, who), entry, value="80")

    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.value, entry.version) == (None, 1)
    assert not AuditEvent.objects.filter(action="save").exists()


# -- The preview -------------------------------------------------------------------


def test_the_preview_rates_a_typed_value(client, personas, open_round):
    entry = entry_of(open_round, "191")

    answer = signed_in(client, personas, "lead").get(entry_url(entry, "preview"), {"value": "70"})

    data = answer.json()
    assert answer.status_code == 200
    assert (data["rating"], data["rating_label"], data["actions_required"]) == ("red", "Red", True)
    assert data["value"] == "70.0%" and data["target"] == "85.0%"
    assert "70.0%" in data["explanation"] and "85.0%" in data["explanation"]
    assert data["change"] == "declining" and data["errors"] == {}


def test_the_preview_says_why_a_value_cannot_be_read(client, personas, open_round):
    entry = entry_of(open_round, "191")
    client = signed_in(client, personas, "lead")

    over = client.get(entry_url(entry, "preview"), {"value": "140"}).json()
    empty = client.get(entry_url(entry, "preview"), {"value": ""}).json()

    assert over["rating"] is None
    assert over["errors"]["value"] == "Value: 140 is outside 0 to 100, the range of a percentage"
    assert empty["rating"] is None and empty["errors"] == {}
    assert "enter one to see its RAG rating" in empty["explanation"]


def test_the_preview_is_for_staff_only(client, personas, open_round):
    entry = entry_of(open_round, "191")
    assert client.get(entry_url(entry, "preview"), {"value": "70"}).status_code == 302
    outsider = signed_in(client, personas, "outsider")
    assert outsider.get(entry_url(entry, "preview"), {"value": "70"}).status_code == 403


# -- Sign-off ----------------------------------------------------------------------


def test_the_approver_gets_approve_and_return(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)

    page = signed_in(client, personas, "approver").get(entry_url(entry)).content.decode()

    assert f'action="/work/entries/{entry.pk}/approve"' in page
    assert f'action="/work/entries/{entry.pk}/return"' in page
    assert 'name="value"' not in page


def test_a_returned_entry_shows_its_reason_to_the_lead(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)
    approver = signed_in(client, personas, "approver")

    response = approver.post(
        entry_url(entry, "return"), {**form_version(entry), "reason": "Check the December figure"}
    )

    assert response.status_code == 303
    entry.refresh_from_db()
    assert (entry.state, entry.return_reason) == ("returned", "Check the December figure")
    lead = signed_in(client, personas, "lead")
    returned = section(lead.get("/work/").content.decode(), "Returned to me")
    assert entry_url(entry) in returned and "Check the December figure" in returned
    page = lead.get(entry_url(entry)).content.decode()
    assert "cs.director returned it" in page and 'name="value"' in page


def test_returning_without_a_reason_asks_for_one(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)

    response = signed_in(client, personas, "approver").post(
        entry_url(entry, "return"), {**form_version(entry), "reason": "  "}
    )

    assert response.status_code == 200
    assert 'href="#id_reason"' in response.content.decode()
    assert "Reason is required" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == "submitted"


def test_the_approver_approves(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)

    response = signed_in(client, personas, "approver").post(
        entry_url(entry, "approve"), form_version(entry)
    )

    assert response.status_code == 303
    entry.refresh_from_db()
    assert entry.state == "approved" and entry.approved_by == personas.approver


def test_approving_ones_own_submission_is_refused_with_the_reason(
    client, personas, open_round, actors
):
    entry = entry_of(open_round, "191")
    save_entry(actors["admin"], entry.pk, EntryInput(value="90"), version=1, submit=True)

    response = signed_in(client, personas, "admin").post(
        entry_url(entry, "approve"), form_version(entry)
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "you submitted indicator 191 yourself" in page.lower()
    assert "There is a problem" in page
    entry.refresh_from_db()
    assert entry.state == "submitted"


@pytest.mark.parametrize("who", ["outsider", "viewer", "lead", "it_lead"])
def test_a_forged_sign_off_is_refused_and_changes_nothing(
    client, personas, open_round, actors, who
):
    entry = submitted_191(open_round, actors)
    client = signed_in(client, personas, who)

    assert client.post(entry_url(entry, "approve"), form_version(entry)).status_code == 403
    assert (
        client.post(entry_url(entry, "return"), {**form_version(entry), "reason": "No"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.state == "submitted"


def test_sign_off_takes_posts_only(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)

    assert (
        signed_in(client, personas, "approver").get(entry_url(entry, "approve")).status_code == 405
    )


# -- After publication ---------------------------------------------------------------


@pytest.fixture
def published_191(open_round, actors):
    """GIVEN 191 approved at 72.5% and the round published."""
    entry = submitted_191(open_round, actors, value="72.5")
    approve_entry(actors["approver"], entry.pk)
    open_round.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors["admin"], open_round.pk)
    entry.refresh_from_db()
    return entry


def test_saving_in_a_published_round_offers_the_restatement(client, personas, published_191):
    entry = published_191

    response = post_entry(signed_in(client, personas, "lead"), entry, value="74")

    page = response.content.decode()
    assert response.status_code == 200
    assert "has been published" in page
    assert f'href="/work/entries/{entry.pk}/restate"' in page
    entry.refresh_from_db()
    assert entry.value == Decimal("72.5")


def test_a_published_value_is_restated_with_a_reason(client, personas, published_191):
    entry = published_191
    lead = signed_in(client, personas, "lead")

    page = lead.get(entry_url(entry, "restate")).content.decode()
    assert "72.5%" in page and 'name="reason"' in page

    refused = lead.post(
        entry_url(entry, "restate"), {**form_version(entry), "value": "74", "reason": ""}
    )
    assert refused.status_code == 200
    assert "Reason is required" in refused.content.decode()
    assert 'value="74"' in refused.content.decode()

    done = lead.post(
        entry_url(entry, "restate"),
        {**form_version(entry), "value": "74", "reason": "Late calls counted"},
    )

    assert done.status_code == 303 and done["Location"] == entry_url(entry)
    entry.refresh_from_db()
    assert entry.value == Decimal(74) and entry.restated_at is not None
    shown = lead.get(entry_url(entry)).content.decode()
    assert "74.0% replaces 72.5%" in shown


def test_only_an_editor_may_restate(client, personas, published_191):
    entry = published_191
    viewer = signed_in(client, personas, "viewer")

    assert 'name="reason"' not in viewer.get(entry_url(entry, "restate")).content.decode()
    refused = viewer.post(
        entry_url(entry, "restate"), {**form_version(entry), "value": "74", "reason": "Because"}
    )

    assert refused.status_code == 403
    entry.refresh_from_db()
    assert entry.value == Decimal("72.5")


def test_restating_before_publication_points_to_the_entry(client, personas, open_round, actors):
    entry = submitted_191(open_round, actors)
    lead = signed_in(client, personas, "lead")

    page = lead.get(entry_url(entry, "restate")).content.decode()
    assert "not published yet" in page and 'name="reason"' not in page

    refused = lead.post(
        entry_url(entry, "restate"), {**form_version(entry), "value": "74", "reason": "Because"}
    )
    assert refused.status_code == 200
    assert "is not published yet: edit the entry instead" in refused.content.decode()


def test_returned_entries_are_still_listed_after_approval_is_undone(
    client, personas, open_round, actors
):
    entry = submitted_191(open_round, actors)
    approve_entry(actors["approver"], entry.pk)
    return_entry(actors["approver"], entry.pk, "One more look")

    page = signed_in(client, personas, "lead").get("/work/").content.decode()

    assert "One more look" in section(page, "Returned to me")
