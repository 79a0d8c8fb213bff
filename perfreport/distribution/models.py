"""Report distribution's records: who is sent which report, how and when
(``Subscription``), who left a role's subscription (``OptOut``), and every
email claimed, sent or failed (``Sending``), so that none goes twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfreport.accounts.models import Role
from perfreport.registry.models import Directorate


class RecipientKind(models.TextChoices):
    PERSON = "person", gettext_lazy("A person with an account")
    ROLE = "role", gettext_lazy("Everyone with a role")
    ADDRESS = "address", gettext_lazy("An outside address")


class ReportKind(models.TextChoices):
    FULL = "full", gettext_lazy("Full report")
    DIRECTORATE = "directorate", gettext_lazy("One directorate's report")
    PLAN = "plan", gettext_lazy("Plan section")
    EXCEPTIONS = "exceptions", gettext_lazy("Exception pack")


class Delivery(models.TextChoices):
    PDF = "pdf", gettext_lazy("PDF attached")
    DOCX = "docx", gettext_lazy("Word document attached")
    LINK = "link", gettext_lazy("A link to the published report")


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def active(self) -> SubscriptionQuerySet:
        """Subscriptions nobody has ended (by unsubscribing)."""
        return self.filter(ended_at__isnull=True)


class Subscription(models.Model):
    """One report sent to a person, every holder of a role (optionally only
    those whose role lies in one directorate) or an outside address (a
    committee clerk), as a PDF, a Word document or a link; when a round is
    published (``on_publish``) and whenever the distribution schedule runs."""

    recipient_kind = models.CharField(max_length=10, choices=RecipientKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    role = models.CharField(max_length=10, choices=Role.choices, blank=True)
    role_directorate = models.ForeignKey(
        Directorate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Only the holders of the role whose scope is in this directorate.",
    )
    name = models.CharField(max_length=200, blank=True, help_text="An outside address's name.")
    email = models.EmailField(max_length=254, blank=True)
    report = models.CharField(max_length=12, choices=ReportKind.choices)
    directorate = models.ForeignKey(
        Directorate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        help_text="The directorate of a directorate's report.",
    )
    delivery = models.CharField(max_length=4, choices=Delivery.choices, default=Delivery.PDF)
    on_publish = models.BooleanField(
        default=True, help_text="Sent as soon as a round is published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=254, blank=True, help_text="Who unsubscribed.")

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recipient_kind="person") | Q(user__isnull=False),
                name="subscription_person_has_user",
            ),
            models.CheckConstraint(
                condition=~Q(recipient_kind="role") | ~Q(role=""),
                name="subscription_role_has_role",
            ),
            models.CheckConstraint(
                condition=~Q(recipient_kind="address") | ~Q(email=""),
                name="subscription_address_has_email",
            ),
            models.CheckConstraint(
                condition=~Q(report="directorate") | Q(directorate__isnull=False),
                name="subscription_directorate_report_names_one",
            ),
        ]

    def __str__(self) -> str:
        return _("%(report)s to %(recipient)s") % {
            "report": self.get_report_display(),
            "recipient": self.recipient_words(),
        }

    def recipient_words(self) -> str:
        """ "j.jones", "Everyone with the role Approver in Housing", "Clerk <c@x.org>"."""
        if self.recipient_kind == RecipientKind.PERSON and self.user is not None:
            return str(self.user.get_full_name() or self.user.get_username())
        if self.recipient_kind == RecipientKind.ROLE:
            role = self.get_role_display()
            if self.role_directorate_id:
                return _("Everyone with the role %(role)s in %(directorate)s") % {
                    "role": role,
                    "directorate": self.role_directorate,
                }
            return _("Everyone with the role %(role)s") % {"role": role}
        return f"{self.name} <{self.email}>" if self.name else self.email

    def report_words(self) -> str:
        """ "Full report", "Housing directorate's report", "Exception pack"."""
        if self.report == ReportKind.DIRECTORATE and self.directorate is not None:
            return _("%(directorate)s directorate's report") % {"directorate": self.directorate}
        return str(self.get_report_display())

    def report_phrase(self) -> str:
        """ "full report", "Housing directorate's report", "exception pack": within a sentence."""
        words = self.report_words()
        return words if self.report == ReportKind.DIRECTORATE else words.lower()


class OptOut(models.Model):
    """A holder of a role who unsubscribed from the role's subscription: the
    others still get it."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="opt_outs"
    )
    email = models.EmailField(max_length=254)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "email"], name="unique_opt_out")
        ]

    def __str__(self) -> str:
        return f"{self.email} left subscription {self.subscription_id}"


class SendingState(models.TextChoices):
    CLAIMED = "claimed", gettext_lazy("Being sent")
    SENT = "sent", gettext_lazy("Sent")
    FAILED = "failed", gettext_lazy("Failed")


class Sending(models.Model):
    """One email of a subscription to one address for one occasion, claimed
    (inserted) before it is sent: the unique constraint lets one run claim
    it, so two runs, or a run retried, never send it twice. A failed one may
    be claimed again by a later run (a conditional update from failed)."""

    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="sendings"
    )
    occasion = models.CharField(
        max_length=60,
        help_text="What makes it new: the period sent ('period 2020/21 Q3') whether on "
        "publication or by the schedule; 'run 12' for one sent again on demand.",
    )
    email = models.EmailField(max_length=254)
    recipient = models.CharField(max_length=254, blank=True)
    what = models.CharField(max_length=300, help_text="The report, period and format, in words.")
    period = models.CharField(max_length=16, blank=True)
    state = models.CharField(max_length=8, choices=SendingState.choices)
    linked = models.BooleanField(
        default=False, help_text="Sent as a link (asked for, or the file was too large)."
    )
    error = models.TextField(blank=True)
    run_id = models.BigIntegerField(null=True, blank=True, help_text="The job run that sent it.")
    claimed_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "occasion", "email"], name="unique_sending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.what} to {self.email} ({self.state})"
