"""Who a subscription goes to, found when it is sent: a person's address, the
addresses of every active holder of a role (optionally only those whose role
lies in one directorate), or an outside address. People who left a role's
subscription, deactivated accounts and accounts without an address are left
out; each address gets the report once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from perfreport.accounts.models import RoleGrant
from perfreport.distribution.models import RecipientKind, Subscription


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user: Any = None  # the account, for a person or a role's holder


def recipients_of(subscription: Subscription) -> list[Recipient]:
    """The addresses a subscription goes to now, in address order."""
    if subscription.recipient_kind == RecipientKind.ADDRESS:
        found = [Recipient(subscription.email, subscription.name or subscription.email)]
    elif subscription.recipient_kind == RecipientKind.PERSON:
        found = [_of(subscription.user)] if _reachable(subscription.user) else []
    else:
        found = [_of(user) for user in _holders(subscription) if _reachable(user)]
    left = set(subscription.opt_outs.values_list("email", flat=True))
    unique = {r.email.lower(): r for r in found if r.email.lower() not in left}
    return [unique[key] for key in sorted(unique)]


def _reachable(user: Any) -> bool:
    return user is not None and user.is_active and bool(user.email)


def _of(user: Any) -> Recipient:
    return Recipient(user.email.lower(), user.get_full_name() or user.get_username(), user)


def _holders(subscription: Subscription) -> list[Any]:
    grants = RoleGrant.objects.filter(role=subscription.role).select_related("user")
    directorate = subscription.role_directorate_id
    if directorate is not None:
        grants = grants.filter(
            Q(directorate_id=directorate)
            | Q(service__directorate_id=directorate)
            | Q(indicator__directorate_id=directorate)
        )
    return list({grant.user_id: grant.user for grant in grants}.values())
