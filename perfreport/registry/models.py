"""The indicator register: organisations, directorates, services, indicators,
their links and targets."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from perfreport.core.indicator import Aggregation, IndicatorSpec
from perfreport.core.periods import Frequency
from perfreport.core.plan import (
    DUE_SOON_DAYS,
    ActionKind,
    ActionSpec,
    IndicatorKind,
    MilestoneSpec,
    RollupMethod,
    RollupRule,
    level_name,
)
from perfreport.core.plan import MAX_DEPTH as MAX_PLAN_DEPTH
from perfreport.core.rating import (
    BUILT_IN_SCHEMES,
    DEFAULT_SCHEME,
    OWN_THRESHOLDS,
    Band,
    GapMeasure,
    Polarity,
    Rating,
    RatingBasis,
    RatingRules,
    Scheme,
)
from perfreport.core.targets import TargetEntry, TargetKind, TargetRule
from perfreport.core.units import Unit, UnitFormat, parse_unit_label
from perfreport.registry.periods import (
    FREQUENCY_CHOICES,
    YEAR_START_CHOICES,
    PeriodFields,
    fy_start_month,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _label(member: Any) -> str:
    return str(member.label)


# A choice's label in the language of the page that shows it (get_FOO_display),
# not the language at start-up: the enum's label, looked up when it is shown.
label_of = lazy(_label, str)


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


def value_field(verbose_name: StrOrPromise | None = None, **options: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """A number as perfreport keeps it: 20 digits, 6 after the point."""
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=6, **options)


class Organisation(models.Model):
    """A council or other body, identified by its GSS or LA code. One is the
    home organisation whose report this is; the others are for comparison."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=50, blank=True, help_text=_("england (or national) and region have a meaning.")
    )
    la_number = models.CharField(
        _("LA number"),
        max_length=10,
        blank=True,
        db_index=True,
        help_text=_("The DfE's three-digit local authority number, as LAIT and DfE data use."),
    )
    is_home = models.BooleanField(default=False)
    scheme = models.CharField(
        _("rating scheme"),
        max_length=60,
        blank=True,
        help_text=_(
            "The home organisation's Key: seed, tolerance, met or a scheme of "
            "schemes.csv. Empty: seed."
        ),
    )
    baseline_label = models.CharField(
        max_length=60, blank=True, help_text=_("What the Key calls Baseline (empty: Baseline).")
    )
    contextual_label = models.CharField(
        max_length=60, blank=True, help_text=_("What the Key calls Contextual (empty: Contextual).")
    )
    baseline_label_cy = models.CharField(
        _("baseline label (Welsh)"), max_length=60, blank=True, help_text=_("Empty: Sylfaen.")
    )
    contextual_label_cy = models.CharField(
        _("contextual label (Welsh)"),
        max_length=60,
        blank=True,
        help_text=_("Empty: Cyd-destunol."),
    )
    # Welsh and English (issue 17): with bilingual mode on, a round publishes only
    # when every public item has its Welsh text.
    bilingual = models.BooleanField(
        _("Publish in Welsh and English"),
        default=False,
        help_text=_(
            "Publishing is refused while an indicator, commentary, plan item, action or "
            "the report's title lacks its Welsh text."
        ),
    )
    # The report's cover, for the home organisation; a report.toml overrides each.
    report_title = models.CharField(
        max_length=200, blank=True, help_text=_("The reports' title. Empty: Performance report.")
    )
    report_team = models.CharField(
        max_length=200, blank=True, help_text=_("Who produces the reports. Empty: no team line.")
    )
    report_contact = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("An e-mail address, telephone number or web address for the reports' cover."),
    )
    report_title_cy = models.CharField(
        _("report title (Welsh)"),
        max_length=200,
        blank=True,
        help_text=_("Empty: Adroddiad perfformiad."),
    )
    report_team_cy = models.CharField(_("report team (Welsh)"), max_length=200, blank=True)
    report_contact_cy = models.CharField(
        _("report contact (Welsh)"),
        max_length=300,
        blank=True,
        help_text=_("The contact line in Welsh. Empty: the English."),
    )
    report_logo = models.FileField(
        upload_to="logos/",
        blank=True,
        help_text=_("A PNG or JPEG picture for the reports' cover."),
    )
    # Email from the system (reminders, returned and published figures).
    email_from = models.EmailField(
        _("emails come from"),
        blank=True,
        help_text=_(
            "The address perfreport's emails come from. Empty: the DEFAULT_FROM_EMAIL setting."
        ),
    )
    # The open data's licence.
    licence_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "The licence the open data is published under. Empty: Open Government Licence v3.0."
        ),
    )
    licence_url = models.URLField(
        blank=True,
        help_text=_("The licence's web address. Empty: the Open Government Licence's."),
    )
    # The council plan's roll-up and action status rules (perfreport.core.plan).
    plan_rule = models.CharField(
        _("plan roll-up rule"),
        max_length=10,
        choices=_choices(RollupMethod),
        default=RollupMethod.WORST.value,
        help_text=_(
            "How a priority's or outcome's indicators and actions make one status: the "
            "worst of them, the rating most of them have, or the share Green or better."
        ),
    )
    plan_green_share = value_field(
        _("Green share (%)"),
        default=Decimal(75),
        help_text=_("With the share rule: Green when at least this share is Green or better."),
    )
    plan_amber_share = value_field(
        _("Amber share (%)"),
        default=Decimal(50),
        help_text=_("With the share rule: Amber when at least this share is Green or better."),
    )
    action_due_soon_days = models.PositiveSmallIntegerField(
        _("action due soon (days)"),
        default=DUE_SOON_DAYS,
        help_text=_("An action due within this many days and behind schedule is at risk."),
    )

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

    @property
    def rollup_rule(self) -> RollupRule:
        """The plan's roll-up rule as the core applies it."""
        return RollupRule(
            RollupMethod(self.plan_rule or RollupMethod.WORST.value),
            self.plan_green_share,
            self.plan_amber_share,
        )

    def clean(self) -> None:
        try:
            self.rollup_rule  # noqa: B018 - checks the shares
        except ValueError as error:
            raise ValidationError({"plan_amber_share": str(error)}) from None

    @classmethod
    def plan_rules(cls) -> tuple[RollupRule, int]:
        """The home organisation's roll-up rule and action due-soon days (the
        defaults where there is no home organisation)."""
        return cls.rules_of(cls.objects.filter(is_home=True).first())

    @staticmethod
    def rules_of(home: Organisation | None) -> tuple[RollupRule, int]:
        """``home``'s roll-up rule and action due-soon days, or the defaults."""
        if home is None:
            return RollupRule(), DUE_SOON_DAYS
        return home.rollup_rule, home.action_due_soon_days


NATIONAL_KINDS = ("england", "national")


class GroupKind(StrEnum):
    STATISTICAL_NEIGHBOURS = "statistical_neighbours"
    FAMILY = "family"
    REGION = "region"
    CUSTOM = "custom"

    @property
    def includes_home(self) -> bool:
        """Whether a group of this kind publishes an average that includes the
        council itself: family groups (Scotland's LGBF) and regions (LAIT's
        regional figures) do; statistical neighbours' means do not."""
        return self in (GroupKind.FAMILY, GroupKind.REGION)


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
        help_text=_(
            "Whose group this is (an organisation's statistical neighbours); empty for a "
            "shared group."
        ),
    )
    members: models.ManyToManyField[Organisation, GroupMember] = models.ManyToManyField(
        Organisation, through="GroupMember", related_name="groups"
    )
    includes_home = models.BooleanField(
        _("average includes the home organisation"),
        null=True,
        blank=True,
        help_text=_(
            "Whether the group's published average includes the home organisation. "
            "Empty: by its kind (family groups and regions yes; statistical neighbours and "
            "custom groups no)."
        ),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def average_includes_home(self) -> bool:
        """``includes_home`` where set, else the default of the group's kind."""
        if self.includes_home is not None:
            return self.includes_home
        return GroupKind(self.kind).includes_home


class GroupMember(models.Model):
    group = models.ForeignKey(ComparatorGroup, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text=_("SN1 is 1."))

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
        max_length=6, choices=_choices(Polarity), blank=True, help_text=_("Empty: no direction.")
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
    ref = models.CharField(_("reference"), max_length=40, unique=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    title_cy = models.CharField(_("title (Welsh)"), max_length=300, blank=True)
    description_cy = models.TextField(_("description (Welsh)"), blank=True)
    source = models.TextField(blank=True)
    unit = models.CharField(max_length=10, choices=_choices(Unit))
    unit_label = models.CharField(
        max_length=40,
        blank=True,
        help_text=_(
            "How the unit is printed around the number: a scale (k, m, bn) and words, "
            "such as £m, days or per 10,000. Empty: the unit alone."
        ),
    )
    decimals = models.PositiveSmallIntegerField(default=1)
    polarity = models.CharField(max_length=6, choices=_choices(Polarity))
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES)
    aggregation = models.CharField(
        max_length=10, choices=_choices(Aggregation), default=Aggregation.SNAPSHOT.value
    )
    rating_basis = models.CharField(max_length=10, choices=_choices(RatingBasis))
    scheme = models.CharField(
        _("rating scheme"),
        max_length=60,
        blank=True,
        help_text=_("A scheme by name, over the organisation's. Empty: the organisation's."),
    )
    target_rule = models.CharField(
        max_length=20,
        choices=_choices(TargetRule),
        blank=True,
        help_text=_(
            "A target set by rule rather than by number: better than the same period "
            "last year, than the previous period, at least the national or comparator average, "
            "in the comparator group's top quartile. Empty: its targets."
        ),
    )
    tolerance_method = models.CharField(
        max_length=10,
        choices=_choices(GapMeasure),
        blank=True,
        help_text=_(
            "Set, with the thresholds: the indicator's own Key of the seed's shape. "
            "Empty: it follows its scheme."
        ),
    )
    red_threshold = value_field(null=True, blank=True)
    blue_threshold = value_field(
        null=True, blank=True, help_text=_("With own thresholds, empty means no Blue band.")
    )
    lag = models.PositiveSmallIntegerField(
        default=0, help_text=_("Periods of its frequency by which its data trails the report.")
    )
    year_start = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=YEAR_START_CHOICES,
        help_text=_(
            "The month its years start: January for calendar years, September for "
            "academic years. Empty: the organisation's financial year."
        ),
    )
    release_lag_months = models.PositiveSmallIntegerField(
        default=0,
        help_text=_(
            "Months after a period ends until its figure is published; a value older "
            "than that is overdue."
        ),
    )
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    owner = models.CharField(max_length=200, blank=True)
    neighbours_mean = value_field(_("statistical neighbours mean"), null=True, blank=True)
    england_mean = value_field(null=True, blank=True)
    national_code = models.CharField(
        max_length=60,
        blank=True,
        db_index=True,
        help_text=_("The national measure whose published values benchmark this indicator."),
    )
    comparator_group = models.ForeignKey(
        ComparatorGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        help_text=_("Empty: the home organisation's statistical neighbours."),
    )
    position = models.PositiveIntegerField(default=0, help_text=_("Order in the report."))
    kind = models.CharField(
        _("type"),
        max_length=12,
        choices=[(k.value, label_of(k)) for k in IndicatorKind],
        default=IndicatorKind.PERFORMANCE.value,
        help_text=_(
            "What it is for in the council plan: a key result, a performance indicator, "
            "or activity or context."
        ),
    )

    class Meta:
        ordering = ["position", "ref"]

    def __str__(self) -> str:
        return f"{self.ref}: {self.title}"

    @property
    def own_rules(self) -> RatingRules | None:
        """The indicator's own thresholds, where it has them."""
        if not self.tolerance_method:
            return None
        return RatingRules(
            method=GapMeasure(self.tolerance_method),
            red_threshold=Decimal(10) if self.red_threshold is None else self.red_threshold,
            blue_threshold=self.blue_threshold,
        )

    def to_core(self, schemes: SchemeBook | None = None) -> IndicatorSpec:
        """The indicator as the core evaluates it. ``schemes`` are the schemes
        in force (read from the register when not given: pass them in a loop)."""
        book = schemes if schemes is not None else SchemeBook.load()
        return IndicatorSpec(
            ref=self.ref,
            title=self.title,
            unit=Unit(self.unit),
            polarity=Polarity(self.polarity),
            frequency=Frequency(self.frequency),
            rating_basis=RatingBasis(self.rating_basis),
            decimals=self.decimals,
            aggregation=Aggregation(self.aggregation),
            scheme=book.for_indicator(self),
            target_rule=TargetRule(self.target_rule) if self.target_rule else None,
            lag=self.lag,
            unit_label=self.unit_format.label,
            year_start=self.year_start_month,
            release_lag_months=self.release_lag_months,
        )

    @property
    def unit_format(self) -> UnitFormat:
        """The unit with its label (``£m``, ``days``), as every output prints a value."""
        unit = Unit(self.unit)
        return UnitFormat(unit, parse_unit_label(self.unit_label, unit))

    def clean(self) -> None:
        """Refuse a unit label its unit cannot take, naming the rule."""
        if self.unit not in Unit.__members__.values():
            return  # the unit's own field reports it
        try:
            parse_unit_label(self.unit_label, Unit(self.unit))
        except ValueError as error:
            raise ValidationError({"unit_label": f"{self.unit_label!r} {error}"}) from None

    @property
    def year_start_month(self) -> int:
        """The month its years start: its own, else the organisation's financial year's."""
        return self.year_start or fy_start_month()


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
    first_value = value_field(
        null=True,
        blank=True,
        help_text=_(
            "The target first set, kept when the target is changed; empty if never changed."
        ),
    )

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

    def value_changed(self, old_value: Decimal) -> tuple[str, ...]:
        """Record that ``value`` was changed from ``old_value``, for every writer
        (the import, the admin): the target first set is kept, so that a changed
        target of a period can be reported with what it was. Returns the
        fields this set, to save with the value."""
        if self.first_value is None and old_value != self.value:
            self.first_value = old_value
            return ("first_value",)
        return ()


# Labels in the active language when shown, not the language at import.
COLOUR_RATINGS = [(r.value, lazy(lambda r=r: r.label, str)()) for r in Rating if r.is_colour]


class RatingScheme(models.Model):
    """A Key the organisation defined (``schemes.csv``), beside the built-in
    seed, tolerance and met schemes."""

    name = models.CharField(max_length=60, unique=True)
    measure = models.CharField(
        max_length=10, choices=_choices(GapMeasure), default=GapMeasure.RELATIVE.value
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def to_core(self, bands: list[SchemeBand] | None = None) -> Scheme:
        """The scheme as the core rates by it; raises SchemeError if it cannot rate."""
        rows = bands if bands is not None else list(self.bands.all())
        return Scheme(
            self.name,
            tuple(b.to_core() for b in sorted(rows, key=lambda b: b.position)),
            GapMeasure(self.measure),
        )


class SchemeBand(models.Model):
    """One band of a scheme: a rating and the least gap it takes."""

    scheme = models.ForeignKey(RatingScheme, on_delete=models.CASCADE, related_name="bands")
    position = models.PositiveSmallIntegerField(help_text=_("0 is the best band."))
    rating = models.CharField(max_length=10, choices=COLOUR_RATINGS)
    gap_from = value_field(null=True, blank=True, help_text=_("Empty on the last band only."))
    inclusive = models.BooleanField(default=True)
    label = models.CharField(max_length=60, blank=True)
    symbol = models.CharField(max_length=8, blank=True)
    colour = models.CharField(max_length=20, blank=True, help_text=_("e.g. #00703c"))
    description = models.TextField(blank=True)
    label_cy = models.CharField(_("label (Welsh)"), max_length=60, blank=True)
    description_cy = models.TextField(_("description (Welsh)"), blank=True)

    class Meta:
        ordering = ["scheme", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "position"], name="unique_band_position"),
            models.UniqueConstraint(fields=["scheme", "rating"], name="unique_band_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}: {self.rating}"

    def to_core(self) -> Band:
        return Band(
            Rating(self.rating),
            self.gap_from,
            self.inclusive,
            self.label,
            self.symbol,
            self.colour,
            self.description,
        )


@dataclass(frozen=True)
class SchemeBook:
    """The schemes in force: the built-in ones, the organisation's own, and
    which one is the home organisation's, with its labels for Baseline and
    Contextual. Read once (:meth:`load`) and passed to every indicator."""

    schemes: dict[str, Scheme]
    default: Scheme

    @classmethod
    def load(cls) -> SchemeBook:
        schemes = dict(BUILT_IN_SCHEMES)
        bands: dict[int, list[SchemeBand]] = {}
        for band in SchemeBand.objects.all():
            bands.setdefault(band.scheme_id, []).append(band)
        for row in RatingScheme.objects.all():
            schemes[row.name] = row.to_core(bands.get(row.pk, []))
        home = Organisation.objects.filter(is_home=True).first()
        name = home.scheme if home and home.scheme else DEFAULT_SCHEME.name
        baseline = home.baseline_label if home else ""
        contextual = home.contextual_label if home else ""
        labelled = {
            n: replace(s, baseline_label=baseline, contextual_label=contextual)
            for n, s in schemes.items()
        }
        return cls(labelled, labelled.get(name, labelled[DEFAULT_SCHEME.name]))

    def named(self, name: str) -> Scheme:
        """The scheme called ``name`` (the default for an empty name)."""
        return self.schemes[name] if name else self.default

    def for_indicator(self, indicator: Indicator) -> Scheme:
        """The indicator's own thresholds, the scheme it names, or the default."""
        rules = indicator.own_rules
        if rules is not None:
            own = rules.scheme(f"{indicator.ref}'s {OWN_THRESHOLDS}")
            if own.same_bands(self.default):
                return self.default  # thresholds that are the Key in force
            return replace(
                own,
                baseline_label=self.default.baseline_label,
                contextual_label=self.default.contextual_label,
            )
        return self.schemes.get(indicator.scheme, self.default)


# -- The council plan -------------------------------------------------------------------


class PlanItem(models.Model):
    """A priority of the council plan (no parent), an outcome under a
    priority, or an optional third level under an outcome. Its indicators are
    linked by :class:`PlanLink`: an indicator may serve several outcomes."""

    ref = models.CharField(_("reference"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    title_cy = models.CharField(_("title (Welsh)"), max_length=300, blank=True)
    description_cy = models.TextField(_("description (Welsh)"), blank=True)
    lead = models.CharField(max_length=200, blank=True, help_text=_("Who leads it, as printed."))
    position = models.PositiveIntegerField(default=0, help_text=_("Order among its siblings."))
    indicators: models.ManyToManyField[Indicator, PlanLink] = models.ManyToManyField(
        Indicator, through="PlanLink", related_name="plan_items", blank=True
    )

    class Meta:
        ordering = ["position", "ref"]

    def __str__(self) -> str:
        return f"{self.ref}: {self.title}"

    @property
    def depth(self) -> int:
        """1 for a priority, 2 for an outcome, 3 for the level under it."""
        depth, item = 1, self
        while item.parent_id is not None:
            depth += 1
            item = item.parent  # type: ignore[assignment]
            if depth > MAX_PLAN_DEPTH:
                break
        return depth

    @property
    def level(self) -> str:
        return level_name(self.depth)

    def clean(self) -> None:
        seen = {self.pk}
        item, depth = self.parent, 1
        while item is not None:
            if item.pk in seen:
                raise ValidationError({"parent": _("an item cannot be under itself")})
            seen.add(item.pk)
            depth += 1
            item = item.parent
        if depth > MAX_PLAN_DEPTH:
            raise ValidationError(
                {
                    "parent": _(
                        "the plan has at most %(levels)s levels: priority, outcome and one under it"
                    )
                    % {"levels": MAX_PLAN_DEPTH}
                }
            )


class PlanLink(models.Model):
    """An indicator serving a plan item, shown there in ``position`` order."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="links")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="plan_links")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["item", "position", "indicator__ref"]
        constraints = [
            models.UniqueConstraint(fields=["item", "indicator"], name="unique_plan_link")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ← {self.indicator_id}"


class PlanAction(models.Model):
    """An action or project of the plan: who owns it, what it serves, when
    it runs. Its progress (``percent_complete``, ``progress``) is the latest
    *published* update's, written only when a round publishes it or by the
    BI team's import: an owner's draft update is a
    :class:`perfreport.data.models.ActionUpdate` until then."""

    ref = models.CharField(_("reference"), max_length=40, unique=True)
    kind = models.CharField(
        max_length=10,
        choices=[(k.value, label_of(k)) for k in ActionKind],
        default=ActionKind.ACTION.value,
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True, help_text=_("Who owns it, as printed."))
    title_cy = models.CharField(_("title (Welsh)"), max_length=300, blank=True)
    description_cy = models.TextField(_("description (Welsh)"), blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
        help_text=_(
            "The person who updates it in the round (the owners of its indicators may too)."
        ),
    )
    directorate = models.ForeignKey(
        Directorate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        help_text=_("Whose approvers sign its updates off. Empty: any approver."),
    )
    outcomes: models.ManyToManyField[PlanItem, Any] = models.ManyToManyField(
        PlanItem, related_name="actions", blank=True
    )
    indicators: models.ManyToManyField[Indicator, Any] = models.ManyToManyField(
        Indicator, related_name="plan_actions", blank=True
    )
    start = models.DateField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    percent_complete = value_field(
        null=True, blank=True, help_text=_("0 to 100, as last published.")
    )
    progress = models.TextField(blank=True, help_text=_("The progress note as last published."))
    progress_cy = models.TextField(
        _("progress (Welsh)"), blank=True, help_text=_("The Welsh progress note as last published.")
    )
    progress_period = models.CharField(
        max_length=16, blank=True, help_text=_("The period of the last published update.")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "ref"]
        verbose_name = _("action or project")
        verbose_name_plural = _("actions and projects")

    def __str__(self) -> str:
        return f"{self.ref}: {self.title}"

    def clean(self) -> None:
        if self.start and self.due and self.due < self.start:
            raise ValidationError({"due": _("the due date is before the start")})
        if self.percent_complete is not None and not 0 <= self.percent_complete <= 100:
            raise ValidationError({"percent_complete": _("give a percentage from 0 to 100")})

    def to_core(
        self,
        milestones: list[Milestone] | None = None,
        percent: Decimal | None = None,
        completed_on: date | None = None,
    ) -> ActionSpec:
        """The action as its status is worked out: as published, or with a
        draft update's ``percent`` and ``completed_on`` where given."""
        rows = milestones if milestones is not None else list(self.milestones.all())
        return ActionSpec(
            self.ref,
            self.title,
            start=self.start,
            due=self.due,
            percent=self.percent_complete if percent is None else percent,
            completed_on=self.completed_on if completed_on is None else completed_on,
            milestones=tuple(m.to_core() for m in rows),
        )


class Milestone(models.Model):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due = models.DateField()
    completed_on = models.DateField(
        null=True, blank=True, help_text=_("As last published, or set by the BI team.")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["action", "due", "position"]
        constraints = [
            models.UniqueConstraint(fields=["action", "title"], name="unique_milestone_title")
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.title}"

    def to_core(self) -> MilestoneSpec:
        return MilestoneSpec(self.title, self.due, self.completed_on)
