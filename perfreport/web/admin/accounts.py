"""People's roles in the admin site: given and taken away by a BI
administrator, each change recorded in the audit trail. Registered here, above
the audit trail, because the accounts app sits below it."""

from __future__ import annotations

from django.contrib import admin

from perfreport.accounts.models import RoleGrant
from perfreport.audit.admin import AuditedAdmin


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedAdmin):
    list_display = ("user", "role", "scope")
    list_filter = ("role", "directorate", "service")
    search_fields = ("user__username", "user__email", "indicator__ref", "service__name")
    list_select_related = ("user", "directorate", "service", "indicator")
    fields = ("user", "role", "directorate", "service", "indicator")

    @admin.display(description="scope")
    def scope(self, grant: RoleGrant) -> str:
        return grant.scope_label().removeprefix(" for ") or "everything"
