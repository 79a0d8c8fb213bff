"""The audit trail's one model. The table is the one the rounds app made
(``rounds_auditevent``): the model moved here, its rows stayed."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from perfreport.registry.models import Indicator


class AuditEvent(models.Model):
    """One change, as it was made: who, when, what it was before and after
    (the changed fields only), and why. Never edited: a revert is a new event."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(
        max_length=150, help_text=_("Who made it, as named then: a username or 'command line'.")
    )
    action = models.CharField(max_length=20)
    object_type = models.CharField(max_length=20)
    object_id = models.CharField(max_length=40, blank=True)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    period = models.CharField(max_length=16, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(blank=True)
    reverts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reverted_by"
    )

    class Meta:
        db_table = "rounds_auditevent"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field the event touched."""
        before, after = self.before or {}, self.after or {}
        names = list(dict.fromkeys([*before, *after]))
        return [(name, before.get(name), after.get(name)) for name in names]
