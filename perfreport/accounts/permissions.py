"""Who may do what, decided in one place for the web pages, the API and the
command line.

* BI administrator: everything (a Django superuser is one too).
* Owner (indicator owner or service lead): enter and edit the values,
  commentary and actions of their own indicators, service or directorate.
* Approver: sign off (approve or return) a directorate's entries.
* Viewer: read every internal page.
* The public: the published pages only (no Actor needed).

Anyone with a role may read the internal pages; a signed-in person with no
role is refused them all, as is an API token of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from perfreport.accounts.models import Role, RoleGrant

if TYPE_CHECKING:
    from perfreport.registry.models import Indicator

COMMAND_LINE = "command line"


class NotAllowed(PermissionDenied):
    """The person may not do this; the message says what they lack. A
    PermissionDenied, so a page that lets it through answers 403."""


@dataclass
class Actor:
    """A person (or the command line) and their roles, read once."""

    user: Any = None  # a User; None for the command line, which acts as administrator
    grants: list[RoleGrant] = field(default_factory=list)
    is_system: bool = False

    @classmethod
    def of(cls, user: Any) -> Actor:
        """The actor for a request's user (or an API token's), read once per user object."""
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        cached = getattr(user, "_perfreport_actor", None)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        grants = list(
            RoleGrant.objects.filter(user=user).select_related(
                "directorate", "service", "indicator"
            )
        )
        actor = cls(user=user, grants=grants)
        user._perfreport_actor = actor
        return actor

    @classmethod
    def command_line(cls) -> Actor:
        return cls(is_system=True)

    # Who

    @property
    def name(self) -> str:
        if self.is_system:
            return COMMAND_LINE
        return self.user.get_username() if self.user is not None else "the public"

    def roles(self) -> set[str]:
        return {grant.role for grant in self.grants}

    @property
    def is_admin(self) -> bool:
        return (
            self.is_system
            or (self.user is not None and self.user.is_superuser)
            or Role.ADMIN in self.roles()
        )

    @property
    def can_view_internal(self) -> bool:
        return self.is_admin or bool(self.grants)

    @property
    def is_owner(self) -> bool:
        return self.is_admin or Role.OWNER in self.roles()

    @property
    def is_approver(self) -> bool:
        return self.is_admin or Role.APPROVER in self.roles()

    # Which indicators

    def editable(self) -> Q:
        """The indicators this person may enter values and commentary for."""
        if self.is_admin:
            return Q()
        return self._scoped(Role.OWNER, with_service=True)

    def approvable(self) -> Q:
        """The indicators whose entries this person signs off."""
        if self.is_admin:
            return Q()
        for grant in self.grants:
            if grant.role == Role.APPROVER and grant.directorate_id is None:
                return Q()
        return self._scoped(Role.APPROVER, with_service=False)

    def _scoped(self, role: str, *, with_service: bool) -> Q:
        scope = Q(pk__in=[])
        for grant in self.grants:
            if grant.role != role:
                continue
            if grant.indicator_id and with_service:
                scope |= Q(pk=grant.indicator_id)
            elif grant.service_id and with_service:
                scope |= Q(service_id=grant.service_id)
            elif grant.directorate_id:
                scope |= Q(directorate_id=grant.directorate_id) | Q(
                    service__directorate_id=grant.directorate_id
                )
        return scope

    def can_edit(self, indicator: Indicator) -> bool:
        return self.is_admin or any(
            grant.role == Role.OWNER and _covers(grant, indicator) for grant in self.grants
        )

    def can_approve(self, indicator: Indicator) -> bool:
        return self.is_admin or any(
            grant.role == Role.APPROVER
            and (grant.directorate_id is None or _in_directorate(grant.directorate_id, indicator))
            for grant in self.grants
        )

    # Refusals

    def require_internal(self) -> None:
        if not self.can_view_internal:
            raise NotAllowed(
                f"you are signed in as {self.name}, who has no role in perfreport yet: "
                "ask the BI team for one"
            )

    def require_admin(self, doing: str) -> None:
        if not self.is_admin:
            # `doing` is marked with gettext_noop where it is written.
            raise NotAllowed(_("only a BI administrator may %(doing)s") % {"doing": _(doing)})

    def require_edit(self, indicator: Indicator) -> None:
        if not self.can_edit(indicator):
            raise NotAllowed(
                f"{self.name} may not enter values or commentary for indicator {indicator.ref}: "
                "only its owner, its service lead or a BI administrator may"
            )

    def require_approve(self, indicator: Indicator) -> None:
        if not self.can_approve(indicator):
            raise NotAllowed(
                f"{self.name} may not sign off indicator {indicator.ref}: only an approver for "
                "its directorate or a BI administrator may"
            )


def _in_directorate(directorate_id: int, indicator: Indicator) -> bool:
    if indicator.directorate_id == directorate_id:
        return True
    service = indicator.service
    return service is not None and service.directorate_id == directorate_id


def _covers(grant: RoleGrant, indicator: Indicator) -> bool:
    if grant.indicator_id:
        return grant.indicator_id == indicator.pk
    if grant.service_id:
        return grant.service_id == indicator.service_id
    if grant.directorate_id:
        return _in_directorate(grant.directorate_id, indicator)
    return False


def grant(user: Any, role: str, **scope: Any) -> RoleGrant:
    """Give ``user`` a role (idempotent): ``grant(lead, "owner", service=s)``."""
    found, _ = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        directorate=scope.get("directorate"),
        service=scope.get("service"),
        indicator=scope.get("indicator"),
    )
    if hasattr(user, "_perfreport_actor"):
        del user._perfreport_actor
    return found
