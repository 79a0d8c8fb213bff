"""Subscriptions written one way: created, changed and deleted by a BI
administrator (the Distribution page), ended by a recipient's unsubscribe
link. Each write runs in one transaction with its audit record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.distribution.models import OptOut, RecipientKind, Subscription

SUBSCRIPTION = "subscription"  # what the audit trail calls one
FIELDS = (
    "recipient_kind",
    "user",
    "role",
    "role_directorate",
    "name",
    "email",
    "report",
    "directorate",
    "delivery",
    "on_publish",
)


@dataclass(frozen=True)
class SubscriptionInput:
    """A subscription as the form checked it: only the fields its kinds use
    are set (a person's has no role, an address's no account)."""

    recipient_kind: str
    report: str
    delivery: str
    on_publish: bool
    user: Any = None
    role: str = ""
    role_directorate: Any = None
    name: str = ""
    email: str = ""
    directorate: Any = None

    def fields(self) -> dict[str, Any]:
        person = self.recipient_kind == RecipientKind.PERSON
        role = self.recipient_kind == RecipientKind.ROLE
        address = self.recipient_kind == RecipientKind.ADDRESS
        return {
            "recipient_kind": self.recipient_kind,
            "user": self.user if person else None,
            "role": self.role if role else "",
            "role_directorate": self.role_directorate if role else None,
            "name": self.name if address else "",
            "email": self.email.lower() if address else "",
            "report": self.report,
            "directorate": self.directorate if self.report == "directorate" else None,
            "delivery": self.delivery,
            "on_publish": self.on_publish,
        }


def subscription_create(actor: Actor, data: SubscriptionInput) -> Subscription:
    actor.require_admin(gettext_noop("add subscriptions to reports"))
    with transaction.atomic():
        subscription = Subscription.objects.create(created_by=actor.user, **data.fields())
        audit.record(
            actor,
            "create",
            SUBSCRIPTION,
            subscription.pk,
            after=audit.fields_of(subscription, FIELDS),
        )
    return subscription


def subscription_update(
    actor: Actor, subscription: Subscription, data: SubscriptionInput
) -> Subscription:
    actor.require_admin(gettext_noop("change subscriptions to reports"))
    with transaction.atomic():
        before = audit.fields_of(subscription, FIELDS)
        for name, value in data.fields().items():
            setattr(subscription, name, value)
        subscription.save()
        audit.record_change(actor, subscription, SUBSCRIPTION, before)
    return subscription


def subscription_delete(actor: Actor, subscription: Subscription) -> None:
    """Delete a subscription; its sendings stay in the history."""
    actor.require_admin(gettext_noop("delete subscriptions to reports"))
    with transaction.atomic():
        before = audit.fields_of(subscription, FIELDS)
        pk = subscription.pk
        subscription.delete()
        audit.record(actor, "delete", SUBSCRIPTION, pk, before=before)


def subscription_unsubscribe(
    subscription: Subscription, email: str, actor: Actor | None = None
) -> bool:
    """End ``subscription`` for ``email``, as its unsubscribe link asks (no
    ``actor``: the public, holding the link) or the person does on their
    own subscriptions' page: a person's or an outside address's subscription
    is ended; a role's goes on for its other holders, without this address.
    False when it was already ended for them (nothing changes)."""
    email = email.lower()
    how = "their subscriptions page" if actor else f"the unsubscribe link in an email to {email}"
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.recipient_kind == RecipientKind.ROLE:
            _, created = OptOut.objects.get_or_create(subscription=locked, email=email)
            if not created:
                return False
            change = {"left": email}
        else:
            if locked.ended_at is not None:
                return False
            locked.ended_at, locked.ended_by = timezone.now(), email
            locked.save(update_fields=["ended_at", "ended_by"])
            change = {"ended": locked.ended_at.isoformat(), "ended by": email}
        audit.record(
            actor or Actor(), "unsubscribe", SUBSCRIPTION, locked.pk, after=change, reason=how
        )
    return True


def subscriptions_reaching(user: Any) -> list[Subscription]:
    """The active subscriptions that send ``user`` a report now."""
    from perfreport.distribution.recipients import recipients_of

    if not user.email:
        return []
    found = Subscription.objects.active().select_related("user", "directorate", "role_directorate")
    mine = user.email.lower()
    return [s for s in found if any(r.email == mine for r in recipients_of(s))]


def is_unsubscribed(subscription: Subscription, email: str) -> bool:
    if subscription.recipient_kind == RecipientKind.ROLE:
        return subscription.opt_outs.filter(email=email.lower()).exists()
    return subscription.ended_at is not None
