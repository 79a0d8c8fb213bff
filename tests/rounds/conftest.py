"""Personas for the quarterly round, on the seed's data: one for each role,
and an outsider who has an account but no role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from round_helpers import DEADLINE, PASSWORD, ROUND_PERIOD, TODAY


@dataclass
class Personas:
    admin: Any  # BI administrator
    lead: Any  # service lead for Customer Services (190, 191, 192)
    it_lead: Any  # owner of one indicator, 194
    approver: Any  # signs off Corporate Services
    viewer: Any
    outsider: Any  # an account with no role

    def all(self) -> dict[str, Any]:
        return dict(vars(self))


def make_personas() -> Personas:
    from django.contrib.auth.models import User

    from perfreport.accounts.permissions import grant
    from perfreport.registry.models import Directorate, Indicator, Service

    def person(name: str) -> Any:
        return User.objects.create_user(name, f"{name}@example.org", PASSWORD)

    people = Personas(
        admin=person("bi.admin"),
        lead=person("cs.lead"),
        it_lead=person("it.owner"),
        approver=person("cs.director"),
        viewer=person("councillor"),
        outsider=person("outsider"),
    )
    grant(people.admin, "admin")
    grant(people.lead, "owner", service=Service.objects.get(name="Customer Services"))
    grant(people.it_lead, "owner", indicator=Indicator.objects.get(ref="194"))
    grant(
        people.approver, "approver", directorate=Directorate.objects.get(name="Corporate Services")
    )
    grant(people.viewer, "viewer")
    return people


@pytest.fixture(scope="module", autouse=True)
def _personas_once_a_module(
    request: pytest.FixtureRequest,
    _example_once_a_module: None,
    shared_in_module: Callable[[pytest.FixtureRequest, str], bool],
    django_db_blocker: Any,
) -> dict[str, int] | None:
    """The personas' ids, where they are made once for the module (every test
    of it that uses the database asks for them: see tests/conftest.py)."""
    if not shared_in_module(request, "personas"):
        return None
    with django_db_blocker.unblock():
        return {name: user.pk for name, user in make_personas().all().items()}


@pytest.fixture
def personas(imported_example: None, _personas_once_a_module: dict[str, int] | None) -> Personas:
    """The personas, on the seed's data: made for the test, or made once for
    the module and read afresh from the database for each test."""
    if _personas_once_a_module is None:
        return make_personas()
    from django.contrib.auth.models import User

    users = User.objects.in_bulk(list(_personas_once_a_module.values()))
    return Personas(**{name: users[pk] for name, pk in _personas_once_a_module.items()})


@pytest.fixture
def actors(personas: Personas) -> dict[str, Any]:
    from perfreport.accounts.permissions import Actor

    return {name: Actor.of(user) for name, user in personas.all().items()}


@pytest.fixture
def open_round(actors: dict[str, Any]) -> Any:
    """The round for 2020/21 Q3, opened by the BI administrator."""
    from perfreport.registry.periods import read_period
    from perfreport.rounds.services import open_round

    return open_round(actors["admin"], read_period(ROUND_PERIOD), DEADLINE, today=TODAY)
