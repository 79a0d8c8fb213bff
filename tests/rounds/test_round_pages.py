"""The BI team's round pages: the list of rounds and the form to open one,
each round's page with its entries, and publishing it; who may do what."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from round_helpers import DEADLINE, NOT_ADMINS, ROUND_PERIOD, STAFF, entry_of

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Round
from perfreport.rounds.services import (
    EntryInput,
    approve_entry,
    publish_round,
    restate_entry,
    save_entry,
)

pytestmark = pytest.mark.django_db


def seen(found, reason="Other services report next quarter"):
    """What the publish form carries: every entry's version, as the
    confirmation page showed them, and why figures are missing."""
    versions = " ".join(f"{pk}:{v}" for pk, v in found.entries.values_list("pk", "version"))
    return {"seen": versions, "reason": reason}


def future() -> date:
    return timezone.localdate() + timedelta(days=14)


def signed_in(client, personas, who):
    client.force_login(getattr(personas, who))
    return client


def open_form(client, period=ROUND_PERIOD, deadline=None):
    deadline = future().isoformat() if deadline is None else deadline
    return client.post("/rounds/", {"period": period, "deadline": deadline})


def approve_191(round_, actors, value="72.5"):
    """GIVEN 191 submitted by its lead and approved, every other entry left
    not started, so that the round can be published."""
    entry = entry_of(round_, "191")
    save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value=value, actions="Recruiting four advisers"),
        version=entry.version,
        submit=True,
    )
    approve_entry(actors["approver"], entry.pk)
    round_.entries.exclude(pk=entry.pk).update(state="not_started")
    return entry


# -- the list of rounds --------------------------------------------------------


@pytest.mark.parametrize("who", STAFF)
def test_everyone_with_a_role_sees_the_rounds(client, personas, open_round, who):
    page = signed_in(client, personas, who).get("/rounds/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Quarter 3 2020/21" in html
    assert f'href="/rounds/{open_round.pk}/"' in html
    assert ("Open a round" in html) is (who == "admin")


def test_the_rounds_refuse_an_outsider_and_ask_the_anonymous_to_sign_in(
    client, personas, open_round
):
    assert client.get("/rounds/").status_code == 302
    assert client.get("/rounds/")["Location"].startswith("/accounts/login/?next=/rounds/")
    assert signed_in(client, personas, "outsider").get("/rounds/").status_code == 403


def test_each_round_counts_its_entries_by_state_and_the_overdue_after_the_deadline(
    client, personas, open_round, actors
):
    """GIVEN the round's 44 entries (16 indicators; 14 monthly ones for each
    month of the quarter), one of them submitted
    WHEN the BI team looks after the deadline
    THEN the 43 not submitted are overdue; before it, none is."""
    entry = entry_of(open_round, "190")
    save_entry(actors["lead"], entry.pk, EntryInput(value="81"), version=entry.version, submit=True)
    signed_in(client, personas, "admin")

    with time_machine.travel(DEADLINE + timedelta(days=5), tick=False):
        after = client.get("/rounds/")
    with time_machine.travel(DEADLINE - timedelta(days=5), tick=False):
        before = client.get("/rounds/")

    row = after.context["rows"][0]
    assert {c.state.value: c.count for c in row.counts}["submitted"] == 1
    assert row.total == 44 and row.overdue == 43
    assert '<strong class="overdue">43</strong>' in after.content.decode()
    assert before.context["rows"][0].overdue == 0


# -- opening a round -----------------------------------------------------------


def test_an_administrator_opens_a_round_and_lands_on_its_page(client, personas):
    signed_in(client, personas, "admin")

    response = open_form(client)

    opened = Round.objects.get(period=ROUND_PERIOD)
    assert response.status_code == 302
    assert response["Location"] == f"/rounds/{opened.pk}/"
    # 16 indicators; the 14 monthly ones also for October and November
    assert opened.deadline == future() and opened.entries.count() == 44
    assert opened.opened_by == personas.admin
    page = client.get(response["Location"])
    assert "The round for 2020/21 Q3 is open: 44 entries are due by" in page.content.decode()
    assert AuditEvent.objects.filter(action="open", object_id=str(opened.pk)).exists()


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_an_administrator_may_open_a_round(client, personas, who):
    response = open_form(signed_in(client, personas, who))

    assert response.status_code == 403
    expected = "has no role" if who == "outsider" else "Only a BI administrator may open a round"
    assert expected in response.content.decode()
    assert not Round.objects.exists()


def test_an_anonymous_post_opens_nothing(client, personas):
    response = open_form(client)

    assert response.status_code == 302
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("period", "deadline", "field", "message"),
    [
        pytest.param(
            ROUND_PERIOD, "2000-01-31", "deadline", "31 January 2000 is in the past", id="past"
        ),
        pytest.param("2020/21 Q5", None, "period", "quarters run Q1 to Q4", id="bad_period"),
        pytest.param(ROUND_PERIOD, "31/02/2021", "deadline", "is not a date", id="bad_date"),
        pytest.param("", None, "period", "Enter the period the round collects", id="no_period"),
        pytest.param(ROUND_PERIOD, "", "deadline", "Enter the deadline", id="no_deadline"),
    ],
)
def test_the_open_form_says_what_is_wrong_and_keeps_what_was_typed(
    client, personas, period, deadline, field, message
):
    signed_in(client, personas, "admin")
    typed = future().isoformat() if deadline is None else deadline

    page = open_form(client, period, typed)

    html = page.content.decode()
    assert page.status_code == 200
    assert not Round.objects.exists()
    assert "There is a problem" in html
    assert f'<a href="#id_{field}">' in html and message in html
    assert f'id="{field}-error"' in html
    assert f'value="{period}"' in html and f'value="{typed}"' in html
    assert [e.field_id for e in page.context["errors"]] == [f"id_{field}"]


def test_a_second_round_for_the_same_period_is_refused(client, personas, open_round):
    signed_in(client, personas, "admin")

    page = open_form(client)

    assert page.status_code == 200
    assert "A round for 2020/21 Q3 is already open or published" in page.content.decode()
    assert Round.objects.count() == 1


# -- a round's page ------------------------------------------------------------


@pytest.mark.parametrize("who", STAFF)
def test_everyone_with_a_role_sees_a_rounds_entries(client, personas, open_round, actors, who):
    entry = entry_of(open_round, "191")
    save_entry(actors["lead"], entry.pk, EntryInput(value="70"), version=entry.version)

    page = signed_in(client, personas, who).get(f"/rounds/{open_round.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["total"] == 44 and len(page.context["rows"]) == 44
    row = next(r for r in page.context["rows"] if r.entry.pk == entry.pk)
    assert (row.value, row.rating.value, row.updated_by) == ("70.0%", "red", "cs.lead")
    assert f'<a href="/work/entries/{entry.pk}/">Calls answered' in html
    assert "70.0%" in html and "Red" in html and "Customer Services" in html
    assert ("Publish round 2020/21 Q3" in html) is (who == "admin")


def test_a_round_page_refuses_an_outsider_and_is_404_for_no_round(client, personas, open_round):
    assert client.get(f"/rounds/{open_round.pk}/").status_code == 302
    assert (
        signed_in(client, personas, "outsider").get(f"/rounds/{open_round.pk}/").status_code == 403
    )
    assert signed_in(client, personas, "viewer").get("/rounds/9999/").status_code == 404


def test_the_entries_can_be_filtered_by_state(client, personas, open_round, actors):
    entry = entry_of(open_round, "190")
    save_entry(actors["lead"], entry.pk, EntryInput(value="81"), version=entry.version, submit=True)
    signed_in(client, personas, "viewer")

    page = client.get(f"/rounds/{open_round.pk}/", {"state": "submitted"})

    assert [r.entry.pk for r in page.context["rows"]] == [entry.pk]
    assert "Submitted entries in the round for Quarter 3 2020/21" in page.content.decode()
    unknown = client.get(f"/rounds/{open_round.pk}/", {"state": "lost"})
    assert len(unknown.context["rows"]) == 44


# -- publishing ----------------------------------------------------------------


def test_publishing_with_entries_waiting_asks_why_then_succeeds(
    client, personas, open_round, actors
):
    """GIVEN 191 approved and 190 still a draft
    WHEN the BI administrator presses Publish without a reason
    THEN the page asks why 190 is left out (400), and nothing is published;
    with a reason, the round is published and the page shows who published
    it and the figures it froze."""
    approve_191(open_round, actors)
    draft = entry_of(open_round, "190")
    draft.state = "draft"
    draft.save(update_fields=["state"])
    signed_in(client, personas, "admin")

    refused = client.post(f"/rounds/{open_round.pk}/publish", seen(open_round, reason=""))

    html = refused.content.decode()
    assert refused.status_code == 400
    assert "missing or not approved" in html and "Not approved: these will not be published" in html
    assert "Traceback" not in html
    open_round.refresh_from_db()
    assert not open_round.is_published

    done = client.post(f"/rounds/{open_round.pk}/publish", seen(open_round))  # with a reason

    assert done.status_code == 302 and done["Location"] == f"/rounds/{open_round.pk}/"
    open_round.refresh_from_db()
    assert open_round.is_published and open_round.published_by == personas.admin
    page = client.get(done["Location"])
    html = page.content.decode()
    assert "The round for 2020/21 Q3 is published: 1 approved figure is now public" in html
    assert "by bi.admin" in html and "Publish round" not in html
    [frozen] = page.context["frozen"]
    assert (frozen.ref, frozen.value, frozen.target, frozen.rating.value) == (
        "191",
        "72.5%",
        "85.0%",
        "red",
    )
    assert frozen.restated_value == "" and "Unchanged" in html


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_an_administrator_may_publish(client, personas, open_round, actors, who):
    approve_191(open_round, actors)

    response = signed_in(client, personas, who).post(f"/rounds/{open_round.pk}/publish")

    assert response.status_code == 403
    open_round.refresh_from_db()
    assert not open_round.is_published


def test_publishing_is_confirmed_on_a_page_of_its_own_that_publishes_nothing(
    client, personas, open_round
):
    page = signed_in(client, personas, "admin").get(f"/rounds/{open_round.pk}/publish")

    assert page.status_code == 200
    assert "Publish the round for Quarter 3 2020/21" in page.content.decode()
    open_round.refresh_from_db()
    assert not open_round.is_published


def test_a_restated_entry_is_flagged_beside_its_published_figure(
    client, personas, open_round, actors
):
    entry = approve_191(open_round, actors)
    publish_round(actors["admin"], open_round.pk)
    restate_entry(actors["lead"], entry.pk, EntryInput(value="74"), reason="late calls counted")

    page = signed_in(client, personas, "viewer").get(f"/rounds/{open_round.pk}/")

    [frozen] = page.context["frozen"]
    assert (frozen.value, frozen.restated_value) == ("72.5%", "74.0%")
    html = page.content.decode()
    assert "Restated</strong> now 74.0%" in html
    entry.refresh_from_db()
    assert entry.value == Decimal(74)
