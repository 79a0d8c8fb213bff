"""An indicator's history of changes, reverting a change from it, and the
public page's note of a figure restated after publication."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from round_helpers import NOT_ADMINS, STAFF, entry_of

from perfreport.audit import trail as audit
from perfreport.audit.models import AuditEvent
from perfreport.rounds.services import (
    EntryInput,
    approve_entry,
    publish_round,
    restate_entry,
    save_entry,
)

pytestmark = pytest.mark.django_db

HISTORY = "/indicators/191/history/"


def latest(event):
    """What the revert form carries: the newest event about the same thing, as shown."""
    from perfreport.rounds.revert import latest_event_id

    return {"latest": latest_event_id(event.object_type, event.object_id)}


def signed_in(client, personas, who):
    client.force_login(getattr(personas, who))
    return client


@pytest.fixture
def saved(open_round, actors):
    """GIVEN the service lead saved 70 for 191 (empty before) and then 72.5."""
    entry = entry_of(open_round, "191")
    first = save_entry(actors["lead"], entry.pk, EntryInput(value="70"), version=entry.version)
    save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value="72.5", commentary="December was busy"),
        version=first.version,
    )
    return entry


def latest_save(entry):
    return AuditEvent.objects.filter(object_type="entry", object_id=str(entry.pk)).first()


def publish_with_191(round_, actors, value="72.5"):
    """GIVEN 191 submitted and approved, the rest not started, and the round published."""
    entry = entry_of(round_, "191")
    saved = save_entry(
        actors["lead"],
        entry.pk,
        EntryInput(value=value, actions="Recruiting four advisers"),
        version=entry.version,
        submit=True,
    )
    approve_entry(actors["approver"], entry.pk)
    round_.entries.exclude(pk=entry.pk).update(state="not_started")
    publish_round(actors["admin"], round_.pk)
    return saved


# -- the history page ----------------------------------------------------------


@pytest.mark.parametrize("who", STAFF)
def test_everyone_with_a_role_sees_the_history_with_before_after_and_who(
    client, personas, saved, who
):
    page = signed_in(client, personas, who).get(HISTORY)

    assert page.status_code == 200
    rows = page.context["rows"]
    newest = rows[0]
    assert newest.event.actor == "cs.lead"
    assert newest.what == "Saved entry for December 2020"
    changes = {c.label: (c.before, c.after) for c in newest.changes}
    assert changes == {"Value": ("70.0%", "72.5%"), "Commentary": ("", "December was busy")}
    assert {c.label: (c.before, c.after) for c in rows[1].changes}["Value"] == ("", "70.0%")
    html = page.content.decode()
    assert "Calls answered" in html and "70.0%" in html and "December was busy" in html
    assert ("Revert this change" in html) is (who == "admin")


def test_the_history_refuses_an_outsider_and_asks_the_anonymous_to_sign_in(client, personas):
    assert client.get(HISTORY).status_code == 302
    assert signed_in(client, personas, "outsider").get(HISTORY).status_code == 403


def test_an_unknown_indicator_has_no_history(client, personas):
    page = signed_in(client, personas, "viewer").get("/indicators/1911/history/")

    assert page.status_code == 404
    html = page.content.decode()
    assert "There is no indicator with the reference “1911”" in html
    assert 'href="/indicators/191/history/"' in html


def test_the_staff_indicator_page_links_to_its_history(client, personas):
    page = signed_in(client, personas, "viewer").get("/indicators/191/")

    assert '<a href="/indicators/191/history/">History of changes</a>' in page.content.decode()


def test_the_history_comes_fifty_changes_to_a_page(client, personas, actors):
    from perfreport.registry.models import Indicator

    indicator = Indicator.objects.get(ref="191")
    for n in range(60):
        audit.record(
            actors["admin"], "update", audit.INDICATOR, indicator.pk, indicator=indicator,
            before={"title": f"Title {n}"}, after={"title": f"Title {n + 1}"},
        )  # fmt: skip
    signed_in(client, personas, "viewer")

    first, second = client.get(HISTORY), client.get(HISTORY, {"page": 2})

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 10
    assert first.context["rows"][0].changes[0].after == "Title 60"
    assert "Changes 51 to 60 of 60, newest first" in second.content.decode()
    assert 'href="?page=2"' in first.content.decode()


# -- reverting -----------------------------------------------------------------


def test_an_administrator_reverts_a_change_and_the_revert_is_recorded(client, personas, saved):
    event = latest_save(saved)
    signed_in(client, personas, "admin")

    response = client.post(
        f"/history/{event.pk}/revert", {**latest(event), "reason": "Typed in the wrong box"}
    )

    assert response.status_code == 302 and response["Location"] == HISTORY
    saved.refresh_from_db()
    assert (saved.value, saved.commentary) == (Decimal(70), "")
    revert = AuditEvent.objects.get(reverts=event)
    assert (revert.action, revert.actor, revert.reason) == ("revert", "bi.admin", "Typed in the wrong box")  # fmt: skip
    assert revert.after == {"value": "70", "commentary": ""}
    page = client.get(HISTORY)
    html = page.content.decode()
    assert "Reverted the change made by cs.lead" in html
    newest = page.context["rows"][0]
    assert newest.event == revert and newest.reverts_at is not None
    assert next(r for r in page.context["rows"] if r.event == event).reverted
    assert "Undoes the change of" in html


def test_a_revert_needs_a_reason_and_keeps_the_page(client, personas, saved):
    event = latest_save(saved)
    signed_in(client, personas, "admin")

    page = client.post(f"/history/{event.pk}/revert", {**latest(event), "reason": "  "})

    assert page.status_code == 200
    html = page.content.decode()
    assert "The change was not reverted" in html
    assert f'href="#reason-{event.pk}"' in html
    assert "Reason is required: say why the change is being undone" in html
    saved.refresh_from_db()
    assert saved.value == Decimal("72.5")
    assert not AuditEvent.objects.filter(action="revert").exists()


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_only_an_administrator_may_revert(client, personas, saved, who):
    event = latest_save(saved)
    count = AuditEvent.objects.count()

    response = signed_in(client, personas, who).post(
        f"/history/{event.pk}/revert", {"reason": "I prefer the old one"}
    )

    assert response.status_code == 403
    saved.refresh_from_db()
    assert saved.value == Decimal("72.5") and AuditEvent.objects.count() == count


def test_an_anonymous_revert_changes_nothing(client, saved):
    event = latest_save(saved)

    response = client.post(f"/history/{event.pk}/revert", {**latest(event), "reason": "Because"})

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="revert").exists()


def test_a_published_rounds_entry_is_restated_not_reverted(client, personas, open_round, actors):
    entry = publish_with_191(open_round, actors)
    event = AuditEvent.objects.get(object_id=str(entry.pk), action="submit")  # of 72.5
    count = AuditEvent.objects.count()
    signed_in(client, personas, "admin")

    page = client.get(HISTORY)
    row = next(r for r in page.context["rows"] if r.event == event)
    assert not row.can_revert and row.restate_instead
    assert f'href="/work/entries/{entry.pk}/restate"' in page.content.decode()

    refused = client.post(
        f"/history/{event.pk}/revert", {**latest(event), "reason": "Wrong figure"}
    )

    assert refused.status_code == 409
    html = refused.content.decode()
    assert "has been published: restate the value instead, with a reason" in html
    entry.refresh_from_db()
    assert entry.value == Decimal("72.5") and AuditEvent.objects.count() == count


def test_a_change_to_an_entry_since_deleted_cannot_be_reverted(client, personas, open_round, saved):
    event = latest_save(saved)
    open_round.delete()  # and its entries with it; the trail stays
    signed_in(client, personas, "admin")

    page = client.get(HISTORY)
    refused = client.post(f"/history/{event.pk}/revert", {**latest(event), "reason": "Put it back"})

    assert not next(r for r in page.context["rows"] if r.event == event).can_revert
    assert refused.status_code == 409
    assert "The entry this change was made to no longer exists" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="revert").exists()


def test_a_change_nothing_can_put_back_has_no_revert_form(client, personas, open_round, actors):
    """An approval changes only the state: there is no figure to put back."""
    publishable = entry_of(open_round, "190")
    save_entry(actors["lead"], publishable.pk, EntryInput(value="81"), version=1, submit=True)
    approve_entry(actors["approver"], publishable.pk)

    page = signed_in(client, personas, "admin").get("/indicators/190/history/")

    approval = page.context["rows"][0]
    assert approval.what.startswith("Approved entry")
    assert {c.label: c.after for c in approval.changes} == {"State": "Approved"}
    assert not approval.can_revert


# -- the public page's restatement note ----------------------------------------


def test_the_public_page_notes_a_figure_restated_after_publication(client, open_round, actors):
    """GIVEN 191's December figure published at 72.5% and restated at 74%
    THEN its public page for the round's quarter still shows 72.5%, with a
    note of the restatement."""
    entry = publish_with_191(open_round, actors)
    restate_entry(actors["lead"], entry.pk, EntryInput(value="74"), reason="late calls counted")
    entry.refresh_from_db()
    when = timezone.localtime(entry.restated_at)

    page = client.get("/public/indicators/191/", {"period": "2020/21 Q3"})

    html = page.content.decode()
    assert page.status_code == 200
    assert '<dd class="headline__figure">72.5%</dd>' in html
    assert (
        "Restated: the figure published for December 2020 was 72.5%; it is now 74.0% "
        f"({when.day} {when:%B %Y})."
    ) in html


def test_a_published_value_changed_outside_a_round_is_noted_too(client, imported_example):
    """GIVEN an imported, published value of 180 changed later."""
    from perfreport.data.models import Observation

    stored = Observation.objects.get(indicator__ref="180", period="2020/21 Q2")
    published = stored.value
    stored.value = Decimal("95.5")
    stored.save(update_fields=["value", *stored.value_changed(published, was_draft=False)])

    html = client.get("/public/indicators/180/", {"period": "2020/21 Q2"}).content.decode()

    assert "Restated: the figure published for Quarter 2 2020/21 was 97.83%; it is now 95.50%" in html  # fmt: skip


def test_the_public_page_has_no_note_when_nothing_was_restated(client, open_round, actors):
    publish_with_191(open_round, actors)

    html = client.get("/public/indicators/191/", {"period": "2020/21 Q3"}).content.decode()

    assert "Restated:" not in html and "72.5%" in html
