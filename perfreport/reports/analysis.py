"""The analysis blocks of an indicator's page, as text: its benchmarks, its
statistical process control (SPC) and its forecast to the next milestone.

Built from an evaluated row's ``benchmark`` and ``analytics``; every figure is
text with its unit and the period it belongs to, so the renderers only lay out.
The drafted commentary (``analytics.draft``) is deliberately left out: it is
for the people writing the commentary, not for the committee.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext, pgettext_lazy

from perfreport.core.benchmarking import GroupComparison, GroupMean, GroupMeanBasis, NationalBasis
from perfreport.core.indicator import IndicatorSpec
from perfreport.core.periods import Frequency, Period, parse_period
from perfreport.core.spc import Assurance, Chart, SpcResult, Variation
from perfreport.core.targets import TargetKind
from perfreport.core.units import Unit, affixes, format_number, format_value
from perfreport.data.analytics import MIN_FORECAST_POINTS
from perfreport.data.selectors import IndicatorEvaluation
from perfreport.registry.bilingual import text
from perfreport.registry.models import GroupKind

MIN_SPC_VALUES = 2
# The group mean's column, by the comparator group's kind; the seed's words otherwise.
GROUP_HEADINGS = {
    GroupKind.FAMILY: N_("Family Group Mean"),
    GroupKind.REGION: N_("Regional Mean"),
    GroupKind.CUSTOM: N_("Comparator Group Mean"),
}
NEIGHBOURS_HEADING = N_("Statistical Neighbours Mean")  # each translated where used
QUARTILE_WORDS = {
    1: N_("top quartile"),
    2: N_("second quartile"),
    3: N_("third quartile"),
    4: N_("bottom quartile"),
}


@dataclass(frozen=True)
class Benchmarks:
    """The comparisons beside the RAG rating: the comparator group and the national figure."""

    heading: str  # "Benchmarks for 2019/20 (latest published)"; "" when entered by hand
    group_heading: str  # "Statistical Neighbours Mean", "Family Group Mean"
    group_name: str  # "My neighbours"; "" when not known
    mean: str  # "58.5%", "N/A"
    mean_basis: str  # "entered by hand", whose values it is of, or ""
    median: str  # "55.5%", or "" when there is none
    rank: str  # "2nd of 4", or ""
    quartile: str  # "second quartile", or why there is none, or ""
    national_heading: str  # "England Mean" (entered by hand), else "England"
    national: str  # "58.2%", "N/A"
    national_basis: str  # "as published", "entered by hand", …

    @property
    def caption(self) -> str:
        """ "Benchmarks for 2019/20 (latest published); comparator group: My neighbours"."""
        if not self.heading:
            return ""
        group = (
            _("; comparator group: %(name)s") % {"name": self.group_name} if self.group_name else ""
        )
        return self.heading + group

    @property
    def mean_text(self) -> str:
        """The mean with its basis when entered by hand: "96.10% (entered by hand)"."""
        return f"{self.mean} ({self.mean_basis})" if self.mean_basis else self.mean

    @property
    def national_text(self) -> str:
        return f"{self.national} ({self.national_basis})" if self.national_basis else self.national

    @property
    def standing(self) -> str:
        """ "Ranked 2nd of 4, second quartile" (1st is the best), or ""."""
        if not self.rank:
            return self.quartile.capitalize() if self.quartile else ""
        if self.quartile:
            return _("Ranked %(rank)s, %(quartile)s") % {
                "rank": self.rank,
                "quartile": self.quartile,
            }
        return _("Ranked %(rank)s") % {"rank": self.rank}


@dataclass(frozen=True)
class SpcBlock:
    """Statistical process control under the trend: icons, their words and the explanation.

    ``result`` and ``periods`` draw the SPC chart, which is drawn only for an
    XmR chart (15 or more values); a run chart is told in words.
    """

    kind: str  # "XmR chart", "Run chart"
    variation: Variation | None
    assurance: Assurance | None
    explanation: str
    result: SpcResult
    periods: tuple[str, ...]  # one per point: "Q2 2020/21"
    title: str
    unit_suffix: str
    prefix: str
    axis_title: str | None = None  # a unit label's words: "days", "per 10,000"

    @property
    def has_chart(self) -> bool:
        return self.result.chart is Chart.XMR

    @property
    def variation_label(self) -> str:
        return self.variation.label if self.variation else ""

    @property
    def assurance_label(self) -> str:
        return self.assurance.label if self.assurance else ""


@dataclass(frozen=True)
class ForecastBlock:
    """The forecast to the next milestone target, or the one line why there is none."""

    sentence: str  # names the method; "" when there is no forecast
    missing: str  # "No forecast: 3 values, 6 are needed."; "" otherwise


# -- building -------------------------------------------------------------------


# Months as the tables and charts print them, in the active language.
SHORT_MONTHS = (
    pgettext_lazy("short month", "Jan"),
    pgettext_lazy("short month", "Feb"),
    pgettext_lazy("short month", "Mar"),
    pgettext_lazy("short month", "Apr"),
    pgettext_lazy("short month", "May"),
    pgettext_lazy("short month", "Jun"),
    pgettext_lazy("short month", "Jul"),
    pgettext_lazy("short month", "Aug"),
    pgettext_lazy("short month", "Sep"),
    pgettext_lazy("short month", "Oct"),
    pgettext_lazy("short month", "Nov"),
    pgettext_lazy("short month", "Dec"),
)


def period_words(period: Period) -> str:
    """Short labels a reader understands: "Sep 2020", "Q2 2020/21", "2019/20",
    "2023"; a year that is neither a financial nor a calendar year says which
    it is: "Academic year 2022/23", "Year to June 2023"."""
    if period.frequency is Frequency.MONTHLY:
        month = str(SHORT_MONTHS[period.start.month - 1])
        return _("%(month)s %(year)s") % {"month": month, "year": period.start.year}
    if period.fy_start_month not in (1, 4):
        return period.name[0].upper() + period.name[1:]
    if period.frequency is Frequency.QUARTERLY:
        year, _quarter = period.label.split()
        return _("Q%(number)s %(year)s") % {"number": period.quarter_number, "year": year}
    return period.label


def shown(value: Decimal | None, spec: IndicatorSpec, missing: str) -> str:
    """A value as the seed prints it: stars bare under a "(Stars)" header."""
    if value is None:
        return missing
    if spec.unit is Unit.STARS:
        return format_number(value, spec.decimals)
    return format_value(value, spec.unit_format, spec.decimals)


def shown_as_given(value: Decimal | None, spec: IndicatorSpec) -> str:
    """A figure as it was given: 96.8 stays 96.8% beside a 2-decimal indicator."""
    if value is None:
        return "N/A"
    given = max(0, -int(value.normalize().as_tuple().exponent))
    return format_value(value, spec.unit_format, min(given, spec.decimals))


def benchmarks(row: IndicatorEvaluation) -> Benchmarks:
    """The benchmarks worked out for ``row``, else the means entered in the register."""
    spec, ind, found = row.evaluation.indicator, row.indicator, row.benchmark
    if found is None:
        return Benchmarks(
            heading="",
            group_heading=_(NEIGHBOURS_HEADING),
            group_name="",
            mean=shown_as_given(ind.neighbours_mean, spec),
            mean_basis=_entered(ind.neighbours_mean),
            median="",
            rank="",
            quartile="",
            national_heading=_("England Mean"),
            national=shown_as_given(ind.england_mean, spec),
            national_basis=_entered(ind.england_mean),
        )
    mean, national = found.mean, found.national
    mean_entered = mean is not None and mean.basis is GroupMeanBasis.ENTERED
    national_entered = national is None or national.basis is NationalBasis.ENTERED
    comparison = found.comparison
    return Benchmarks(
        heading=_("Benchmarks for %(period)s (latest published)") % {"period": found.period}
        if found.period
        else "",
        group_heading=_(GROUP_HEADINGS.get(found.group_kind, NEIGHBOURS_HEADING))
        if found.group_kind is not None
        else _(NEIGHBOURS_HEADING),
        group_name=found.group_name or "",
        mean=_mean(mean.value if mean else None, comparison, mean_entered, spec),
        mean_basis=_mean_basis(mean, comparison),
        median=shown(comparison.median_as_shown, spec, "") if comparison else "",
        rank=_rank(comparison),
        quartile=_quartile(comparison),
        national_heading=(
            _("%(name)s Mean") % {"name": found.national_name}
            if national_entered
            else found.national_name
        ),
        national=_national(national.value if national else None, national_entered, spec),
        national_basis=national.basis.label if national else "",
    )


def _entered(value: Decimal | None) -> str:
    return "" if value is None else _("entered by hand")


def _mean_basis(mean: GroupMean | None, comparison: GroupComparison | None) -> str:
    """ "entered by hand"; for a computed mean, whose values it is of: "this
    council included, 12 councils" (as a family group's published average),
    "this council not included, 10 councils" (as statistical neighbours')."""
    if mean is None:
        return ""
    if mean.basis is GroupMeanBasis.ENTERED:
        return _("entered by hand")
    return comparison.average_words if comparison is not None else ""


def _mean(
    value: Decimal | None,
    comparison: GroupComparison | None,
    entered: bool,
    spec: IndicatorSpec,
) -> str:
    if value is None:
        return "N/A"
    if entered or comparison is None:
        return shown_as_given(value, spec)
    return shown(comparison.mean_as_shown, spec, "N/A")


def _national(value: Decimal | None, entered: bool, spec: IndicatorSpec) -> str:
    if value is None:
        return "N/A"
    return shown_as_given(value, spec) if entered else shown(value, spec, "N/A")


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _rank(comparison: GroupComparison | None) -> str:
    if comparison is None or comparison.rank is None:
        return ""
    return f"{ordinal(comparison.rank)} of {comparison.group_size}"


def _quartile(comparison: GroupComparison | None) -> str:
    if comparison is None:
        return ""
    if comparison.quartile is not None:
        return _(QUARTILE_WORDS[comparison.quartile])
    return comparison.quartile_note or ""


def spc_block(row: IndicatorEvaluation) -> SpcBlock | None:
    """The SPC of the values up to the one shown; none with fewer than two
    values, which have no variation to speak of."""
    if len(row.history) < MIN_SPC_VALUES:
        return None
    spc = row.analytics.spc
    if spc is None or spc.latest is None:
        return None
    spec = row.evaluation.indicator
    start = spec.year_start or row.evaluation.report_period.fy_start_month
    return SpcBlock(
        kind=_("XmR chart") if spc.chart is Chart.XMR else _("Run chart"),
        variation=spc.variation,
        assurance=spc.assurance,
        explanation=spc.explanation,
        result=spc,
        periods=tuple(period_words(parse_period(p, start)) for p in row.analytics.spc_periods),
        title=text(row.indicator, "title") or spec.title,
        unit_suffix=affixes(spec.unit_format, words=False)[1],
        prefix=affixes(spec.unit_format)[0],
        axis_title=spec.unit_label.words or None,
    )


def forecast_block(row: IndicatorEvaluation) -> ForecastBlock | None:
    """The forecast to the next milestone target and, for a cumulative
    indicator, the run rate needed to reach its year-end target; or, when a
    milestone lies ahead but there are too few values, the line that says so;
    else none."""
    current = row.evaluation.current
    if current is None:
        return None
    analytics = row.analytics
    sentences = [analytics.forecast_sentence, analytics.run_rate_sentence]
    if any(sentences):
        return ForecastBlock(sentence=" ".join(s for s in sentences if s), missing="")
    if not _milestone_ahead(row, current.period):
        return None
    count = len(row.history)
    if count < MIN_FORECAST_POINTS:
        missing = ngettext(
            "No forecast: %(count)s value, %(needed)s are needed.",
            "No forecast: %(count)s values, %(needed)s are needed.",
            count,
        ) % {"count": count, "needed": MIN_FORECAST_POINTS}
        return ForecastBlock(sentence="", missing=missing)
    return None


def _milestone_ahead(row: IndicatorEvaluation, after: Period) -> bool:
    return any(
        t.kind is TargetKind.MILESTONE and t.period.last_month > after.last_month
        for t in row.targets
    )
