"""Every role against every step of the round, through the service layer
that the pages, the API and the command line all call. A refused step
changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from round_helpers import DEADLINE, TODAY, entry_of

from perfreport.audit.models import AuditEvent
from perfreport.data.models import Entry, Round
from perfreport.registry.periods import read_period
from perfreport.rounds import revert, services
from perfreport.rounds.services import EntryInput, NotAllowed

pytestmark = pytest.mark.django_db

PEOPLE = ("admin", "lead", "it_lead", "approver", "viewer", "outsider")

# Who may do each step: everyone else is refused.
ALLOWED = {
    "view internal pages": {"admin", "lead", "it_lead", "approver", "viewer"},
    "open a round": {"admin"},
    "enter 191 (Customer Services)": {"admin", "lead"},
    "enter 194 (one IT indicator)": {"admin", "it_lead"},
    "enter 195 (IT, not owned)": {"admin"},
    "approve 191": {"admin", "approver"},
    "return 191": {"admin", "approver"},
    "publish the round": {"admin"},
    "restate 191": {"admin", "lead"},
    "revert a change": {"admin"},
}


def _submitted(actors, open_round):
    entry = entry_of(open_round, "191")
    services.save_entry(
        actors["lead"], entry.pk, EntryInput(value="88"), version=entry.version, submit=True
    )
    return entry


def _published(actors, open_round):
    entry = _submitted(actors, open_round)
    services.approve_entry(actors["approver"], entry.pk)
    services.publish_round(actors["admin"], open_round.pk)
    return entry


def _enter(ref):
    def step(actor, actors, open_round):
        entry = entry_of(open_round, ref)
        services.save_entry(actor, entry.pk, EntryInput(value="91"), version=entry.version)

    return step


def _open(actor, actors, open_round):
    services.open_round(actor, read_period("2020/21 Q4"), date(2021, 4, 15), today=TODAY)


def _approve(actor, actors, open_round):
    services.approve_entry(actor, _submitted(actors, open_round).pk)


def _return(actor, actors, open_round):
    services.return_entry(actor, _submitted(actors, open_round).pk, "check the figure")


def _publish(actor, actors, open_round):
    services.publish_round(actor, open_round.pk)


def _restate(actor, actors, open_round):
    entry = _published(actors, open_round)
    services.restate_entry(actor, entry.pk, EntryInput(value="87"), reason="late returns")


def _revert(actor, actors, open_round):
    entry = entry_of(open_round, "190")
    services.save_entry(actors["lead"], entry.pk, EntryInput(value="50"), version=entry.version)
    event = AuditEvent.objects.filter(object_type="entry", object_id=str(entry.pk)).first()
    revert.revert_event(actor, event.pk, "typed in the wrong box")


def _view(actor, actors, open_round):
    actor.require_internal()


STEPS = {
    "view internal pages": _view,
    "open a round": _open,
    "enter 191 (Customer Services)": _enter("191"),
    "enter 194 (one IT indicator)": _enter("194"),
    "enter 195 (IT, not owned)": _enter("195"),
    "approve 191": _approve,
    "return 191": _return,
    "publish the round": _publish,
    "restate 191": _restate,
    "revert a change": _revert,
}


def _state():
    """Everything a step could change."""
    return (
        list(Round.objects.values_list("pk", "state", "snapshot").order_by("pk")),
        list(Entry.objects.values_list("pk", "state", "value", "version").order_by("pk")),
    )


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("step", list(STEPS))
def test_role_against_step(step, person, actors, open_round):
    assert open_round.deadline == DEADLINE
    actor = actors[person]
    if person in ALLOWED[step]:
        STEPS[step](actor, actors, open_round)
        return
    # Set up what the step needs (done by those allowed), then try it.
    with pytest.raises(NotAllowed):
        _attempt(step, actor, actors, open_round)


def _attempt(step, actor, actors, open_round):
    """Run the step's set-up as its rightful people, then check that the
    refused attempt leaves everything as it was."""
    setups = {
        "approve 191": lambda: _submitted(actors, open_round),
        "return 191": lambda: _submitted(actors, open_round),
        "restate 191": lambda: _published(actors, open_round),
    }
    entry = setups[step]() if step in setups else None
    before = _state()
    events = AuditEvent.objects.count()
    try:
        if step == "approve 191":
            services.approve_entry(actor, entry.pk)
        elif step == "return 191":
            services.return_entry(actor, entry.pk, "check")
        elif step == "restate 191":
            services.restate_entry(actor, entry.pk, EntryInput(value="87"), reason="late")
        else:
            STEPS[step](actor, actors, open_round)
    finally:
        if step != "revert a change":  # its set-up saves (as the lead) before the refusal
            assert _state() == before
            assert AuditEvent.objects.count() == events
