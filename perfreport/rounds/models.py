"""The quarterly round's own record: the reminders sent. Its rounds and
entries are values being collected (perfreport.data.models), its people and
roles perfreport.accounts, its trail perfreport.audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from perfreport.data.models import ActionUpdate, Entry


class ReminderKind(models.TextChoices):
    DUE = "due", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    APPROVAL = "approval", _("Awaiting approval")
    RETURNED = "returned", _("Returned to its owner")
    PUBLISHED = "published", _("Published")


class ReminderSent(models.Model):
    """A reminder that went out about one entry or one action's update, so
    that it never goes twice. An approval reminder is for one submission: a
    resubmitted entry or update is new work."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    action_update = models.ForeignKey(
        ActionUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    occasion = models.CharField(
        max_length=40,
        blank=True,
        help_text=_(
            "What makes it new work: for an owner, the deadline; for an approval, when the "
            "entry or update was submitted; for a return, its version; for a publication, when "
            "the round was published."
        ),
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("reminders sent")
        # A row is about an entry or an update, never both; each has its own
        # unique constraint (a null in one leaves the other's row unconstrained).
        constraints = [
            models.UniqueConstraint(
                fields=["user", "entry", "kind", "occasion"], name="unique_reminder"
            ),
            models.UniqueConstraint(
                fields=["user", "action_update", "kind", "occasion"],
                name="unique_action_reminder",
            ),
            models.CheckConstraint(
                condition=models.Q(entry__isnull=False, action_update__isnull=True)
                | models.Q(entry__isnull=True, action_update__isnull=False),
                name="reminder_about_one_thing",
            ),
        ]

    def __str__(self) -> str:
        about = f"entry {self.entry_id}" if self.entry_id else f"update {self.action_update_id}"
        return f"{self.kind} to {self.user} about {about}"
