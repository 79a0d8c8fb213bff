"""The register in the admin site: where the BI team manages it. Only BI
administrators may use it (perfreport.accounts.admin), and every change is
recorded in the audit trail (perfreport.audit.admin). Registered here, above
the audit trail, because the registry app sits below it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from perfreport.accounts.admin import AdministratorsOnly
from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.audit.admin import AuditedAdmin, TextRule
from perfreport.core.rating import BUILT_IN_SCHEMES, Band, GapMeasure, Rating, Scheme, SchemeError
from perfreport.registry.models import (
    ComparatorGroup,
    Directorate,
    GroupMember,
    Indicator,
    Link,
    Measure,
    Milestone,
    Organisation,
    PlanAction,
    PlanItem,
    PlanLink,
    RatingScheme,
    SchemeBand,
    Service,
    Target,
)


class LinkInline(TextRule, AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Link
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class TargetInline(TextRule, AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Target
    extra = 0
    fields = (
        "kind",
        "period",
        "frequency",
        "first_month",
        "last_month",
        "value",
        "first_value",
        "note",
    )
    readonly_fields = ("first_value",)


def _known_scheme(name: str) -> str:
    """A scheme's name as stored (lower case), refused when nobody defines it."""
    name = name.strip().lower()
    known = {*BUILT_IN_SCHEMES, *RatingScheme.objects.values_list("name", flat=True)}
    if name and name not in known:
        raise ValidationError(
            f"{name!r} is not a rating scheme: use one of {', '.join(sorted(known))}, "
            "or define it under Rating schemes"
        )
    return name


class IndicatorForm(forms.ModelForm):  # type: ignore[type-arg]
    """The admin's form for an indicator (its Meta comes from the admin's fieldsets)."""

    def clean_scheme(self) -> str:
        return _known_scheme(self.cleaned_data.get("scheme", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Own thresholds are all or nothing: a measure makes them the indicator's.
        if data.get("tolerance_method") and data.get("red_threshold") is None:
            data["red_threshold"] = Decimal(10)
        if not data.get("tolerance_method"):
            data["red_threshold"] = data["blue_threshold"] = None
        return data


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_scheme(self) -> str:
        return _known_scheme(self.cleaned_data.get("scheme", ""))


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    form = IndicatorForm
    list_display = (
        "ref",
        "title",
        "unit",
        "polarity",
        "frequency",
        "rating_basis",
        "directorate",
        "service",
    )
    list_filter = ("frequency", "rating_basis", "unit", "kind", "directorate")
    search_fields = ("ref", "title", "description", "national_code")
    inlines = [TargetInline, LinkInline]
    readonly_fields = ("year_start",)
    fieldsets = (
        (None, {"fields": ("ref", "title", "description", "source", "owner", "position", "kind")}),
        ("In Welsh", {"fields": ("title_cy", "description_cy")}),
        (
            "Measure",
            {
                "fields": (
                    "unit",
                    "unit_label",
                    "decimals",
                    "polarity",
                    "frequency",
                    "aggregation",
                    "lag",
                )
            },
        ),
        # The kind of year is changed by an import, which checks that the
        # indicator's stored quarters and years still fit it.
        ("Years and release", {"fields": ("year_start", "release_lag_months")}),
        (
            "Rating",
            {
                "fields": (
                    "rating_basis",
                    "scheme",
                    "tolerance_method",
                    "red_threshold",
                    "blue_threshold",
                ),
                "description": "An indicator follows the organisation's rating scheme unless "
                "it names another, or has thresholds of its own (a Key of the seed's shape).",
            },
        ),
        ("Place", {"fields": ("directorate", "service")}),
        (
            "Benchmarks",
            {"fields": ("national_code", "comparator_group", "neighbours_mean", "england_mean")},
        ),
    )

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm,  # type: ignore[type-arg]
        formset: BaseModelFormSet,  # type: ignore[type-arg]
        change: bool,
    ) -> None:
        if formset.model is Target:
            # A changed target keeps the one first set, as an import's does.
            for target_form in formset.initial_forms:
                if "value" in target_form.changed_data:
                    target_form.instance.value_changed(target_form.initial["value"])
        super().save_formset(request, form, formset, change)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    form = OrganisationForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # the licence's address
    list_display = ("code", "name", "kind", "la_number", "is_home")
    list_filter = ("kind", "is_home")
    search_fields = ("code", "name", "la_number")
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "la_number", "is_home", "bilingual")}),
        (
            "Rating",
            {
                "fields": (
                    "scheme",
                    "baseline_label",
                    "contextual_label",
                    "baseline_label_cy",
                    "contextual_label_cy",
                )
            },
        ),
        (
            "Reports, emails and open data",
            {
                "fields": (
                    "report_title",
                    "report_team",
                    "report_contact",
                    "report_title_cy",
                    "report_team_cy",
                    "report_contact_cy",
                    "report_logo",
                    "email_from",
                    "licence_name",
                    "licence_url",
                )
            },
        ),
        (
            "The plan",
            {
                "fields": (
                    "plan_rule",
                    "plan_green_share",
                    "plan_amber_share",
                    "action_due_soon_days",
                ),
                "description": "How a priority's or outcome's status is worked out from its "
                "indicators and actions, and when an action behind schedule is at risk.",
            },
        ),
    )


class GroupMemberInline(TextRule, AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = GroupMember
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(AuditedAdmin):
    list_display = ("name", "kind", "organisation", "includes_home")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [GroupMemberInline]


class BandFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """The bands as one scheme: refused, with the reason, if they cannot rate."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        rows.sort(key=lambda row: row.get("position") or 0)
        bands = tuple(
            Band(
                Rating(row["rating"]),
                row.get("gap_from"),
                bool(row.get("inclusive")),
                row.get("label", ""),
            )
            for row in rows
        )
        name = self.instance.name or "new"
        try:
            Scheme(name, bands, GapMeasure(self.instance.measure or "relative"))
        except SchemeError as error:
            raise ValidationError(str(error)) from None


class SchemeBandInline(TextRule, AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = SchemeBand
    formset = BandFormSet
    extra = 0
    fields = (
        "position",
        "rating",
        "gap_from",
        "inclusive",
        "label",
        "label_cy",
        "symbol",
        "colour",
    )


class RatingSchemeForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_name(self) -> str:
        name = str(self.cleaned_data.get("name", "")).strip().lower()
        if name in BUILT_IN_SCHEMES:
            raise ValidationError(
                f"{name!r} is a built-in scheme ({', '.join(BUILT_IN_SCHEMES)}): "
                "give yours another name"
            )
        return name


@admin.register(RatingScheme)
class RatingSchemeAdmin(AuditedAdmin):
    """An organisation's own Keys: bands best first, each with the least gap it takes."""

    form = RatingSchemeForm
    list_display = ("name", "measure")
    inlines = [SchemeBandInline]


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ("code", "title", "polarity", "unit_label", "period_type")
    list_filter = ("polarity", "period_type")
    search_fields = ("code", "title")


class PlanLinkInline(TextRule, AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = PlanLink
    extra = 0
    autocomplete_fields = ("indicator",)
    fields = ("indicator", "position")
    verbose_name = "indicator it serves"
    verbose_name_plural = "indicators it serves"


@admin.register(PlanItem)
class PlanItemAdmin(AuditedAdmin):
    """A priority (no parent), an outcome under it, or a third level."""

    list_display = ("ref", "title", "level", "parent", "lead", "position")
    list_filter = ("parent",)
    search_fields = ("ref", "title", "lead")
    fields = (
        "ref",
        "title",
        "title_cy",
        "parent",
        "lead",
        "description",
        "description_cy",
        "position",
    )
    inlines = [PlanLinkInline]
    ordering = ("ref",)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        parent = form.base_fields.get("parent")
        if parent is not None:
            parent.help_text = (
                "Empty for a priority; a priority for an outcome; an outcome for the level "
                "under it (at most three levels)."
            )
        return form

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = PlanItem.objects.order_by("ref")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MilestoneInline(TextRule, AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Milestone
    extra = 0
    fields = ("title", "due", "completed_on", "position")


# What an action serves, recorded in the trail by reference when it changes:
# the admin saves many-to-many fields after the action itself.
SERVES = ("outcomes", "indicators")


def _serves(action: PlanAction) -> dict[str, list[str]]:
    return {
        "outcomes": sorted(action.outcomes.values_list("ref", flat=True)),
        "indicators": sorted(action.indicators.values_list("ref", flat=True)),
    }


@admin.register(PlanAction)
class PlanActionAdmin(AuditedAdmin):
    """An action or project. Its percentage and progress are the published
    ones: the round publishes owners' updates into them."""

    list_display = ("ref", "title", "kind", "owner", "due", "percent_complete")
    list_filter = ("kind", "directorate")
    search_fields = ("ref", "title", "owner")
    filter_horizontal = SERVES
    inlines = [MilestoneInline]

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name == "outcomes":
            # An action serves outcomes (and the level under them), not priorities.
            kwargs["queryset"] = PlanItem.objects.filter(parent__isnull=False).order_by("ref")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    fieldsets = (
        (None, {"fields": ("ref", "kind", "title", "description", "position")}),
        ("In Welsh", {"fields": ("title_cy", "description_cy")}),
        ("Who", {"fields": ("owner", "owner_user", "directorate")}),
        ("What it serves", {"fields": SERVES}),
        ("When", {"fields": ("start", "due")}),
        (
            "Progress as published",
            {
                "fields": (
                    "percent_complete",
                    "completed_on",
                    "progress",
                    "progress_cy",
                    "progress_period",
                ),
                "description": "Written when a round publishes an update; change them here "
                "only to correct what was published.",
            },
        ),
    )

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm,  # type: ignore[type-arg]
        formsets: Any,
        change: bool,
    ) -> None:
        action = form.instance
        before = _serves(action) if change else {"outcomes": [], "indicators": []}
        super().save_related(request, form, formsets, change)
        old, new = audit.changed(before, _serves(action))
        if new:
            audit.record(
                Actor.of(request.user), "update", "planaction", action.pk, before=old, after=new
            )


admin.site.register(Directorate, AuditedAdmin)
admin.site.register(Service, AuditedAdmin)
admin.site.site_header = "perfreport administration"
admin.site.site_title = "perfreport"
