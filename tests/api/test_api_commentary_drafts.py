"""GET /api/indicators/{ref}/commentary/{period} without a token, or with a
viewer's token, never answers commentary or actions that are still drafts in an
open round: both get the published commentary, or 404 when none is published.
The tokens of those who write or sign off the round's figures (an owner, an
approver, a BI administrator) get the draft."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.usefixtures("imported_example")

TODAY = date(2021, 4, 1)
DEADLINE = date(2021, 4, 30)
DRAFT_COMMENTARY = "DRAFTCOMMENTARY-7f3a"
DRAFT_ACTIONS = "DRAFTACTIONS-9c1e"


def draft_commentary(analyst, service: str, round_period: str, ref: str):
    """GIVEN the round for ``round_period`` opened by a BI administrator, and
    the service's owner saving draft commentary and actions on ``ref``'s
    entry, its value kept as it is. Returns the owner."""
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import Actor, grant
    from perfreport.registry.models import Service
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import EntryInput, open_round, save_entry

    owner = User.objects.create_user("owner", "owner@example.org", "not used")
    grant(owner, "owner", service=Service.objects.get(name=service))
    opened = open_round(Actor.of(analyst), read_period(round_period), DEADLINE, today=TODAY)
    entry = opened.entries.filter(indicator__ref=ref).latest("first_month")
    value = "" if entry.value is None else format(entry.value, "f")
    typed = EntryInput(
        value=value,
        commentary=f"{DRAFT_COMMENTARY} not yet signed off.",
        actions=f"{DRAFT_ACTIONS} not yet signed off.",
    )
    save_entry(Actor.of(owner), entry.pk, typed, version=entry.version)
    return owner


def token_of(user, role: str | None = None, **scope) -> dict[str, str]:
    """The header that sends a new API token of ``user``'s, given ``role`` first."""
    from perfreport.accounts.permissions import grant
    from perfreport.api.models import ApiToken

    if role is not None:
        grant(user, role, **scope)
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.objects.issue(user, 'tests')[1]}"}


def a_viewer():
    from django.contrib.auth.models import User

    return User.objects.create_user("councillor", "councillor@example.org", "not used")


CASES = pytest.mark.parametrize(
    ("service", "round_period", "ref", "period"),
    [
        # over commentary the example published for September 2020
        ("Customer Services", "2020/21 Q2", "191", "2020-09"),
        # for a period with nothing published
        ("Digital Infrastructure", "2020/21 Q4", "180", "2020/21 Q4"),
    ],
)


@CASES
def test_the_public_never_get_draft_commentary(client, analyst, service, round_period, ref, period):
    from perfreport.data.models import Commentary

    published = Commentary.objects.filter(indicator__ref=ref, period=period).first()
    draft_commentary(analyst, service, round_period, ref)

    response = client.get(f"/api/indicators/{ref}/commentary/{period}")

    only_the_published(response, published)


@CASES
def test_a_viewers_token_never_gets_draft_commentary(
    client, analyst, service, round_period, ref, period
):
    from perfreport.data.models import Commentary

    published = Commentary.objects.filter(indicator__ref=ref, period=period).first()
    viewer = token_of(a_viewer(), "viewer")
    draft_commentary(analyst, service, round_period, ref)

    response = client.get(f"/api/indicators/{ref}/commentary/{period}", **viewer)

    only_the_published(response, published)
    public = client.get(f"/api/indicators/{ref}/commentary/{period}")
    assert (response.status_code, response.content) == (public.status_code, public.content)
    assert response.get("ETag") == public.get("ETag")  # the same answer, the same tag


@pytest.mark.parametrize("role", ["owner", "approver", "admin"])
def test_those_who_write_or_sign_off_get_the_draft_commentary(client, analyst, role):
    """The control: the same request with the token of the owner who wrote the
    draft, of the directorate's approver or of a BI administrator answers it."""
    from django.contrib.auth.models import User

    from perfreport.registry.models import Directorate

    owner = draft_commentary(analyst, "Digital Infrastructure", "2020/21 Q4", "180")
    if role == "owner":
        header = token_of(owner)
    elif role == "approver":
        director = User.objects.create_user("director", "director@example.org", "not used")
        header = token_of(
            director, "approver", directorate=Directorate.objects.get(name="Corporate Services")
        )
    else:
        header = token_of(analyst)

    response = client.get("/api/indicators/180/commentary/2020/21 Q4", **header)

    assert response.status_code == 200, response.content
    shown = response.json()
    assert shown["commentary"] == f"{DRAFT_COMMENTARY} not yet signed off."
    assert shown["actions"] == f"{DRAFT_ACTIONS} not yet signed off."


def only_the_published(response, published) -> None:
    """THEN the answer holds no draft: the published commentary and actions,
    or 404 when none are published."""
    body = response.content.decode()
    assert DRAFT_COMMENTARY not in body
    assert DRAFT_ACTIONS not in body
    if published is None:
        assert response.status_code == 404, body
    else:
        assert response.status_code == 200, body
        shown = response.json()
        assert (shown["commentary"], shown["actions"]) == (published.text, published.actions)
