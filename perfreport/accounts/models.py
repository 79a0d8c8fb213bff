"""Who may do what: each person's roles. The table is the one the rounds app
made (``rounds_rolegrant``): the model moved here, its rows stayed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perfreport.registry.models import Directorate, Indicator, Service


class Role(models.TextChoices):
    ADMIN = "admin", gettext_lazy("BI administrator")
    OWNER = "owner", gettext_lazy("Indicator owner or service lead")
    APPROVER = "approver", gettext_lazy("Approver")
    VIEWER = "viewer", gettext_lazy("Viewer")


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
    # The single sign-on group that gave it (perfreport.sso): replaced by what
    # the person's groups map to at each sign-in. Empty: given by hand, kept.
    via_group = models.CharField(max_length=256, blank=True, default="")

    class Meta:
        db_table = "rounds_rolegrant"
        ordering = ["user", "role"]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}{self.scope_label()}"

    def scope_label(self) -> str:
        for scope in (self.indicator, self.service, self.directorate):
            if scope is not None:
                return " " + _("for %(scope)s") % {"scope": scope}
        return ""

    def clean(self) -> None:
        scopes = [s for s in (self.directorate_id, self.service_id, self.indicator_id) if s]
        if self.role in (Role.ADMIN, Role.VIEWER) and scopes:
            raise ValidationError(
                _("%(role)s has no scope: leave the scope empty")
                % {"role": self.get_role_display()}
            )
        if self.role == Role.OWNER and len(scopes) != 1:
            raise ValidationError(_("an owner's grant names one indicator, service or directorate"))
        if self.role == Role.APPROVER and (self.service_id or self.indicator_id):
            raise ValidationError(
                _("an approver signs off a directorate: name one, or none for every directorate")
            )


class LanguagePreference(models.Model):
    """The language a person reads perfreport in ("en-gb" or "cy"): every
    email to them is written in it and links to the pages in it. Set when
    they change the language of the pages while signed in, on their own
    "Your language" form or by an administrator on their page; a person with
    no row has the site's LANGUAGE_CODE."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
    )
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
