"""Actions and projects in the round's pages: My work lists an owner's
updates beside their figures, the grid saves both with one button (all or
nothing), the action's page saves, submits, approves and returns, My work's
approvals approve both at once, the round's pages list the updates, and a
published update is restated with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from action_helpers import make_actions, update_of
from round_helpers import DEADLINE, ROUND_PERIOD, TODAY, entry_of

from perfreport.audit.models import AuditEvent
from perfreport.registry.periods import read_period
from perfreport.rounds import services
from perfreport.rounds.action_updates import ActionInput, save_action_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(personas, actors):
    make_actions(personas.it_lead)
    return services.open_round(actors["admin"], read_period(ROUND_PERIOD), DEADLINE, today=TODAY)


def signed_in(client, personas, who="lead"):
    client.force_login(getattr(personas, who))
    return client


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def grid_post(client, entries=(), updates=()):
    """The grid as it posts: ``entries`` (entry, {field: text}), ``updates`` (update, {field: text})."""
    data: dict = {
        "entry": [str(e.pk) for e, _ in entries],
        "update": [str(u.pk) for u, _ in updates],
    }
    for entry, fields in entries:
        data.update({f"e{entry.pk}-{n}": t for n, t in fields.items()})
        data[f"e{entry.pk}-version"] = str(entry.version)
    for update, fields in updates:
        data.update({f"a{update.pk}-{n}": t for n, t in fields.items()})
        data[f"a{update.pk}-version"] = str(update.version)
    return client.post("/work/figures/", data)


def submitted(actors, opened, ref="A1", who="lead"):
    update = update_of(opened, ref)
    typed = ActionInput("40", "Adverts are out.")
    return save_action_update(actors[who], update.pk, typed, version=1, submit=True)


def test_my_work_lists_each_owners_action_updates_beside_their_figures(client, personas, opened):
    a1, p1 = update_of(opened, "A1"), update_of(opened, "P1")
    lead = signed_in(client, personas).get("/work/").content.decode()
    assert f'href="/work/actions/{a1.pk}/"' in lead and "Recruit more call handlers" in lead
    assert f'href="/work/entries/{entry_of(opened, "191").pk}/"' in lead
    assert f"/work/actions/{p1.pk}/" not in lead
    it = signed_in(client, personas, "it_lead").get("/work/").content.decode()
    assert f'href="/work/actions/{p1.pk}/"' in it and f"/work/actions/{a1.pk}/" not in it


def test_the_grid_saves_figures_and_action_updates_with_one_button(client, personas, opened):
    """GIVEN the lead's grid with 191 and the update of A1
    WHEN they type 191's value and A1's percentage, progress and a milestone done, and save
    THEN both are drafts, in one save, and the page says so."""
    e191, a1 = entry_of(opened, "191"), update_of(opened, "A1")
    page = signed_in(client, personas).get("/work/figures/").content.decode()
    assert "Actions and projects" in page and f'name="a{a1.pk}-percent"' in page
    advert = a1.action.milestones.get(title="Adverts placed")
    response = grid_post(
        client,
        [(e191, {"value": "82"})],
        [(a1, {"percent": "40", "note": "Adverts out.", f"m{advert.pk}": "20/11/2020"})],
    )
    assert response.status_code == 303
    assert (
        "Saved 1 figure and 1 action update as drafts"
        in client.get("/work/figures/").content.decode()
    )
    e191, a1 = fresh(e191), fresh(a1)
    assert (e191.value, e191.state) == (Decimal(82), "draft")
    assert (a1.percent_complete, a1.note, a1.state) == (Decimal(40), "Adverts out.", "draft")
    assert a1.milestones_done == {str(advert.pk): "2020-11-20"}


def test_a_refused_update_saves_nothing_and_keeps_what_was_typed(client, personas, opened):
    e191, a1 = entry_of(opened, "191"), update_of(opened, "A1")
    signed_in(client, personas)
    response = grid_post(
        client, [(e191, {"value": "82"})], [(a1, {"percent": "140", "note": "Typed note"})]
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_a{a1.pk}-percent"' in html
    assert "A1, Quarter 3 2020/21: Percentage complete: 140 is outside 0 to 100" in html
    assert 'value="140"' in html and "Typed note" in html and 'value="82"' in html
    assert fresh(e191).value is None and fresh(a1).state == "not_started"


def test_the_action_page_saves_then_shows_the_status_and_submits(client, personas, opened):
    a1 = update_of(opened, "A1")
    url = f"/work/actions/{a1.pk}/"
    page = signed_in(client, personas).get(url).content.decode()
    assert "Status at the end of Quarter 3 2020/21" in page and 'name="percent"' in page
    response = client.post(url, {"version": "1", "action": "save", "percent": "10", "note": "Slow"})
    assert response.status_code == 303
    page = client.get(url).content.decode()
    assert "At risk" in page and "Adverts placed" in page  # a milestone due in November, not done
    refused = client.post(url, {"version": "2", "action": "submit", "percent": "oops", "note": ""})
    html = refused.content.decode()
    assert refused.status_code == 200 and 'value="oops"' in html
    assert 'href="#id_percent"' in html and "Percentage complete: “oops” is not a number" in html
    assert fresh(a1).percent_complete == Decimal(10)
    assert (
        client.post(
            url, {"version": "2", "action": "submit", "percent": "30", "note": "On"}
        ).status_code
        == 303
    )
    assert fresh(a1).state == "submitted"


def test_a_forged_post_from_someone_who_does_not_own_it_is_refused(client, personas, opened):
    a1 = update_of(opened, "A1")
    response = signed_in(client, personas, "it_lead").post(
        f"/work/actions/{a1.pk}/", {"version": "1", "action": "save", "percent": "50"}
    )
    assert response.status_code == 403 and fresh(a1).state == "not_started"


def test_the_approver_approves_figures_and_action_updates_together(
    client, personas, actors, opened
):
    e191 = entry_of(opened, "191")
    services.save_entry(actors["lead"], e191.pk, services.EntryInput("82"), version=e191.version, submit=True)  # fmt: skip
    a1 = submitted(actors, opened)
    page = signed_in(client, personas, "approver").get("/work/").content.decode()
    assert f'id="approve-{e191.pk}"' in page and f'id="approve-action-{a1.pk}"' in page
    assert "Adverts are out." in page and "40%" in page
    response = client.post(
        "/work/approve",
        {"entry": [str(e191.pk)], f"version-{e191.pk}": "2", "action": [str(a1.pk)],
         f"action-version-{a1.pk}": str(a1.version)},
    )  # fmt: skip
    assert response.status_code == 303
    assert fresh(e191).state == "approved" and fresh(a1).state == "approved"


def test_returning_an_update_needs_a_reason_and_the_owner_sees_it(client, personas, actors, opened):
    a1 = submitted(actors, opened)
    signed_in(client, personas, "approver")
    refused = client.post(
        f"/work/actions/{a1.pk}/return", {"version": str(a1.version), "reason": ""}
    )
    assert "Reason is required" in refused.content.decode() and fresh(a1).state == "submitted"
    client.post(
        f"/work/actions/{a1.pk}/return", {"version": str(a1.version), "reason": "Give a date"}
    )
    assert fresh(a1).state == "returned"
    mine = signed_in(client, personas).get("/work/").content.decode()
    assert "Give a date" in mine


def test_the_round_pages_list_the_updates_and_publishing_leaves_out_those_not_approved(
    client, personas, actors, opened
):
    submitted(actors, opened)
    page = signed_in(client, personas, "admin").get(f"/rounds/{opened.pk}/").content.decode()
    assert "Actions and projects" in page and "Replace the office network" in page
    assert "cs.lead" in page and "it.owner" in page and "cs.director" in page
    confirm = client.get(f"/rounds/{opened.pk}/publish").content.decode()
    assert "Action and project updates not approved: these will not be published" in confirm
    assert "and 1 action update missing or not approved" in confirm
    form = {
        "seen": " ".join(f"{e.pk}:{e.version}" for e in opened.entries.all()),
        "seen_actions": " ".join(f"{u.pk}:{u.version}" for u in opened.action_updates.all()),
    }
    refused = client.post(f"/rounds/{opened.pk}/publish", {**form, "reason": ""})
    assert refused.status_code == 400 and "1 action update not approved" in refused.content.decode()
    assert (
        client.post(f"/rounds/{opened.pk}/publish", {**form, "reason": "Late"}).status_code == 302
    )
    assert update_of(opened, "A1").state == "submitted"


def test_a_published_update_is_restated_with_a_reason_on_its_page(client, personas, actors, opened):
    a1 = submitted(actors, opened)
    from perfreport.rounds.action_updates import approve_action_update

    approve_action_update(actors["approver"], a1.pk)
    services.publish_round(actors["admin"], opened.pk, reason="Late")
    a1 = fresh(a1)
    signed_in(client, personas)
    assert (
        f"/work/actions/{a1.pk}/restate" in client.get(f"/work/actions/{a1.pk}/").content.decode()
    )
    url = f"/work/actions/{a1.pk}/restate"
    refused = client.post(
        url, {"version": str(a1.version), "percent": "35", "note": "Fewer", "reason": ""}
    )
    assert (
        'value="35"' in refused.content.decode()
        and "Reason is required" in refused.content.decode()
    )
    done = client.post(url, {"version": str(a1.version), "percent": "35", "note": "Fewer", "reason": "Miscounted"})  # fmt: skip
    assert done.status_code == 303
    a1 = fresh(a1)
    assert a1.note == "Fewer" and a1.action.progress == "Fewer"
    assert (
        AuditEvent.objects.get(object_type="action update", action="restate").reason == "Miscounted"
    )


def test_opening_a_round_on_its_page_says_how_many_actions_are_to_update(client, personas):
    make_actions(personas.it_lead)
    signed_in(client, personas, "admin")
    client.post("/rounds/", {"period": ROUND_PERIOD, "deadline": "2099-01-15"})
    page = client.get("/rounds/").content.decode()
    assert "2 actions and projects to update." in page


def test_a_save_made_after_someone_elses_is_refused_and_keeps_what_was_typed(
    client, personas, actors, opened
):
    a1 = update_of(opened, "A1")
    save_action_update(actors["admin"], a1.pk, ActionInput("60", "Theirs"), version=1)
    url = f"/work/actions/{a1.pk}/"
    response = signed_in(client, personas).post(
        url, {"version": "1", "action": "save", "percent": "40", "note": "Mine"}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "bi.admin saved this update" in html and "Theirs" in html and "Mine" in html
    assert 'value="40"' in html and fresh(a1).note == "Theirs"


def test_check_the_status_shows_the_status_as_typed_and_saves_nothing(client, personas, opened):
    a1 = update_of(opened, "A1")
    advert = a1.action.milestones.get(title="Adverts placed")
    response = signed_in(client, personas).post(
        f"/work/actions/{a1.pk}/",
        {"version": "1", "action": "check", "percent": "30", f"m{advert.pk}": "2020-11-20"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "On track: 30% complete" in html
    assert fresh(a1).state == "not_started"


def test_an_actions_named_owner_with_only_a_viewers_role_updates_it(client, personas, opened):
    p1 = update_of(opened, "P1")
    p1.action.owner_user = personas.viewer
    p1.action.save()
    signed_in(client, personas, "viewer")
    assert f'href="/work/actions/{p1.pk}/"' in client.get("/work/").content.decode()
    response = grid_post(client, updates=[(p1, {"percent": "20", "note": "Survey done"})])
    assert response.status_code == 303 and fresh(p1).percent_complete == Decimal(20)


def test_publishing_says_how_many_action_updates_it_made_public(client, personas, actors, opened):
    from perfreport.rounds.action_updates import approve_action_update

    a1 = submitted(actors, opened)
    approve_action_update(actors["approver"], a1.pk, version=a1.version)
    signed_in(client, personas, "admin")
    confirm = client.get(f"/rounds/{opened.pk}/publish").content.decode()
    assert "0 approved figures and 1 approved action and project update on the public" in confirm
    form = {
        "seen": " ".join(f"{e.pk}:{e.version}" for e in opened.entries.all()),
        "seen_actions": " ".join(f"{u.pk}:{u.version}" for u in opened.action_updates.all()),
        "reason": "Figures late",
    }
    page = client.post(f"/rounds/{opened.pk}/publish", form, follow=True).content.decode()
    assert "is published: 0 approved figures and 1 action and project update are now public" in page
