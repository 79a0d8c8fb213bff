"""The register in the admin site: where the BI team manages it. Only BI
administrators may use it (perfreport.accounts.admin), and every change is
recorded in the audit trail (perfreport.audit.admin). Registered here, above
the audit trail, because the registry app sits below it."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from perfreport.accounts.admin import AdministratorsOnly
from perfreport.audit.admin import AuditedAdmin
from perfreport.registry.models import (
    ComparatorGroup,
    Directorate,
    GroupMember,
    Indicator,
    Link,
    Measure,
    Organisation,
    Service,
    Target,
)


class LinkInline(AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Link
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class TargetInline(AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = Target
    extra = 0
    fields = ("kind", "period", "frequency", "first_month", "last_month", "value", "note")


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
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
    list_filter = ("frequency", "rating_basis", "unit", "directorate")
    search_fields = ("ref", "title", "description", "national_code")
    inlines = [TargetInline, LinkInline]
    readonly_fields = ("year_start",)
    fieldsets = (
        (None, {"fields": ("ref", "title", "description", "source", "owner", "position")}),
        (
            "Measure",
            {"fields": ("unit", "decimals", "polarity", "frequency", "aggregation", "lag")},
        ),
        # The kind of year is changed by an import, which checks that the
        # indicator's stored quarters and years still fit it.
        ("Years and release", {"fields": ("year_start", "release_lag_months")}),
        (
            "Rating",
            {"fields": ("rating_basis", "tolerance_method", "red_threshold", "blue_threshold")},
        ),
        ("Place", {"fields": ("directorate", "service")}),
        (
            "Benchmarks",
            {"fields": ("national_code", "comparator_group", "neighbours_mean", "england_mean")},
        ),
    )


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "la_number", "is_home")
    list_filter = ("kind", "is_home")
    search_fields = ("code", "name", "la_number")


class GroupMemberInline(AdministratorsOnly, admin.TabularInline):  # type: ignore[type-arg]
    model = GroupMember
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(ComparatorGroup)
class ComparatorGroupAdmin(AuditedAdmin):
    list_display = ("name", "kind", "organisation")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [GroupMemberInline]


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ("code", "title", "polarity", "unit_label", "period_type")
    list_filter = ("polarity", "period_type")
    search_fields = ("code", "title")


admin.site.register(Directorate, AuditedAdmin)
admin.site.register(Service, AuditedAdmin)
admin.site.site_header = "perfreport administration"
admin.site.site_title = "perfreport"
