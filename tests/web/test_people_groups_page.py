"""The People page's single sign-on groups: a BI administrator maps a group
to a role and scope and removes the mapping; each change is in the audit
trail, a wrong form names the field and keeps what was typed, and nobody
else may do it."""

from __future__ import annotations

import html
from typing import Any

import pytest
from browser import PASSWORD
from django.contrib.auth.models import User
from django.urls import reverse

from perfreport.accounts.models import RoleGrant
from perfreport.accounts.permissions import grant
from perfreport.audit.models import AuditEvent
from perfreport.registry.models import Directorate
from perfreport.sso.models import GroupMapping

pytestmark = pytest.mark.django_db

GUID = "6f1c2b7e-93d4-4a51-8c0e-2f5d9a3b7c11"


@pytest.fixture
def housing() -> Directorate:
    return Directorate.objects.create(name="Housing")


@pytest.fixture
def admin(client: Any) -> Any:
    boss = User.objects.create_user("bi.admin", "bi.admin@example.org", PASSWORD)
    grant(boss, "admin")
    client.force_login(boss)
    return client


def add(client: Any, **form: str) -> Any:
    return client.post(reverse("web:group_add"), form)


def test_an_administrator_maps_a_group_to_an_approver_of_a_directorate(admin, housing):
    response = add(
        admin,
        group=" PR-Approvers-Housing ",
        group_role="approver",
        group_scope=f"directorate:{housing.pk}",
    )

    assert response.status_code == 303
    assert response["Location"] == "/people/#groups-heading"
    mapping = GroupMapping.objects.get()
    assert (mapping.group, mapping.role, mapping.directorate) == (
        "PR-Approvers-Housing",
        "approver",
        housing,
    )
    event = AuditEvent.objects.get(object_type="group mapping")
    assert (event.action, event.actor, event.after) == (
        "create",
        "bi.admin",
        {
            "group": "PR-Approvers-Housing",
            "role": "approver",
            "directorate": housing.pk,
            "service": None,
            "indicator": None,
        },
    )
    page = admin.get(response["Location"]).content.decode()
    assert "PR-Approvers-Housing" in page and "Directorate: Housing" in page
    assert "Members of PR-Approvers-Housing get the role Approver for Housing" in page


def test_a_group_object_id_is_taken_as_written(admin):
    add(admin, group=GUID, group_role="viewer", group_scope="")

    assert GroupMapping.objects.get().group == GUID


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        pytest.param(
            {"group": "", "group_role": "viewer"},
            "group",
            "Enter the group's name or object id",
            id="no_group",
        ),
        pytest.param({"group": "G", "group_role": ""}, "group_role", "Choose a role", id="no_role"),
        pytest.param(
            {"group": "G", "group_role": "boss"},
            "group_role",
            "Choose a role from the list",
            id="unknown_role",
        ),
        pytest.param(
            {"group": "G", "group_role": "owner"},
            "group_scope",
            "An owner's grant names one",
            id="owner_without_scope",
        ),
        pytest.param(
            {"group": "G", "group_role": "viewer", "group_scope": "directorate:999"},
            "group_scope",
            "Choose a directorate, service or indicator",
            id="unknown_scope",
        ),
        pytest.param(
            {"group": "G\x01", "group_role": "viewer"},
            "group",
            "The group holds a control character",
            id="control_character",
        ),
    ],
)
def test_a_wrong_mapping_names_the_field_and_keeps_what_was_typed(admin, form, field, message):
    response = add(admin, **{"group_scope": "", **form})

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f'<a href="#id_{field}">' in page
    assert message in page
    assert 'value="G' in page or form["group"] == ""
    assert not GroupMapping.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_same_mapping_twice_is_refused_naming_the_group(admin, housing):
    add(admin, group="PR-Viewers", group_role="viewer", group_scope="")
    response = add(admin, group="pr-viewers", group_role="viewer", group_scope="")

    assert response.status_code == 400
    assert "The group pr-viewers already gives that role" in response.content.decode()
    assert GroupMapping.objects.count() == 1


def test_removing_a_mapping_takes_its_role_away_now_and_keeps_roles_given_by_hand(admin, housing):
    person = User.objects.create_user("sam")
    mapping = GroupMapping.objects.create(
        group="PR-Approvers-Housing", role="approver", directorate=housing
    )
    RoleGrant.objects.create(
        user=person, role="approver", directorate=housing, via_group="PR-Approvers-Housing"
    )
    RoleGrant.objects.create(user=person, role="approver", directorate=housing)  # by hand

    response = admin.post(reverse("web:group_remove", args=[mapping.pk]))

    assert response.status_code == 303
    assert not GroupMapping.objects.exists()
    assert list(RoleGrant.objects.filter(user=person).values_list("via_group", flat=True)) == [""]
    events = AuditEvent.objects.order_by("pk")
    assert [(e.object_type, e.action) for e in events] == [
        ("grant", "delete"),
        ("group mapping", "delete"),
    ]
    assert "taken away from 1 person" in admin.get("/people/").content.decode()


def test_only_a_bi_administrator_may_map_groups(client, housing):
    viewer = User.objects.create_user("viewer")
    grant(viewer, "viewer")
    client.force_login(viewer)
    mapping = GroupMapping.objects.create(group="G", role="viewer")

    assert add(client, group="G2", group_role="admin", group_scope="").status_code == 403
    assert client.post(reverse("web:group_remove", args=[mapping.pk])).status_code == 403
    assert GroupMapping.objects.count() == 1


def test_the_page_says_when_single_sign_on_is_not_set_up(admin):
    page = admin.get("/people/").content.decode()

    assert "Single sign-on is not set up" in page
    assert "No group gives a role yet." in page
