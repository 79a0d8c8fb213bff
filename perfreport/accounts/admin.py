"""The admin site obeys the roles: it is the BI administrators' tool.

Every perfreport model in it needs the BI administrator role (a Django
superuser has it), whatever Django permissions an account holds. The
ModelAdmins of every app build on these two; the one that records each change
in the audit trail is perfreport.audit.admin.AuditedAdmin, and people's roles
are registered with it (perfreport.web.admin.accounts).
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.http import HttpRequest

from perfreport.accounts.permissions import Actor


def is_administrator(request: HttpRequest) -> bool:
    return Actor.of(getattr(request, "user", None)).is_admin


class AdministratorsOnly:
    """Permissions by role: a BI administrator may do everything, anyone else
    nothing (the Django permissions of an account are not consulted)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_administrator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request)


class ReadOnly(AdministratorsOnly):
    """Shown to BI administrators, changed by no one here."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RolesAdminSite(AdminSite):
    """The admin site, opened by the BI administrator role (or a superuser),
    not by Django's "Staff status": giving someone the role is all it takes,
    and taking it away (or deactivating them) shuts the admin to them again."""

    def has_permission(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_active and is_administrator(request))
