"""Actions and projects in the round from the command line: opening says how
many updates the round asks for, and publishing waits for updates not
approved (the command line gives no reason to leave them out)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from cli_helpers import run


@pytest.fixture
def database(example_for_module, db) -> None:
    """The example imported once for the module, with its plan's actions."""


def test_opening_says_how_many_action_updates_and_publishing_waits_for_a_draft(database):
    from perfreport.accounts.permissions import Actor
    from perfreport.data.models import ActionUpdate
    from perfreport.rounds.action_updates import ActionInput, save_action_update

    deadline = (date.today() + timedelta(days=14)).isoformat()
    opened = run("round", "open", "--period", "2020/21 Q3", "--deadline", deadline)
    assert opened.returncode == 0, opened.stderr
    updates = list(ActionUpdate.objects.filter(round__isnull=False, period="2020/21 Q3"))
    assert updates, "the example's plan has actions running in 2020/21 Q3"
    assert (
        f"{len(updates)} action update{'s' if len(updates) != 1 else ''} to make" in opened.stdout
    )

    first = updates[0]
    save_action_update(Actor.command_line(), first.pk, ActionInput("10", "Begun"), version=1)
    refused = run("round", "publish", "--period", "2020/21 Q3")
    assert refused.returncode != 0
    assert f"{first.action.ref} (draft)" in refused.stderr
