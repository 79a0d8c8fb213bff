"""The quarterly round's own record: the reminders sent. Its rounds and
entries are values being collected (perfreport.data.models), its people and
roles perfreport.accounts, its trail perfreport.audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from perfreport.data.models import Entry


class ReminderKind(models.TextChoices):
    DUE = "due", "Due soon"
    OVERDUE = "overdue", "Overdue"
    APPROVAL = "approval", "Awaiting approval"
    RETURNED = "returned", "Returned to its owner"
    PUBLISHED = "published", "Published"


class ReminderSent(models.Model):
    """A reminder that went out about one entry, so that it never goes twice.
    An approval reminder is for one submission: a resubmitted entry is new
    work."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    occasion = models.CharField(
        max_length=40,
        blank=True,
        help_text="What makes it new work: for an owner, the deadline; for an approval, when the "
        "entry was submitted; for a return, the entry's version; for a publication, when the "
        "round was published.",
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "entry", "kind", "occasion"], name="unique_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user} about {self.entry_id}"
