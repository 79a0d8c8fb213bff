"""Approving from My work: the approver's list shows each submitted entry's
value, target, RAG rating and change, and several entries are approved at
once through the approve service, each audited; an entry that is refused is
named with the reason, and the rest are approved."""

from __future__ import annotations

import pytest
from round_helpers import entry_of

from perfreport.audit.models import AuditEvent
from perfreport.rounds.services import EntryInput, save_entry

pytestmark = pytest.mark.django_db

URL = "/work/approve"


def submitted(actors, open_round, ref, value, who="lead"):
    """GIVEN indicator ``ref`` submitted with ``value`` (with actions, in case it is Red)."""
    entry = entry_of(open_round, ref)
    save_entry(
        actors[who],
        entry.pk,
        EntryInput(value=value, actions="Recruiting advisers"),
        version=entry.version,
        submit=True,
    )
    entry.refresh_from_db()
    return entry


def ticked(*entries, versions=None):
    data = {"entry": [e.pk for e in entries]}
    for e in entries:
        data[f"version-{e.pk}"] = (versions or {}).get(e.pk, e.version)
    return data


def approvals(entry):
    return AuditEvent.objects.filter(object_id=str(entry.pk), action="approve").count()


def test_the_approvers_list_shows_value_target_rating_and_change(
    client, personas, actors, open_round
):
    """GIVEN 191 submitted at 70% (its target is 85%: Red)
    WHEN the approver opens My work
    THEN its row shows 70.0%, the target 85.0%, Red, the change, and a box to tick."""
    entry = submitted(actors, open_round, "191", "70")
    client.force_login(personas.approver)

    response = client.get("/work/")

    page = response.content.decode()
    assert response.status_code == 200
    row = page[page.index(f'id="approve-{entry.pk}"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="num nowrap">70.0%</td>' in row
    assert '<td class="num nowrap">85.0%</td>' in row
    assert "rag-red" in row and "Red" in row
    assert "compared with September 2020 (87.0%)" in row
    assert f'name="version-{entry.pk}" value="{entry.version}"' in row
    assert "Approve selected" in page


def test_several_entries_are_approved_at_once_each_audited(client, personas, actors, open_round):
    """GIVEN 190, 191 and 192 submitted by their lead
    WHEN the approver ticks 190 and 191 and presses Approve selected
    THEN those two are approved, each with its own audit event; 192 still awaits."""
    first = submitted(actors, open_round, "190", "95")
    second = submitted(actors, open_round, "191", "90")
    third = submitted(actors, open_round, "192", "5")
    client.force_login(personas.approver)

    response = client.post(URL, ticked(first, second), follow=True)

    assert response.redirect_chain[0] == ("/work/#approvals-heading", 303)
    page = response.content.decode()
    assert (
        "Approved 2 entries: Indicator 190 for December 2020; Indicator 191 for December 2020."
        in page
    )
    for entry in (first, second, third):
        entry.refresh_from_db()
    assert (first.state, second.state, third.state) == ("approved", "approved", "submitted")
    assert first.approved_by == personas.approver and second.approved_by == personas.approver
    assert approvals(first) == 1 and approvals(second) == 1 and approvals(third) == 0


def test_a_refused_entry_is_named_and_the_rest_are_approved(client, personas, actors, open_round):
    """GIVEN 190 submitted by the BI administrator themself, 191 submitted and
    then changed (returned and submitted again) after the list was shown, and
    192 submitted
    WHEN the administrator approves all three from the list they were shown
    THEN 192 is approved; 190 (their own) and 191 (changed) are each named
    with the reason, and stay submitted."""
    from perfreport.rounds.services import return_entry

    own = submitted(actors, open_round, "190", "95", who="admin")
    changed = submitted(actors, open_round, "191", "90")
    other = submitted(actors, open_round, "192", "5")
    shown = changed.version
    return_entry(actors["approver"], changed.pk, "Check the figure", version=changed.version)
    changed = submitted(actors, open_round, "191", "91")
    client.force_login(personas.admin)

    response = client.post(URL, ticked(own, changed, other, versions={changed.pk: shown}))

    assert response.status_code == 303
    page = client.get("/work/").content.decode()
    assert "Approved 1 entry: Indicator 192 for December 2020." in page
    assert (
        "Indicator 190 for December 2020 was not approved: you submitted indicator 190 yourself"
        in page
    )
    assert (
        "Indicator 191 for December 2020 was not approved: cs.lead changed it after the list "
        "was shown: look at it again." in page
    )
    for entry in (own, changed, other):
        entry.refresh_from_db()
    assert (own.state, changed.state, other.state) == ("submitted", "submitted", "approved")
    assert approvals(own) == 0 and approvals(changed) == 0 and approvals(other) == 1


def test_approving_nothing_says_so_and_changes_nothing(client, personas, actors, open_round):
    entry = submitted(actors, open_round, "191", "90")
    client.force_login(personas.approver)

    response = client.post(URL, {}, follow=True)

    assert "Select at least one entry to approve: nothing was approved." in (
        response.content.decode()
    )
    entry.refresh_from_db()
    assert entry.state == "submitted"


def test_someone_who_may_not_approve_is_refused_entry_by_entry(
    client, personas, actors, open_round
):
    """GIVEN 191 submitted WHEN its lead (an owner, not an approver) posts the form
    THEN it is refused, named, and stays submitted."""
    entry = submitted(actors, open_round, "191", "90")
    client.force_login(personas.lead)

    client.post(URL, ticked(entry))

    page = client.get("/work/").content.decode()
    assert "Indicator 191 for December 2020 was not approved:" in page
    entry.refresh_from_db()
    assert entry.state == "submitted" and approvals(entry) == 0


def test_the_public_cannot_approve(client, actors, open_round):
    entry = submitted(actors, open_round, "191", "90")

    response = client.post(URL, ticked(entry))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    entry.refresh_from_db()
    assert entry.state == "submitted"
