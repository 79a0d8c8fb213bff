"""Roles from single sign-on groups: the mapping a BI administrator edits on
the People page, and the roles it gives, applied at every sign-in. Each
write runs in one transaction and is recorded in the audit trail.

A grant that came from a group names it (``RoleGrant.via_group``); at each
sign-in those grants are replaced by what the person's groups map to now,
so a group taken away at the provider takes its role away. Roles given by
hand (on the People page, ``perfreport grant``) are never touched here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from perfreport.accounts.forms import Scope
from perfreport.accounts.models import Role, RoleGrant
from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.core.errors import Invalid
from perfreport.sso.models import GroupMapping

__all__ = ["groups_apply", "mapping_add", "mapping_remove", "mappings_for"]

MAPPING, GRANT = "group mapping", "grant"
MAPPING_FIELDS = ("group", "role", "directorate", "service", "indicator")
GRANT_FIELDS = ("user", "role", "directorate", "service", "indicator", "via_group")
GROUP_MOST = 256
NO_SCOPE = Scope()
GrantKey = tuple[str, str, int | None, int | None, int | None]


def mapping_add(actor: Actor, *, group: str, role: str, scope: Scope = NO_SCOPE) -> GroupMapping:
    """Members of ``group`` get ``role`` with its scope from their next
    sign-in. Raises Invalid naming the field (group, role or scope)."""
    actor.require_admin(gettext_noop("map single sign-on groups to roles"))
    group = group.strip()
    if not group:
        raise Invalid.one("group", "Enter the group's name or object id")
    if len(group) > GROUP_MOST:
        raise Invalid.one("group", f"The group must be {GROUP_MOST} characters or fewer")
    if role not in Role.values:
        raise Invalid.one("role", "Choose a role from the list")
    mapping = GroupMapping(group=group, role=role, **scope.fields())
    try:
        mapping.grant().clean()
    except ValidationError as error:
        text = "; ".join(error.messages)
        raise Invalid.one("scope", text[:1].upper() + text[1:]) from None
    with transaction.atomic():
        same = GroupMapping.objects.filter(group__iexact=group, role=role, **scope.fields())
        if same.exists():
            raise Invalid.one("group", f"The group {group} already gives that role")
        mapping.save()
        audit.record(
            actor, "create", MAPPING, mapping.pk, after=audit.fields_of(mapping, MAPPING_FIELDS)
        )
    return mapping


def mapping_remove(actor: Actor, mapping: GroupMapping) -> int:
    """The group no longer gives the role: taken away now from everyone who
    had it from that group (how many grants went). Roles given by hand stay."""
    actor.require_admin(gettext_noop("map single sign-on groups to roles"))
    reason = f"the group {mapping.group} no longer gives this role"
    with transaction.atomic():
        given = RoleGrant.objects.select_for_update().filter(
            via_group__iexact=mapping.group,
            role=mapping.role,
            directorate=mapping.directorate_id,
            service=mapping.service_id,
            indicator=mapping.indicator_id,
        )
        taken = 0
        for grant in given:
            before, pk = audit.fields_of(grant, GRANT_FIELDS), grant.pk
            grant.delete()
            audit.record(actor, "delete", GRANT, pk, before=before, reason=reason)
            taken += 1
        before = audit.fields_of(mapping, MAPPING_FIELDS)
        pk = mapping.pk
        mapping.delete()
        audit.record(actor, "delete", MAPPING, pk, before=before)
    return taken


def mappings_for(groups: Iterable[str]) -> list[GroupMapping]:
    """The mappings of these groups. Compared without regard to case: a
    group's name as typed, or its object id (a GUID) in either case."""
    folded = {str(group).strip().casefold() for group in groups}
    return [m for m in GroupMapping.objects.all() if m.group.casefold() in folded]


def _key(grant: RoleGrant | GroupMapping, group: str) -> GrantKey:
    return (
        group.casefold(),
        grant.role,
        grant.directorate_id,
        grant.service_id,
        grant.indicator_id,
    )


def groups_apply(user: Any, groups: Iterable[str], *, provider: str) -> tuple[int, int]:
    """Replace ``user``'s grants from groups by what ``groups`` map to now;
    (grants added, grants removed). Hand-given grants are kept. Each change
    is recorded as the person's own, with the reason."""
    actor = Actor(user=user)  # not Actor.of: its roles are what this changes
    reason = f"single sign-on: groups from {provider}"
    wanted = {_key(m, m.group): m for m in mappings_for(groups)}
    with transaction.atomic():
        held = RoleGrant.objects.select_for_update().filter(user=user).exclude(via_group="")
        have = {_key(grant, grant.via_group): grant for grant in held}
        removed = [have[key] for key in have.keys() - wanted.keys()]
        for grant in removed:
            before, pk = audit.fields_of(grant, GRANT_FIELDS), grant.pk
            grant.delete()
            audit.record(actor, "delete", GRANT, pk, before=before, reason=reason)
        added = [wanted[key] for key in wanted.keys() - have.keys()]
        for mapping in sorted(added, key=lambda m: m.pk):
            grant = mapping.grant(user=user)
            grant.save()
            after = audit.fields_of(grant, GRANT_FIELDS)
            audit.record(actor, "create", GRANT, grant.pk, after=after, reason=reason)
    if hasattr(user, "_perfreport_actor"):
        del user._perfreport_actor
    return len(added), len(removed)
