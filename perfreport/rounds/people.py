"""People and their roles, written by a BI administrator: from the People
page or with ``perfreport grant``. Each write checks the person acting is a
BI administrator (``NotAllowed``), checks a role's scope with
RoleGrant.clean() (``ValidationError``), runs in one transaction and is
recorded in the audit trail. Here, above the audit trail, because the
accounts app that holds the roles sits below it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from perfreport.accounts.emails import invitation
from perfreport.accounts.forms import Scope
from perfreport.accounts.languages import known_language, language_of, language_set
from perfreport.accounts.models import Role, RoleGrant
from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.core.errors import Invalid, Refused

__all__ = [
    "Scope",
    "invitation_send",
    "person_invite",
    "person_set_active",
    "person_set_language",
    "role_grant",
    "role_revoke",
]

# What the trail calls each (a role as the admin site's record of it does).
PERSON, GRANT = "person", "grant"
GRANT_FIELDS = ("user", "role", "directorate", "service", "indicator")
PERSON_FIELDS = ("username", "first_name", "email", "is_active")
NO_SCOPE = Scope()


def _forget_roles(user: Any) -> None:
    if hasattr(user, "_perfreport_actor"):
        del user._perfreport_actor


def role_grant(
    actor: Actor, *, user: Any, role: str, scope: Scope = NO_SCOPE
) -> tuple[RoleGrant, bool]:
    """Give ``user`` a role with its scope; (the grant, whether it is new).
    Giving a role already held changes nothing and records nothing."""
    actor.require_admin(gettext_noop("give people roles"))
    if role not in Role.values:
        raise ValidationError(f"there is no role {role!r}: choose one of {', '.join(Role.values)}")
    RoleGrant(user=user, role=role, **scope.fields()).clean()
    with transaction.atomic():
        # A role given by hand is its own grant, kept when single sign-on
        # replaces the grants that came from groups (via_group).
        grant, created = RoleGrant.objects.get_or_create(
            user=user, role=role, via_group="", **scope.fields()
        )
        if created:
            audit.record(
                actor, "create", GRANT, grant.pk, after=audit.fields_of(grant, GRANT_FIELDS)
            )
    _forget_roles(user)
    return grant, created


def role_revoke(actor: Actor, *, user: Any, role: str, scope: Scope = NO_SCOPE) -> int:
    """Take away ``user``'s role of that scope; how many grants went (0 or 1).
    A BI administrator may not take their own administrator role away: another
    one must, so that the last one cannot lock everyone out by mistake."""
    actor.require_admin(gettext_noop("take people's roles away"))
    if role == Role.ADMIN and actor.user is not None and actor.user.pk == user.pk:
        raise Refused("you cannot take away your own administrator role: ask another administrator")
    with transaction.atomic():
        grants = list(
            RoleGrant.objects.select_for_update().filter(user=user, role=role, **scope.fields())
        )
        for grant in grants:
            before = audit.fields_of(grant, GRANT_FIELDS)
            pk = grant.pk
            grant.delete()
            audit.record(actor, "delete", GRANT, pk, before=before)
    _forget_roles(user)
    return len(grants)


def person_invite(
    actor: Actor, *, name: str, email: str, role: str = "", scope: Scope = NO_SCOPE
) -> Any:
    """A new account for ``email`` (its username), with no password until the
    person chooses one from the invitation, and their first role if given.
    Send the invitation with :func:`invitation_send` once this has committed."""
    actor.require_admin(gettext_noop("invite people"))
    email = email.strip().lower()
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists() or users.filter(username__iexact=email).exists():
        raise Invalid({"email": f"There is already an account for {email}"})
    with transaction.atomic():
        # No password given: an unusable one, until they choose theirs.
        user = users.create_user(username=email, email=email, first_name=name.strip())
        audit.record(actor, "create", PERSON, user.pk, after=audit.fields_of(user, PERSON_FIELDS))
        if role:
            role_grant(actor, user=user, role=role, scope=scope)
    return user


def invitation_send(actor: Actor, user: Any) -> None:
    """Email ``user`` a link to choose their password (again, if the first
    was lost or has expired: the earlier link then still works until it
    expires, or until a password is chosen). Raises what the mail server
    raised (``OSError``, ``smtplib.SMTPException``)."""
    actor.require_admin(gettext_noop("invite people"))
    if not user.is_active:
        raise Refused(f"{user.get_username()} is deactivated: reactivate them first")
    if user.has_usable_password():
        raise Refused(f"{user.get_username()} has chosen a password already")
    invitation(user, invited_by=actor_name(actor)).message().send()


def actor_name(actor: Actor) -> str:
    if actor.user is not None:
        return str(actor.user.get_full_name() or actor.user.get_username())
    return "The business intelligence team"


def person_set_active(actor: Actor, *, user: Any, active: bool) -> bool:
    """Deactivate ``user`` (they cannot sign in and their API tokens stop
    working; their roles and history stay) or reactivate them. Whether
    anything changed. Nobody deactivates themselves."""
    actor.require_admin(gettext_noop("deactivate people"))
    if not active and actor.user is not None and actor.user.pk == user.pk:
        raise Refused("you cannot deactivate yourself: ask another administrator")
    if user.is_active == active:
        return False
    with transaction.atomic():
        before = audit.fields_of(user, ["is_active"])
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record_change(actor, user, PERSON, before)
    return True


def person_set_language(actor: Actor, *, user: Any, language: str) -> bool:
    """Set the language ``user``'s emails are written in ("en-gb" or "cy"):
    a person sets their own, a BI administrator anyone's. Whether it
    changed; a change is recorded in the audit trail."""
    if actor.user is None or actor.user.pk != user.pk:
        actor.require_admin(gettext_noop("change another person's language"))
    if known_language(language) is None:
        raise Invalid({"language": "Choose English or Cymraeg"})
    before = language_of(user)
    if before == language:
        return False
    with transaction.atomic():
        language_set(user, language)
        audit.record(
            actor,
            "update",
            PERSON,
            user.pk,
            before={"language": before},
            after={"language": language},
        )
    return True
