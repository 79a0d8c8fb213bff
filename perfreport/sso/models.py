"""Which role a single sign-on group gives: the mapping BI administrators
edit on the People page, applied at every sign-in (``perfreport.sso.grants``)."""

from __future__ import annotations

from django.db import models

from perfreport.accounts.models import Role, RoleGrant
from perfreport.registry.models import Directorate, Indicator, Service


class GroupMapping(models.Model):
    """Members of ``group`` get ``role`` with its scope, as a RoleGrant would
    name it (an approver's directorate, an owner's directorate, service or
    indicator). ``group`` is compared as written: a group's name, or its
    object id (a GUID) as Microsoft Entra ID sends by default."""

    group = models.CharField(max_length=256)
    role = models.CharField(max_length=10, choices=Role.choices)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["group", "role", "pk"]

    def __str__(self) -> str:
        return f"{self.group}: {self.grant().get_role_display()}{self.grant().scope_label()}"

    def grant(self, **user: object) -> RoleGrant:
        """The RoleGrant this mapping gives (unsaved; ``user=`` to name whose):
        to check, word or create."""
        return RoleGrant(
            **user,
            role=self.role,
            directorate=self.directorate,
            service=self.service,
            indicator=self.indicator,
            via_group=self.group,
        )

    def scope_key(self) -> tuple[str, int | None, int | None, int | None]:
        return (self.role, self.directorate_id, self.service_id, self.indicator_id)
