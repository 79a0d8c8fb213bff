"""The round's records in the admin. Rounds are opened and published on
their pages; here a BI administrator may change a round's deadline (recorded
in the audit trail, perfreport.audit.admin). Entries and the reminders sent are
read-only: entries change through the round's pages, so that their versions,
states and audit hold."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from perfreport.accounts.admin import ReadOnly
from perfreport.audit.admin import AuditedAdmin
from perfreport.data.models import Entry, Round
from perfreport.rounds.models import ReminderSent


@admin.register(Round)
class RoundAdmin(AuditedAdmin):
    """Rounds are opened and published on their pages (or with ``perfreport
    round``), which make their entries and snapshot; here only the deadline
    may change."""

    list_display = ("period", "state", "deadline", "opened_by", "published_at")
    list_filter = ("state",)
    fields = (
        "period",
        "state",
        "deadline",
        "opened_by",
        "opened_at",
        "published_by",
        "published_at",
        "snapshot",
    )
    readonly_fields = tuple(f for f in fields if f != "deadline")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: an entry changes on the round's pages, where its version,
    state and audit hold."""

    list_display = ("indicator", "period", "round", "state", "version", "updated_by", "updated_at")
    list_filter = ("round", "state")
    search_fields = ("indicator__ref", "indicator__title")
    list_select_related = ("indicator", "round", "updated_by")


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("sent_at", "user", "kind", "entry", "action_update", "occasion")
    list_filter = ("kind",)
    search_fields = ("user__username", "entry__indicator__ref", "action_update__action__ref")
    list_select_related = ("user", "entry", "entry__indicator", "action_update__action")
