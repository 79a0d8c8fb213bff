"""GET /api/indicators/{ref}/commentary/{period} without a token never answers
commentary or actions that are still drafts in an open round: the public get
the published commentary, or 404 when none is published."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.usefixtures("imported_example")

TODAY = date(2021, 4, 1)
DEADLINE = date(2021, 4, 30)
DRAFT_COMMENTARY = "DRAFTCOMMENTARY-7f3a"
DRAFT_ACTIONS = "DRAFTACTIONS-9c1e"


def draft_commentary(analyst, service: str, round_period: str, ref: str) -> None:
    """GIVEN the round for ``round_period`` opened by a BI administrator, and
    the service's owner saving draft commentary and actions on ``ref``'s
    entry, its value kept as it is."""
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import Actor, grant
    from perfreport.registry.models import Service
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import EntryInput, open_round, save_entry

    owner = User.objects.create_user("owner", "owner@example.org", "not used")
    grant(owner, "owner", service=Service.objects.get(name=service))
    opened = open_round(Actor.of(analyst), read_period(round_period), DEADLINE, today=TODAY)
    entry = opened.entries.get(indicator__ref=ref)
    value = "" if entry.value is None else format(entry.value, "f")
    typed = EntryInput(
        value=value,
        commentary=f"{DRAFT_COMMENTARY} not yet signed off.",
        actions=f"{DRAFT_ACTIONS} not yet signed off.",
    )
    save_entry(Actor.of(owner), entry.pk, typed, version=entry.version)


@pytest.mark.parametrize(
    ("service", "round_period", "ref", "period"),
    [
        # over commentary the example published for September 2020
        ("Customer Services", "2020/21 Q2", "191", "2020-09"),
        # for a period with nothing published
        ("Digital Infrastructure", "2020/21 Q4", "180", "2020/21 Q4"),
    ],
)
def test_the_public_never_get_draft_commentary(client, analyst, service, round_period, ref, period):
    from perfreport.data.models import Commentary

    published = Commentary.objects.filter(indicator__ref=ref, period=period).first()
    draft_commentary(analyst, service, round_period, ref)

    response = client.get(f"/api/indicators/{ref}/commentary/{period}")

    body = response.content.decode()
    assert DRAFT_COMMENTARY not in body
    assert DRAFT_ACTIONS not in body
    if published is None:
        assert response.status_code == 404, body
    else:
        assert response.status_code == 200, body
        shown = response.json()
        assert (shown["commentary"], shown["actions"]) == (published.text, published.actions)
