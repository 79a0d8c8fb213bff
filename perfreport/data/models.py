"""Values and what services say about them: observations, commentary, actions;
and the round's collection of them (``Round``, ``Entry``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from perfreport.core.indicator import Point
from perfreport.core.rating import Rating
from perfreport.core.withheld import Figure, Withheld
from perfreport.core.workflow import EntryState
from perfreport.registry.models import (
    Indicator,
    Measure,
    Organisation,
    PlanAction,
    label_of,
    value_field,
)
from perfreport.registry.periods import PeriodFields

# Labels in the active language when shown, not the language at import.
RATING_CHOICES = [(r.value, lazy(lambda r=r: r.label, str)()) for r in Rating]


class ObservationQuerySet(models.QuerySet["Observation"]):
    """The reads every page, report and command repeats, written once."""

    def home(self) -> ObservationQuerySet:
        """The values of the home organisation, whose report this is."""
        return self.filter(organisation__is_home=True)

    def published(self) -> ObservationQuerySet:
        """Values the public may see: never a draft."""
        return self.filter(is_draft=False)

    def for_period(self, frequency: str, first_month: int) -> ObservationQuerySet:
        return self.filter(frequency=frequency, first_month=first_month)

    def points(self) -> ObservationQuerySet:
        """(indicator id, frequency, first month, value) in series order, of
        the values that are numbers (none withheld)."""
        return (
            self.filter(value__isnull=False)
            .order_by("indicator_id", "last_month")
            .values_list(  # type: ignore[return-value]
                "indicator_id", "frequency", "first_month", "value"
            )
        )


class CommentaryQuerySet(models.QuerySet["Commentary"]):
    def published(self) -> CommentaryQuerySet:
        """Commentary the public may see: never a draft."""
        return self.filter(is_draft=False)

    def for_period(self, frequency: str, first_month: int) -> CommentaryQuerySet:
        return self.filter(frequency=frequency, first_month=first_month)


class Observation(PeriodFields):
    """The value of one indicator for one organisation and period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="observations"
    )
    value = value_field(null=True, blank=True, help_text=_("Empty when withheld as published."))
    withheld_as = models.CharField(
        _("withheld as"),
        max_length=40,
        blank=True,
        default="",
        db_default="",  # also for the import's plain INSERTs
        help_text=_(
            'The figure as published instead of a number ("c", "fewer than 10"): '
            "shown as printed, never rated, charted or averaged. Empty: the value is a number."
        ),
    )
    numerator = value_field(null=True, blank=True)
    denominator = value_field(null=True, blank=True)
    stated_rag = models.CharField(
        _("rating as published"), max_length=10, choices=RATING_CHOICES, blank=True
    )
    rating_printed = models.BooleanField(
        _("from a published report"),
        default=False,
        db_default=False,  # also for the import's plain INSERTs
        help_text=_(
            "The figure came from a published report that prints ratings (imported "
            "with a stated_rag column), so a rating left blank there is worth a finding; figures "
            "entered or computed in perfreport never are."
        ),
    )
    is_draft = models.BooleanField(
        _("draft"),
        default=False,
        db_default=False,  # also for the import's plain INSERTs
        help_text=_(
            "A draft value is not published: the public pages, open data and "
            "public reports leave it out."
        ),
    )
    first_value = value_field(
        null=True,
        blank=True,
        help_text=_("The value as first imported: a later change is a restatement."),
    )
    restated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "organisation", "last_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "frequency", "first_month"],
                name="unique_observation",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False, withheld_as="")
                | Q(value__isnull=True) & ~Q(withheld_as=""),
                name="observation_value_or_withheld",
                violation_error_message="Give a value, or the text it was withheld as "
                '(such as c or "fewer than 10"), not both.',
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "last_month"]),
            # The checks of suspect values look for these few rows among all values.
            models.Index(
                fields=["organisation", "indicator"],
                condition=Q(numerator__isnull=False),
                name="observation_with_fraction",
            ),
            models.Index(
                fields=["organisation", "indicator"],
                condition=Q(restated_at__isnull=False),
                name="observation_restated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ref} {self.period}: {self.withheld_as or self.value}"

    def to_core(self) -> Figure:
        """The value, or the figure withheld as published."""
        if self.value is None:
            return Withheld(self.get_period(), self.withheld_as)
        return Point(self.get_period(), self.value)

    def value_changed(
        self, old_value: Decimal | None, was_draft: bool, now: datetime | None = None
    ) -> tuple[str, ...]:
        """The restatement rule, for every writer (the round, the API, the
        import, the admin, a revert): record that ``value`` was changed from
        ``old_value``. A draft was never published, so its new figure is its
        first; a published figure's change is a restatement, dated, with the
        first figure kept. Returns the fields this set, to save with the value."""
        if was_draft:
            self.first_value = self.value
            return ("first_value",)
        if self.first_value is None:
            self.first_value = old_value
        self.restated_at = now or timezone.now()
        return ("first_value", "restated_at")


class Commentary(PeriodFields):
    """What the service says about an indicator for a period, and the actions
    it is taking (expected for every Red)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="commentary")
    text = models.TextField(_("commentary"), blank=True)
    actions = models.TextField(blank=True)
    text_cy = models.TextField(_("commentary (Welsh)"), blank=True)
    actions_cy = models.TextField(_("actions (Welsh)"), blank=True)
    is_draft = models.BooleanField(
        _("draft"),
        default=False,
        db_default=False,
        help_text=_(
            "Draft commentary is not published: the public pages, open data, the API "
            "without a token and public reports leave it out."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentaryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("commentary")
        ordering = ["indicator", "last_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "frequency", "first_month"], name="unique_commentary"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ref} {self.period}"


class BenchmarkValue(models.Model):
    """A published value of a national measure for one organisation and period.

    The period is kept as published ("2019/20", "2014-16", "2024 (Rev)") with
    its last month for ordering; a suppressed or missing value is kept as
    empty, so that it is counted, not mistaken for zero.

    A national file holds millions of these, so the table carries one index,
    the unique key (which serves every query, all by measure first), and no
    foreign-key constraints in the database: the loader checks every measure
    and organisation before it writes, and Django still cascades deletes.
    Constraints and indexes on the two keys made a 5-million-row load twice as
    slow (see bench/README.md).
    """

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="values",
        db_constraint=False,
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="benchmark_values",
        db_constraint=False,
        db_index=False,
    )
    period = models.CharField(max_length=40)
    last_month = models.IntegerField(help_text=_("Months since year 0 of the period's last month."))
    value = value_field(null=True, blank=True)
    numerator = value_field(null=True, blank=True)
    denominator = value_field(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "organisation", "period"], name="unique_benchmark_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.organisation_id} {self.period}: {self.value}"


class DataVersion(models.Model):
    """One row whose number goes up whenever the register or its data change:
    every import, every save or deletion through the admin, the pages or the
    API. Pages keep an evaluation while the number stays the same."""

    number = models.PositiveBigIntegerField(default=0)
    # A new random token with every change, so that two databases (a test's,
    # a restored backup) never share a version.
    token = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"data version {self.number}"


# The round's collection of values: its Round and Entry records. The tables are
# the ones the rounds app made (rounds_round, rounds_entry); the models moved here
# so that the write path and the selectors read them without importing upward.


class RoundState(models.TextChoices):
    OPEN = "open", _("Open")
    PUBLISHED = "published", _("Published")


class Round(PeriodFields):
    """The collection of values and commentary for one reporting period."""

    deadline = models.DateField(help_text=_("When entries are due from their owners."))
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
        help_text=_(
            "Every entry as published, frozen: the report and public pages for this "
            "period show these figures."
        ),
    )

    class Meta:
        db_table = "rounds_round"
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
    """One indicator's value, commentary and actions in a round, for one of
    the indicator's own periods that the round collects (a month, a quarter,
    a year; a monthly indicator may have an entry for each month of the
    round's quarter that had no value). ``version`` goes up with every save:
    a save that names an older version is refused, never a silent overwrite."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    state = models.CharField(
        max_length=12,
        choices=[(s.value, label_of(s)) for s in EntryState],
        default=EntryState.NOT_STARTED.value,
        db_index=True,
    )
    value = value_field(null=True, blank=True)
    withheld_as = models.CharField(
        _("withheld as"),
        max_length=40,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            'The figure as it will be published instead of a number ("c"); empty '
            "otherwise. Empty with no value: nothing entered yet."
        ),
    )
    numerator = value_field(null=True, blank=True)
    denominator = value_field(null=True, blank=True)
    commentary = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    commentary_cy = models.TextField(_("commentary (Welsh)"), blank=True)
    actions_cy = models.TextField(_("actions (Welsh)"), blank=True)
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
        db_table = "rounds_entry"
        verbose_name_plural = _("entries")
        ordering = ["round", "indicator__position", "indicator__ref", "first_month"]
        constraints = [
            # A monthly indicator's round may collect several months: one entry each.
            models.UniqueConstraint(
                fields=["round", "indicator", "frequency", "first_month"], name="unique_entry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.ref} {self.period} ({self.get_state_display()})"

    @property
    def entry_state(self) -> EntryState:
        return EntryState(self.state)


def open_entries() -> Q:
    return Q(state__in=[s.value for s in EntryState if s.is_open])


def _evidence_path(instance: Evidence, filename: str) -> str:
    """Where an evidence file is kept: a random name, so that the name a
    person gave it never reaches the file system (it is kept in ``name``)."""
    import uuid

    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class Evidence(models.Model):
    """A file attached to an entry as evidence for its value: a PDF, picture,
    workbook, document or text file, checked by what it holds, kept with
    Django's storage API under MEDIA_ROOT and downloaded only by the entry's
    owners, its approvers and administrators."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=255)
    name = models.CharField(max_length=130)  # as uploaded, made safe (core.evidence.safe_filename)
    kind = models.CharField(max_length=10)  # core.evidence.KINDS: "pdf", "xlsx"
    size = models.PositiveBigIntegerField()  # bytes
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.entry})"


class ActionUpdate(PeriodFields):
    """An action's or project's progress in one period: how complete it is,
    its milestones done and a note. It moves through a round as an entry
    does (:class:`perfreport.core.workflow.EntryState`); only a published
    update is public, and publishing it writes its figures to the action
    (``PlanAction.percent_complete``, ``progress``, milestones'
    ``completed_on``). An update made by the import without a round is
    published as it lands, like an imported value."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.CASCADE, related_name="action_updates"
    )
    state = models.CharField(
        max_length=12,
        choices=[(s.value, label_of(s)) for s in EntryState],
        default=EntryState.NOT_STARTED.value,
        db_index=True,
    )
    percent_complete = value_field(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    milestones_done = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Milestones done by this update: milestone id to the ISO date it was done."),
    )
    note = models.TextField(_("progress"), blank=True)
    note_cy = models.TextField(_("progress (Welsh)"), blank=True)
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
    published_at = models.DateTimeField(null=True, blank=True)
    restated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action__position", "action__ref", "-last_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "frequency", "first_month"], name="unique_action_update"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} {self.period} ({self.get_state_display()})"

    @property
    def entry_state(self) -> EntryState:
        return EntryState(self.state)

    @property
    def is_public(self) -> bool:
        return self.state == EntryState.PUBLISHED.value
