"""The quarterly round: who may do what (roles), the rounds and their
entries, the audit trail of every change, and the reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from perfreport.core.workflow import EntryState
from perfreport.registry.models import Directorate, Indicator, Service, value_field
from perfreport.registry.periods import PeriodFields


class Role(models.TextChoices):
    ADMIN = "admin", "BI administrator"
    OWNER = "owner", "Indicator owner or service lead"
    APPROVER = "approver", "Approver"
    VIEWER = "viewer", "Viewer"


class RoleGrant(models.Model):
    """One role of one person. An owner's grant names an indicator, a service
    or a directorate (every indicator in it); an approver's names the
    directorate they sign off (none: every directorate). Administrators and
    viewers have no scope. A person may hold several grants."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )

    class Meta:
        ordering = ["user", "role"]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}{self.scope_label()}"

    def scope_label(self) -> str:
        for scope in (self.indicator, self.service, self.directorate):
            if scope is not None:
                return f" for {scope}"
        return ""

    def clean(self) -> None:
        scopes = [s for s in (self.directorate_id, self.service_id, self.indicator_id) if s]
        if self.role in (Role.ADMIN, Role.VIEWER) and scopes:
            raise ValidationError(f"{self.get_role_display()} has no scope: leave the scope empty")
        if self.role == Role.OWNER and len(scopes) != 1:
            raise ValidationError("an owner's grant names one indicator, service or directorate")
        if self.role == Role.APPROVER and (self.service_id or self.indicator_id):
            raise ValidationError(
                "an approver signs off a directorate: name one, or none for every directorate"
            )


class RoundState(models.TextChoices):
    OPEN = "open", "Open"
    PUBLISHED = "published", "Published"


class Round(PeriodFields):
    """The collection of values and commentary for one reporting period."""

    deadline = models.DateField(help_text="When entries are due from their owners.")
    state = models.CharField(max_length=10, choices=RoundState.choices, default=RoundState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(
        null=True,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="Every entry as published, frozen: the report and public pages for this "
        "period show these figures.",
    )

    class Meta:
        ordering = ["-last_month"]
        constraints = [
            models.UniqueConstraint(fields=["frequency", "first_month"], name="unique_round")
        ]

    def __str__(self) -> str:
        return f"Round {self.period}"

    @property
    def is_published(self) -> bool:
        return self.state == RoundState.PUBLISHED


class Entry(PeriodFields):
    """One indicator's value, commentary and actions in a round, for the
    indicator's own period that the round collects (a month, a quarter, a
    year). ``version`` goes up with every save: a save that names an older
    version is refused, never a silent overwrite."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    state = models.CharField(
        max_length=12,
        choices=[(s.value, s.label) for s in EntryState],
        default=EntryState.NOT_STARTED.value,
        db_index=True,
    )
    value = value_field(null=True, blank=True)
    numerator = value_field(null=True, blank=True)
    denominator = value_field(null=True, blank=True)
    commentary = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    return_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    restated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["round", "indicator__position", "indicator__ref"]
        constraints = [
            models.UniqueConstraint(fields=["round", "indicator"], name="unique_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ref} {self.period} ({self.get_state_display()})"

    @property
    def entry_state(self) -> EntryState:
        return EntryState(self.state)


class AuditEvent(models.Model):
    """One change, as it was made: who, when, what it was before and after
    (the changed fields only), and why. Never edited: a revert is a new event."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(
        max_length=150, help_text="Who made it, as named then: a username or 'command line'."
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
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field the event touched."""
        before, after = self.before or {}, self.after or {}
        names = list(dict.fromkeys([*before, *after]))
        return [(name, before.get(name), after.get(name)) for name in names]


class ReminderKind(models.TextChoices):
    DUE = "due", "Due soon"
    OVERDUE = "overdue", "Overdue"
    APPROVAL = "approval", "Awaiting approval"


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
        max_length=40, blank=True, help_text="For an approval: when the entry was submitted."
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


def open_entries() -> Q:
    return Q(state__in=[s.value for s in EntryState if s.is_open])
