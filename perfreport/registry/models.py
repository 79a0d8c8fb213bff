"""The indicator register: organisations, directorates, services, indicators,
their links and targets."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import models
from django.db.models import Q

from perfreport.core.indicator import Aggregation, IndicatorSpec
from perfreport.core.periods import Frequency
from perfreport.core.rating import Polarity, RatingBasis, RatingRules, ToleranceMethod
from perfreport.core.targets import TargetEntry, TargetKind
from perfreport.core.units import Unit
from perfreport.registry.periods import FREQUENCY_CHOICES, PeriodFields


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


def value_field(verbose_name: str | None = None, **options: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """A number as perfreport keeps it: 20 digits, 6 after the point."""
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=6, **options)


class Organisation(models.Model):
    """A council or other body, identified by its GSS or LA code. One is the
    home organisation whose report this is; the others are for comparison."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=50, blank=True, help_text="england (or national) and region have a meaning."
    )
    la_number = models.CharField(
        "LA number",
        max_length=10,
        blank=True,
        db_index=True,
        help_text="The DfE's three-digit local authority number, as LAIT and DfE data use.",
    )
    is_home = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="one_home_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_national(self) -> bool:
        return self.kind.lower() in NATIONAL_KINDS


NATIONAL_KINDS = ("england", "national")


class GroupKind(StrEnum):
    STATISTICAL_NEIGHBOURS = "statistical_neighbours"
    FAMILY = "family"
    REGION = "region"
    CUSTOM = "custom"


class ComparatorGroup(models.Model):
    """Organisations to compare with: an organisation's statistical neighbours,
    a family group, a region, "all English county councils"."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=_choices(GroupKind), default=GroupKind.CUSTOM)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_groups",
        help_text="Whose group this is (an organisation's statistical neighbours); empty for a "
        "shared group.",
    )
    members: models.ManyToManyField[Organisation, GroupMember] = models.ManyToManyField(
        Organisation, through="GroupMember", related_name="groups"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(ComparatorGroup, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="SN1 is 1.")

    class Meta:
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "organisation"], name="unique_group_member")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.organisation_id}"


class Measure(models.Model):
    """A nationally published measure (a LAIT measure, a national code) that
    benchmark values belong to and local indicators link to."""

    code = models.CharField(max_length=60, unique=True)
    title = models.CharField(max_length=300, blank=True)
    topic = models.CharField(max_length=200, blank=True)
    polarity = models.CharField(
        max_length=6, choices=_choices(Polarity), blank=True, help_text="Empty: no direction."
    )
    decimals = models.PositiveSmallIntegerField(null=True, blank=True)
    unit_label = models.CharField(max_length=200, blank=True)
    period_type = models.CharField(max_length=50, blank=True)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}" if self.title else self.code


class Directorate(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["directorate", "name"], name="unique_service_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    ref = models.CharField("reference", max_length=40, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True)
    unit = models.CharField(max_length=10, choices=_choices(Unit))
    decimals = models.PositiveSmallIntegerField(default=1)
    polarity = models.CharField(max_length=6, choices=_choices(Polarity))
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES)
    aggregation = models.CharField(
        max_length=10, choices=_choices(Aggregation), default=Aggregation.SNAPSHOT.value
    )
    rating_basis = models.CharField(max_length=10, choices=_choices(RatingBasis))
    tolerance_method = models.CharField(
        max_length=10, choices=_choices(ToleranceMethod), default=ToleranceMethod.RELATIVE.value
    )
    red_threshold = value_field(default=Decimal(10))
    blue_threshold = value_field(
        null=True, blank=True, default=Decimal(5), help_text="Empty: no Blue band."
    )
    lag = models.PositiveSmallIntegerField(
        default=0, help_text="Periods of its frequency by which its data trails the report."
    )
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    owner = models.CharField(max_length=200, blank=True)
    neighbours_mean = value_field("statistical neighbours mean", null=True, blank=True)
    england_mean = value_field(null=True, blank=True)
    national_code = models.CharField(
        max_length=60,
        blank=True,
        db_index=True,
        help_text="The national measure whose published values benchmark this indicator.",
    )
    comparator_group = models.ForeignKey(
        ComparatorGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        help_text="Empty: the home organisation's statistical neighbours.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order in the report.")

    class Meta:
        ordering = ["position", "ref"]

    def __str__(self) -> str:
        return f"{self.ref}: {self.title}"

    def to_core(self) -> IndicatorSpec:
        return IndicatorSpec(
            ref=self.ref,
            title=self.title,
            unit=Unit(self.unit),
            polarity=Polarity(self.polarity),
            frequency=Frequency(self.frequency),
            rating_basis=RatingBasis(self.rating_basis),
            decimals=self.decimals,
            aggregation=Aggregation(self.aggregation),
            rules=RatingRules(
                method=ToleranceMethod(self.tolerance_method),
                red_threshold=self.red_threshold,
                blue_threshold=self.blue_threshold,
            ),
            lag=self.lag,
        )


class Link(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator", "position"]

    def __str__(self) -> str:
        return self.title


class Target(PeriodFields):
    """A target for one period, or a milestone to reach by the end of one."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=10, choices=_choices(TargetKind), default="period")
    value = value_field()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["indicator", "last_month", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "kind", "frequency", "first_month"], name="unique_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ref} {self.kind} {self.period}: {self.value}"

    def to_core(self) -> TargetEntry:
        return TargetEntry(self.get_period(), self.value, TargetKind(self.kind))
