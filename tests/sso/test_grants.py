"""Roles from single sign-on groups, applied at each sign-in: what the
groups map to now replaces what groups gave before; roles given by hand are
never touched; nothing changes, and nothing is recorded, when nothing has."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from perfreport.accounts.models import RoleGrant
from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Directorate
from perfreport.sso.grants import groups_apply
from perfreport.sso.models import GroupMapping

pytestmark = pytest.mark.django_db

GUID = "6F1C2B7E-93D4-4A51-8C0E-2F5D9A3B7C11"


@pytest.fixture
def person() -> User:
    return User.objects.create_user("sam")


def held(user: User) -> list[tuple[str, str]]:
    return sorted(RoleGrant.objects.filter(user=user).values_list("role", "via_group"))


def test_a_group_sent_as_an_object_id_matches_in_either_case(person):
    GroupMapping.objects.create(group=GUID.lower(), role="viewer")

    assert groups_apply(person, [GUID], provider="Entra ID") == (1, 0)
    assert held(person) == [("viewer", GUID.lower())]


def test_a_second_sign_in_with_the_same_groups_changes_and_records_nothing(person):
    GroupMapping.objects.create(group="PR-Viewers", role="viewer")
    groups_apply(person, ["PR-Viewers"], provider="Entra ID")
    recorded = AuditEvent.objects.count()

    assert groups_apply(person, ["PR-Viewers"], provider="Entra ID") == (0, 0)
    assert AuditEvent.objects.count() == recorded == 1


def test_each_group_gives_its_own_role_and_losing_one_takes_only_its_role(person):
    housing = Directorate.objects.create(name="Housing")
    GroupMapping.objects.create(group="PR-Approvers-Housing", role="approver", directorate=housing)
    GroupMapping.objects.create(group="PR-Viewers", role="viewer")
    RoleGrant.objects.create(user=person, role="admin")  # by hand
    groups_apply(person, ["PR-Approvers-Housing", "PR-Viewers", "Unmapped"], provider="p")

    assert groups_apply(person, ["PR-Viewers"], provider="p") == (0, 1)
    assert held(person) == [("admin", ""), ("viewer", "PR-Viewers")]
    [taken] = AuditEvent.objects.filter(action="delete")
    assert (taken.user, taken.before["directorate"], taken.reason) == (
        person,
        housing.pk,
        "single sign-on: groups from p",
    )


def test_no_groups_at_all_takes_every_role_from_groups_and_keeps_the_rest(person):
    GroupMapping.objects.create(group="PR-Viewers", role="viewer")
    RoleGrant.objects.create(user=person, role="viewer")  # the same role, by hand
    groups_apply(person, ["PR-Viewers"], provider="p")

    groups_apply(person, [], provider="p")

    assert held(person) == [("viewer", "")]
