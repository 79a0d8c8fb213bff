"""Actions and projects in the round, through the services: which updates
opening a round makes, who may update and sign them off, every step of an
update's life, publishing it onto the action, and restating it after."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from action_helpers import make_actions, update_of
from round_helpers import DEADLINE, ROUND_PERIOD, TODAY

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.audit.models import AuditEvent
from perfreport.core.errors import Invalid, Refused
from perfreport.core.plan import ActionStatus
from perfreport.core.workflow import TransitionError
from perfreport.data.models import ActionUpdate, DataVersion
from perfreport.registry.periods import read_period
from perfreport.rounds import services
from perfreport.rounds.action_updates import (
    ActionConflict,
    ActionInput,
    approve_action_update,
    restate_action_update,
    return_action_update,
    save_action_update,
    update_status,
)

pytestmark = pytest.mark.django_db
LATER = date(2021, 1, 10)


@pytest.fixture
def actions(personas):
    return make_actions(personas.it_lead)


@pytest.fixture
def opened(actors, actions):
    return services.open_round(actors["admin"], read_period(ROUND_PERIOD), DEADLINE, today=TODAY)


def typed(percent="40", note="Adverts are out.", done_on="", **milestones):
    return ActionInput(percent, note, done_on, {int(k[1:]): v for k, v in milestones.items()})


def save(actor, update, entry=None, **kwargs):
    entry = entry or typed()
    return save_action_update(
        actor, update.pk, entry, version=update.version, today=LATER, **kwargs
    )


def test_opening_a_round_makes_an_update_for_each_action_open_and_started(opened):
    """GIVEN A1 and P1 running, A2 complete and A3 starting after the quarter
    WHEN the round for 2020/21 Q3 is opened
    THEN A1 and P1 have an update not started for the quarter, A2 and A3 none."""
    updates = ActionUpdate.objects.filter(round=opened)
    assert sorted(u.action.ref for u in updates) == ["A1", "P1"]
    assert {(u.state, u.period, u.version) for u in updates} == {("not_started", ROUND_PERIOD, 1)}
    event = AuditEvent.objects.get(object_type="round", action="open")
    assert event.after["action updates"] == 2


def test_an_action_with_an_update_for_the_period_already_gets_no_other(actors, actions):
    period = read_period(ROUND_PERIOD)
    ActionUpdate.objects.create(
        action=actions["P1"], state="published", percent_complete=Decimal(30), note="Imported",
        frequency="quarterly", first_month=period.first_month, last_month=period.last_month,
        period=period.label,
    )  # fmt: skip
    opened = services.open_round(actors["admin"], period, DEADLINE, today=TODAY)
    assert [u.action.ref for u in opened.action_updates.all()] == ["A1"]


def test_owners_are_the_action_owner_and_owners_of_the_indicators_it_serves(actors, opened):
    a1, p1 = update_of(opened, "A1"), update_of(opened, "P1")
    assert save(actors["lead"], a1).state == "draft"  # owns 191, which A1 serves
    assert save(actors["it_lead"], p1).state == "draft"  # P1's owner by name
    assert save(actors["admin"], update_of(opened, "P1")).version == 3
    for name, update in (("lead", p1), ("it_lead", a1), ("approver", a1), ("outsider", a1)):
        with pytest.raises(NotAllowed, match="may not update"):
            save(actors[name], update_of(opened, update.action.ref))


def test_approvers_are_those_of_its_directorate_and_administrators(actors, opened):
    a1 = save(actors["lead"], update_of(opened, "A1"), submit=True)
    p1 = save(actors["it_lead"], update_of(opened, "P1"), submit=True)
    assert approve_action_update(actors["approver"], a1.pk, version=a1.version).state == "approved"
    with pytest.raises(NotAllowed, match="may not sign off project P1"):
        approve_action_update(actors["approver"], p1.pk, version=p1.version)
    with pytest.raises(NotAllowed):
        return_action_update(actors["lead"], p1.pk, "No", version=p1.version)
    assert approve_action_update(actors["admin"], p1.pk).state == "approved"


def test_nobody_approves_their_own_submission(actors, personas, opened):
    from perfreport.accounts.permissions import grant

    grant(personas.lead, "approver")
    lead = Actor.of(personas.lead)
    a1 = save(lead, update_of(opened, "A1"), submit=True)
    with pytest.raises(NotAllowed, match="yourself"):
        approve_action_update(lead, a1.pk, version=a1.version)


def test_an_update_goes_through_the_round_and_every_step_is_audited(actors, opened):
    """GIVEN A1's update
    WHEN its owner saves, submits, the approver returns it with a reason, the
    owner submits again, the approver approves and the round is published
    THEN each step follows the round's rules, is in the audit trail, bumps
    the data version, and publishing writes the update onto the action."""
    a1 = update_of(opened, "A1")
    first_milestone = a1.action.milestones.get(title="Adverts placed")
    version = DataVersion.objects.get(pk=1).number
    a1 = save(actors["lead"], a1, typed("40", "Adverts placed."))
    assert DataVersion.objects.get(pk=1).number == version + 1
    a1 = save(actors["lead"], a1, typed("45", "Adverts out.", **{f"m{first_milestone.pk}": "2020-11-20"}), submit=True)  # fmt: skip
    with pytest.raises(Invalid) as refused:
        return_action_update(actors["approver"], a1.pk, "  ", version=a1.version)
    assert "reason" in refused.value.errors
    a1 = return_action_update(actors["approver"], a1.pk, "Say when staff start", version=a1.version)
    assert (a1.state, a1.return_reason) == ("returned", "Say when staff start")
    with pytest.raises(TransitionError):
        approve_action_update(actors["approver"], a1.pk, version=a1.version)
    a1 = save(actors["lead"], a1, typed("45", "Adverts out; staff start in February.", **{f"m{first_milestone.pk}": "20/11/2020"}), submit=True)  # fmt: skip
    a1 = approve_action_update(actors["approver"], a1.pk, version=a1.version)
    with pytest.raises(TransitionError, match="approved"):
        save(actors["lead"], a1)
    a1.action.refresh_from_db()
    assert a1.action.percent_complete is None  # nothing published yet

    services.publish_round(actors["admin"], opened.pk, reason="P1 is late")
    a1.refresh_from_db()
    a1.action.refresh_from_db()
    first_milestone.refresh_from_db()
    assert a1.state == "published" and a1.published_at is not None
    action = a1.action
    assert (action.percent_complete, action.progress, action.progress_period) == (
        Decimal(45),
        "Adverts out; staff start in February.",
        ROUND_PERIOD,
    )
    assert first_milestone.completed_on == date(2020, 11, 20)
    steps = AuditEvent.objects.filter(object_type="action update", object_id=str(a1.pk))
    assert [e.action for e in steps.order_by("at", "pk")] == [
        "save", "submit", "return", "submit", "approve"
    ]  # fmt: skip
    assert steps.get(action="return").reason == "Say when staff start"
    published = AuditEvent.objects.get(object_type="round", action="publish")
    assert published.after["action updates published"] == 1
    assert published.after["action updates not approved"] == 0  # P1 not started: no update
    assert update_status(a1).status is ActionStatus.ON_TRACK


def test_what_cannot_be_read_is_refused_field_by_field(actors, opened):
    a1 = update_of(opened, "A1")
    milestone = a1.action.milestones.first()
    with pytest.raises(Invalid) as refused:
        save(actors["lead"], a1, typed("140", "x", "soon", **{f"m{milestone.pk}": "2021-02-01"}))
    errors = refused.value.errors
    assert "outside 0 to 100" in errors["percent"]
    assert "not a date" in errors["completed_on"]
    assert "in the future" in errors[f"m{milestone.pk}"]
    with pytest.raises(Invalid) as refused:
        save(actors["lead"], a1, typed("", ""), submit=True)
    assert set(refused.value.errors) == {"percent", "note"}
    a1.refresh_from_db()
    assert (a1.state, a1.version) == ("not_started", 1)


def test_a_save_against_an_older_version_is_refused_with_what_changed(actors, opened):
    a1 = update_of(opened, "A1")
    save(actors["admin"], a1, typed("60", "Theirs"))
    with pytest.raises(ActionConflict) as refused:
        save(actors["lead"], a1, typed("40", "Mine"))  # still version 1
    changes = {name: (theirs, yours) for name, _, theirs, yours in refused.value.changes}
    assert changes["percent_complete"] == ("60", "40") and changes["note"] == ("Theirs", "Mine")
    assert update_of(opened, "A1").note == "Theirs"


def test_publishing_leaves_out_updates_not_approved_and_the_command_line_waits(actors, opened):
    save(actors["lead"], update_of(opened, "A1"), submit=True)
    with pytest.raises(Refused, match="1 action updates are not approved yet: A1"):
        services.publish_round(Actor.command_line(), opened.pk)
    with pytest.raises(Invalid, match="1 action update not approved"):
        services.publish_round(actors["admin"], opened.pk, reason="")
    services.publish_round(actors["admin"], opened.pk, reason="A1 is not signed off")
    a1 = update_of(opened, "A1")
    a1.action.refresh_from_db()
    assert a1.state == "submitted" and a1.action.percent_complete is None


def test_publishing_refuses_when_an_update_changed_after_the_page_was_shown(actors, opened):
    seen_actions = {u.pk: u.version for u in opened.action_updates.all()}
    seen = dict(opened.entries.values_list("pk", "version"))
    save(actors["lead"], update_of(opened, "A1"))
    with pytest.raises(services.RoundChanged, match="A1"):
        services.publish_round(
            actors["admin"], opened.pk, seen=seen, reason="late", seen_actions=seen_actions
        )
    assert update_of(opened, "A1").state == "draft"


def test_a_published_update_is_restated_with_a_reason(actors, opened):
    a1 = save(actors["lead"], update_of(opened, "A1"), typed("40", "Adverts out."), submit=True)
    approve_action_update(actors["approver"], a1.pk)
    services.publish_round(actors["admin"], opened.pk, reason="P1 late")
    a1 = update_of(opened, "A1")
    with pytest.raises(TransitionError, match="published"):
        save(actors["lead"], a1)
    with pytest.raises(Invalid) as refused:
        restate_action_update(
            actors["lead"], a1.pk, typed("50", "x"), reason=" ", version=a1.version
        )
    assert "reason" in refused.value.errors
    with pytest.raises(NotAllowed):
        restate_action_update(actors["it_lead"], a1.pk, typed("50", "x"), reason="r")
    restate_action_update(
        actors["lead"], a1.pk, typed("30", "Only one advert was out."), reason="Miscounted",
        version=a1.version, today=LATER,
    )  # fmt: skip
    a1 = update_of(opened, "A1")
    a1.action.refresh_from_db()
    assert a1.restated_at is not None and a1.state == "published"
    assert (a1.action.percent_complete, a1.action.progress) == (
        Decimal(30),
        "Only one advert was out.",
    )
    event = AuditEvent.objects.get(object_type="action update", action="restate")
    assert event.reason == "Miscounted" and event.before["percent_complete"] == "40"


def test_opening_a_round_leaves_the_plan_showing_the_progress_published_before(actors, actions):
    """GIVEN P1 at 30% as the BI team set it
    WHEN a round opens and makes P1's update, not started
    THEN the staff and public plan still show 30% until the update is saved or published."""
    from perfreport.data.plan import load_plan

    actions["P1"].percent_complete = Decimal(30)
    actions["P1"].save()
    period = read_period(ROUND_PERIOD)
    opened = services.open_round(actors["admin"], period, DEADLINE, today=TODAY)
    assert load_plan(period, public=False).actions["P1"].percent == Decimal(30)
    assert load_plan(period, public=True).actions["P1"].percent == Decimal(30)
    save(actors["it_lead"], update_of(opened, "P1"), typed("45", "Cabling done"))
    assert load_plan(period, public=False).actions["P1"].percent == Decimal(45)
    assert load_plan(period, public=True).actions["P1"].percent == Decimal(30)
