"""The report as data: one tree of frozen dataclasses, built once from a
period's evaluation and rendered by every format (PDF, HTML, Word, Excel).

Every number here is already text as the report prints it, with its unit and
the period it belongs to; renderers lay out, they never compute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from perfreport.core.change import Change
from perfreport.core.evaluation import Evaluation
from perfreport.core.indicator import IndicatorSpec
from perfreport.core.key import KeyLine, key_lines, key_variations
from perfreport.core.periods import Frequency, Period
from perfreport.core.quality import Finding
from perfreport.core.rating import Rating
from perfreport.core.targets import resolve_target
from perfreport.core.units import NO_LABEL, Unit, UnitFormat, UnitLabel, format_value
from perfreport.core.withheld import Figure, Withheld, value_of
from perfreport.data.present import evaluation_record
from perfreport.data.selectors import IndicatorEvaluation, PeriodEvaluation
from perfreport.registry import bilingual
from perfreport.registry.bilingual import text
from perfreport.registry.models import Organisation
from perfreport.reports.analysis import (
    Benchmarks,
    ForecastBlock,
    SpcBlock,
    benchmarks,
    forecast_block,
    period_words,
    shown,
    shown_as_given,
    spc_block,
)

if TYPE_CHECKING:
    from perfreport.reports.plan_section import PlanSection

# "plan" is left out of a report when there is no plan (see plan_section.py).
SECTIONS = ("cover", "summary", "key", "plan", "indicators")
HISTORY_PERIODS = 12  # the trend chart shows up to this many periods


DEFAULT_TITLE = N_("Performance report")  # translated where it is used


@dataclass(frozen=True)
class ReportSettings:
    """What a council sets once: from a TOML file (``--config``) and the options.

    ``title``, ``team`` and ``contact`` left as None take the home
    organisation's report settings (organisations.csv, the admin), else
    ``DEFAULT_TITLE``, no team and no contact; set, even to "", they win.
    """

    organisation: str = ""
    title: str | None = None
    directorate: str = ""
    team: str | None = None
    contact: str | None = None
    logo: Path | None = None
    sections: tuple[str, ...] = SECTIONS
    produced_on: date | None = None


@dataclass(frozen=True)
class Cover:
    organisation: str
    title: str
    period_heading: str  # "Quarter 2"
    financial_year: str  # "2020/21 financial year"
    directorate: str
    produced_on: str  # "16 December 2020"
    team: str
    contact: str
    logo: Path | None
    produced: date | None = None  # the date "produced_on" names, for the PDF's metadata


@dataclass(frozen=True)
class Count:
    label: str
    symbol: str
    count: int
    key: str  # "red", "improving", "none": for styles


@dataclass(frozen=True)
class OverviewRow:
    ref: str
    title: str
    anchor: str
    period: str
    current: str
    target: str
    rating: Rating | None
    change: Change | None
    flagged: bool  # has findings: listed among the exceptions too
    no_change: str = "No earlier value"  # printed when there is no change
    rating_label: str = ""  # as the indicator's Key names it
    rating_symbol: str = ""


@dataclass(frozen=True)
class Group:
    directorate: str
    service: str
    rows: tuple[OverviewRow, ...]

    @property
    def heading(self) -> str:
        parts = [p for p in (self.directorate, self.service) if p]
        return " – ".join(parts) or _("Other indicators")


@dataclass(frozen=True)
class ExceptionItem:
    ref: str
    title: str
    anchor: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    rating_counts: tuple[Count, ...]
    change_counts: tuple[Count, ...]
    exceptions: tuple[ExceptionItem, ...]
    groups: tuple[Group, ...]
    total: int


@dataclass(frozen=True)
class KeyEntry:
    term: str
    meaning: str


@dataclass(frozen=True)
class Key:
    items: tuple[KeyEntry, ...]
    ratings: tuple[KeyLine, ...]  # the organisation's scheme, then Baseline and Contextual
    variations: tuple[str, ...]  # indicators rated by another scheme, in its words


@dataclass(frozen=True)
class ChartPoint:
    period: str  # the label a reader understands: "Sep 2020", "Q2 2020/21", "2019/20"
    value: float | None  # None: withheld as published, a gap in the line
    target: float | None


@dataclass(frozen=True)
class ChartData:
    """Everything the trend chart shows; the chart builder turns it into Vega-Lite."""

    title: str
    unit: Unit
    decimals: int
    points: tuple[ChartPoint, ...]
    latest_rating: Rating | None
    neighbours: float | None
    england: float | None
    higher_is_better: bool
    label: UnitLabel = NO_LABEL  # the unit as the council prints it: "£m", "days"
    latest_label: str = ""  # the latest rating as the indicator's Key names it

    @property
    def unit_format(self) -> UnitFormat:
        return UnitFormat(self.unit, self.label)

    @property
    def alt_text(self) -> str:
        """The chart in words, for screen readers and for anyone who cannot see it."""
        values = [p for p in self.points if p.value is not None]
        if not values:
            return _("No values to chart for %(title)s.") % {"title": self.title}
        first, last = values[0], values[-1]
        assert first.value is not None and last.value is not None
        words = _("Line chart of %(title)s, %(count)s values from %(first)s to %(last)s") % {
            "title": self.title, "count": len(values), "first": first.period, "last": last.period,
        }  # fmt: skip
        ends = {
            "first": _chart_number(first.value, self),
            "last": _chart_number(last.value, self),
        }
        if len(values) > 1:
            if last.value > first.value:
                words += _(", rising from %(first)s to %(last)s") % ends
            elif last.value < first.value:
                words += _(", falling from %(first)s to %(last)s") % ends
            else:
                words += _(", level from %(first)s to %(last)s") % ends
        else:
            words += f": {ends['last']}"
        if last.target is not None:
            target = _chart_number(last.target, self)
            words += _(", against a target of %(target)s") % {"target": target}
        if self.latest_rating is not None:
            rating = self.latest_label or self.latest_rating.label
            words += _("; the latest value is rated %(rating)s") % {"rating": rating}
        gaps = [p.period for p in self.points if p.value is None]
        if gaps:
            words += _("; withheld as published, so not charted: %(periods)s") % {
                "periods": ", ".join(gaps)
            }
        return words + "."


def _chart_number(value: float, chart: ChartData) -> str:
    return format_value(Decimal(str(value)), chart.unit_format, chart.decimals)


@dataclass(frozen=True)
class HistoryRow:
    period: str
    value: str
    target: str
    period_label: str = ""  # canonical: 2020-09, 2020/21 Q2
    value_number: Decimal | None = None
    target_number: Decimal | None = None


@dataclass(frozen=True)
class IndicatorSection:
    ref: str
    title: str
    anchor: str
    directorate: str
    service: str
    target_label: str  # "Target", "Target (Stars)"
    current_label: str  # "Current Month"
    previous_label: str  # "Previous Month"
    target: str  # "90.0%", "Contextual", "Baseline", "None set"
    target_note: str  # "pro rata", "interpolated between milestones", ""
    direction_arrow: str
    direction_words: str
    current: str
    current_period: str
    previous: str
    previous_period: str
    change: Change | None
    neighbours: str
    england: str
    rating: Rating | None
    stated_rating: Rating | None
    rating_differs: bool
    explanation: str
    description: tuple[str, ...]  # paragraphs
    source: str
    commentary: tuple[str, ...]
    actions: tuple[str, ...]
    actions_missing: bool
    links: tuple[tuple[str, str], ...]
    chart: ChartData
    history: tuple[HistoryRow, ...]
    findings: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)  # the evaluation as plain data (xlsx, json)
    benchmarks: Benchmarks | None = None
    spc: SpcBlock | None = None
    forecast: ForecastBlock | None = None
    no_change: str = "No earlier value"  # printed when there is no change: "Not compared: withheld"
    rating_label: str = ""  # as the indicator's Key names it: "Data only"
    rating_symbol: str = ""
    # "en-GB" for content shown in English in a Welsh report for want of the
    # Welsh, so that the HTML says so (WCAG 3.1.2); "" otherwise.
    title_lang: str = ""
    description_lang: str = ""
    commentary_lang: str = ""
    actions_lang: str = ""


@dataclass(frozen=True)
class ReportContext:
    settings: ReportSettings
    period: Period
    cover: Cover
    summary: Summary
    key: Key
    sections: tuple[IndicatorSection, ...]
    findings: tuple[Finding, ...] = field(default=())
    plan: PlanSection | None = None  # None: no plan, or not asked for
    language: str = "en"  # "en" or "cy": the words it was built in, and is rendered in

    @property
    def period_words(self) -> str:
        """ "Quarter 2 2020/21", "Chwarter 2 2020/21": the header's period."""
        return f"{self.cover.period_heading} {self.period.label.split()[0]}"

    @property
    def document_title(self) -> str:
        return f"{self.cover.title}: {self.period_words}"


# -- building ----------------------------------------------------------------


def build_context(
    result: PeriodEvaluation, settings: ReportSettings, today: date | None = None
) -> ReportContext:
    """The whole report for ``result``'s period, as data."""
    produced = settings.produced_on or today or date.today()
    findings_by_ref: dict[str, list[Finding]] = {}
    for finding in result.findings:
        findings_by_ref.setdefault(finding.ref, []).append(finding)
    sections = tuple(
        _section(row, findings_by_ref.get(row.indicator.ref, [])) for row in result.rows
    )
    return ReportContext(
        settings=settings,
        period=result.period,
        cover=_cover(result, settings, produced),
        summary=_summary(result, sections, findings_by_ref),
        key=_key(result),
        sections=sections,
        findings=tuple(result.findings),
    )


def anchor(ref: str) -> str:
    return "indicator-" + "".join(ch if ch.isalnum() else "-" for ch in ref.lower())


def _cover(result: PeriodEvaluation, settings: ReportSettings, produced: date) -> Cover:
    period = result.period
    home = result.organisation
    organisation = settings.organisation or (home.name if home else "")
    directorates = sorted({row.directorate for row in result.rows if row.directorate})
    directorate = settings.directorate or (directorates[0] if len(directorates) == 1 else "")
    year = period.containing(Frequency.ANNUAL).label if period.frequency.months <= 12 else ""
    heading = {
        Frequency.MONTHLY: lambda: period.long_label.rsplit(" ", 1)[0],
        Frequency.QUARTERLY: lambda: _("Quarter %(number)s") % {"number": period.quarter_number},
        Frequency.ANNUAL: lambda: _("Annual report"),
    }[period.frequency]()
    return Cover(
        organisation=organisation,
        title=_chosen(settings.title, _setting(home, "report_title")) or _(DEFAULT_TITLE),
        period_heading=heading,
        financial_year=_("%(year)s financial year") % {"year": year},
        directorate=directorate,
        produced_on=formats.date_format(produced, "j F Y"),
        team=_chosen(settings.team, _setting(home, "report_team")),
        contact=_chosen(settings.contact, _setting(home, "report_contact")),
        logo=settings.logo or _stored_logo(home),
        produced=produced,
    )


def _setting(home: Organisation | None, name: str) -> str:
    """A report setting of the home organisation, in the report's language."""
    return str(text(home, name)) if home else ""


def _stored_logo(home: Organisation | None) -> Path | None:
    """The logo uploaded in the report settings, when report.toml gives none;
    None when there is none, or the storage keeps no files on this disk."""
    if home is None or not home.report_logo:
        return None
    try:
        return Path(home.report_logo.path)
    except NotImplementedError:
        return None


def _chosen(setting: str | None, organisations: str) -> str:
    """A report setting given in report.toml or an option, else the home organisation's."""
    return organisations if setting is None else setting


_RATING_ORDER = (
    Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE, Rating.BASELINE, Rating.CONTEXTUAL,
)  # fmt: skip


def _summary(
    result: PeriodEvaluation,
    sections: Sequence[IndicatorSection],
    findings_by_ref: dict[str, list[Finding]],
) -> Summary:
    ratings = [s.rating for s in sections]
    scheme = result.scheme  # the organisation's: its names, and only ratings that can occur
    rating_counts = [
        Count(scheme.label(r), scheme.symbol(r), ratings.count(r), r.value)
        for r in _RATING_ORDER
        if r in scheme.ratings or not r.is_colour or r in ratings
    ]
    unrated = ratings.count(None)
    if unrated:
        rating_counts.append(Count(_("Not rated"), "–", unrated, "none"))
    changes = [s.change for s in sections]
    change_counts = [Count(c.label, c.arrow, changes.count(c), c.value) for c in Change]
    no_change = changes.count(None)
    if no_change:
        change_counts.append(Count(_("No earlier value"), "–", no_change, "none"))
    return Summary(
        rating_counts=tuple(rating_counts),
        change_counts=tuple(change_counts),
        exceptions=_exceptions(sections, findings_by_ref),
        groups=_groups(result, sections, findings_by_ref),
        total=len(sections),
    )


def _exceptions(
    sections: Sequence[IndicatorSection], findings_by_ref: dict[str, list[Finding]]
) -> tuple[ExceptionItem, ...]:
    """Red indicators first, then anything else `check` found, in report order."""
    items = []
    for red_first in (True, False):
        for s in sections:
            is_red = s.rating is Rating.RED
            if is_red != red_first or not (is_red or findings_by_ref.get(s.ref)):
                continue
            reasons = ([_("Rated Red")] if is_red else []) + [
                f.message[0].upper() + f.message[1:] for f in findings_by_ref.get(s.ref, [])
            ]
            items.append(ExceptionItem(s.ref, s.title, s.anchor, tuple(reasons)))
    return tuple(items)


def _groups(
    result: PeriodEvaluation,
    sections: Sequence[IndicatorSection],
    findings_by_ref: dict[str, list[Finding]],
) -> tuple[Group, ...]:
    grouped: dict[tuple[str, str], list[OverviewRow]] = {}
    for row, s in zip(result.rows, sections, strict=True):
        overview = OverviewRow(
            ref=s.ref,
            title=s.title,
            anchor=s.anchor,
            period=s.current_period,
            current=s.current,
            target=s.target,
            rating=s.rating,
            change=s.change,
            flagged=bool(findings_by_ref.get(s.ref)),
            no_change=s.no_change,
            rating_label=s.rating_label,
            rating_symbol=s.rating_symbol,
        )
        grouped.setdefault((row.directorate, row.service), []).append(overview)
    return tuple(Group(d, sv, tuple(rows)) for (d, sv), rows in grouped.items())


KEY_ITEMS = (
    (N_("Target / Pro Rata Target"), N_("The target that has been set for the indicator, relevant for the reporting period")),
    (N_("Current Month / Current Period"), N_("The latest performance figure relevant to the reporting period")),
    (N_("Previous Month / Previous Period"), N_("The previously reported performance figure")),
    (N_("Direction for Improvement"), N_("Indicates whether 'good' performance is a higher or a lower figure")),
    (N_("Change in Performance"), N_("Indicates whether performance is 'improving' or 'declining' by comparing the latest performance figure with that of the previous reporting period")),
    (N_("Statistical Neighbours Mean"), N_("Provided as a point of comparison, based on the most recently available data from identified statistical neighbours; where their values are loaded, with their median, this council's rank among them (1st is the best) and its quartile, for the period shown. A mean typed into the register is labelled 'entered by hand'")),
    (N_("England Mean"), N_("Provided as a point of comparison, based on the most recent nationally available data, labelled with how it was found: as published, worked out from councils' figures, or entered by hand")),
    (N_("RAG Rating"), N_("The rating of the latest figure against its target, as set out below; each indicator's page explains its rating in a sentence")),
    (N_("Statistical process control"), N_("Whether the latest value is ordinary variation or a special cause of improvement or concern (NHS England's Making Data Count), and whether the target will consistently be met; with 15 or more values, an XmR chart with its process limits")),
    (N_("Forecast"), N_("Where the trend leads by the next milestone target, and the chance of reaching it; 6 or more values are needed")),
    (N_("Indicator Description"), N_("Provides an overview of how a measure is calculated. Where possible, this is based on a nationally agreed definition to assist benchmarking with statistically comparable authorities")),
    (N_("Commentary"), N_("Provides a narrative to explain the changes in performance within the reporting period")),
    (N_("Actions"), N_("Actions undertaken to address under-performance. Populated for 'red' indicators only")),
    (N_("Useful Links"), N_("Provides links to relevant documentation, such as nationally available data and definitions")),
)  # fmt: skip


def _key(result: PeriodEvaluation) -> Key:
    """The Key, generated from the schemes in force: the organisation's
    scheme once, then the indicators rated by another, in its own words."""
    variations = key_variations(result.scheme, (row.evaluation.indicator for row in result.rows))
    return Key(
        items=tuple(KeyEntry(_(term), _(meaning)) for term, meaning in KEY_ITEMS),
        ratings=tuple(key_lines(result.scheme)),
        variations=tuple(v.text for v in variations),
    )


def _section(row: IndicatorEvaluation, findings: Sequence[Finding]) -> IndicatorSection:
    e = row.evaluation
    spec = e.indicator
    ind = row.indicator
    stars = spec.unit is Unit.STARS
    current_label, previous_label = _figure_labels(spec.frequency, stars)
    rated_without_target = spec.rating_basis.value != "targeted"
    found = benchmarks(row)
    return IndicatorSection(
        ref=spec.ref,
        title=text(ind, "title") or spec.title,
        anchor=anchor(spec.ref),
        directorate=row.directorate,
        service=row.service,
        target_label=_target_label(bool(e.target and e.target.is_pro_rata), stars),
        current_label=current_label,
        previous_label=previous_label,
        target=(
            spec.scheme.label(Rating(spec.rating_basis.value))
            if rated_without_target
            else _show(e.target.value if e.target else None, spec, _("None set"))
        ),
        target_note=_target_note(e),
        direction_arrow=spec.polarity.arrow,
        direction_words=spec.polarity.words.capitalize(),
        current=_show_figure(e.current, spec, _("No value")),
        current_period=_period_words(e.current.period) if e.current else "",
        previous=_show_figure(e.previous, spec, _("No value")),
        previous_period=_period_words(e.previous.period) if e.previous else "",
        change=e.change,
        neighbours=found.mean,
        england=found.national,
        rating=e.rating,
        rating_label=e.rating_label,
        rating_symbol=e.rating_symbol,
        stated_rating=e.stated_rating,
        rating_differs=e.rating_differs,
        explanation=e.explanation,
        description=_paragraphs(text(ind, "description")),
        source=ind.source,
        commentary=_paragraphs(e.commentary),
        actions=_paragraphs(e.actions),
        title_lang=fallback_lang(text(ind, "title")),
        description_lang=fallback_lang(text(ind, "description")),
        commentary_lang=fallback_lang(e.commentary),
        actions_lang=fallback_lang(e.actions),
        actions_missing=e.rating is Rating.RED and not e.actions.strip(),
        links=tuple((link.title, link.url) for link in ind.links.all()),
        chart=chart_data(row),
        history=_history(row),
        findings=tuple(f.message[0].upper() + f.message[1:] for f in findings),
        data=evaluation_record(row),
        benchmarks=found,
        spc=spc_block(row),
        forecast=forecast_block(row),
        no_change=e.no_change,
    )


def _target_label(pro_rata: bool, stars: bool) -> str:
    if pro_rata:
        return _("Pro Rata Target (Stars)") if stars else _("Pro Rata Target")
    return _("Target (Stars)") if stars else _("Target")


# Whole labels, not "Current " + noun: Welsh puts the adjective after the
# noun and mutates it ("Blwyddyn Gyfredol").
_FIGURE_LABELS = {
    (Frequency.MONTHLY, False): (N_("Current Month"), N_("Previous Month")),
    (Frequency.QUARTERLY, False): (N_("Current Quarter"), N_("Previous Quarter")),
    (Frequency.ANNUAL, False): (N_("Current Year"), N_("Previous Year")),
    (Frequency.MONTHLY, True): (N_("Current Month (Stars)"), N_("Previous Month (Stars)")),
    (Frequency.QUARTERLY, True): (N_("Current Quarter (Stars)"), N_("Previous Quarter (Stars)")),
    (Frequency.ANNUAL, True): (N_("Current Year (Stars)"), N_("Previous Year (Stars)")),
}


def _figure_labels(frequency: Frequency, stars: bool) -> tuple[str, str]:
    current, previous = _FIGURE_LABELS[(frequency, stars)]
    return _(current), _(previous)


_show = shown
_show_given = shown_as_given


def _show_figure(figure: Figure | None, spec: IndicatorSpec, missing: str) -> str:
    """A figure as the report prints it: its value, or the text it was withheld as."""
    if isinstance(figure, Withheld):
        return figure.printed
    return _show(value_of(figure), spec, missing)


def _target_note(e: Evaluation) -> str:
    if e.target is None:
        return ""
    if e.target.rule is not None and e.target.reference is not None:
        reference = e.target.reference
        return _("%(name)s figure (%(period)s): %(rule)s") % {
            "name": reference.name, "period": reference.period, "rule": e.target.rule.words,
        }  # fmt: skip
    basis = e.target.basis.value
    if basis in ("containing", "carried"):
        return _("set for %(period)s") % {"period": e.target.sources[0].period}
    return {"pro_rata": _("pro rata"), "interpolated": _("from milestones")}.get(basis, "")


_period_words = period_words


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip())


def _recent(row: IndicatorEvaluation) -> list[Figure]:
    return list(row.figures[-HISTORY_PERIODS:])


def _target_at(row: IndicatorEvaluation, period: Period) -> Decimal | None:
    spec = row.evaluation.indicator
    if spec.rating_basis.value != "targeted":
        return None
    resolved = resolve_target(
        period, row.targets, cumulative=spec.cumulative, decimals=spec.decimals
    )
    return resolved.value if resolved else None


def chart_data(row: IndicatorEvaluation) -> ChartData:
    spec = row.evaluation.indicator
    points = []
    for figure in _recent(row):
        target = _target_at(row, figure.period)
        value = value_of(figure)  # a withheld figure is a gap, never a number
        points.append(
            ChartPoint(
                _period_words(figure.period),
                float(value) if value is not None else None,
                float(target) if target is not None else None,
            )
        )
    neighbours, england = _reference_lines(row)
    return ChartData(
        title=text(row.indicator, "title") or spec.title,
        unit=spec.unit,
        decimals=spec.decimals,
        points=tuple(points),
        latest_rating=row.evaluation.rating,
        latest_label=row.evaluation.rating_label,
        neighbours=neighbours,
        england=england,
        higher_is_better=spec.polarity.value == "higher",
        label=spec.unit_label,
    )


def _reference_lines(row: IndicatorEvaluation) -> tuple[float | None, float | None]:
    """The group mean and the national figure the page shows, as the chart's lines."""
    found, ind = row.benchmark, row.indicator
    if found is None:
        mean, national = ind.neighbours_mean, ind.england_mean
    else:
        mean = found.mean.value if found.mean else None
        national = found.national.value if found.national else None
    return (
        float(mean) if mean is not None else None,
        float(national) if national is not None else None,
    )


def _history(row: IndicatorEvaluation) -> tuple[HistoryRow, ...]:
    spec = row.evaluation.indicator
    rows = []
    for figure in reversed(row.figures):
        target = _target_at(row, figure.period)
        rows.append(
            HistoryRow(
                _period_words(figure.period),
                _show_figure(figure, spec, ""),
                _show(target, spec, ""),
                figure.period.label,
                value_of(figure),
                target,
            )
        )
    return tuple(rows)


def as_parts(context: ReportContext | Sequence[ReportContext]) -> list[ReportContext]:
    """A renderer's argument as the report's parts: one context, or the Welsh
    and the English of a bilingual report."""
    return [context] if isinstance(context, ReportContext) else list(context)


def with_anchor_prefix(value: Any, prefix: str) -> Any:
    """``value`` (a context, or any part of one) with every ``anchor`` field
    starting ``prefix``: a bilingual report has a page for each indicator in
    each language, and each page its own anchor."""
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for item in fields(value):
            old = getattr(value, item.name)
            new = (
                prefix + old
                if item.name == "anchor" and isinstance(old, str)
                else (with_anchor_prefix(old, prefix))
            )
            if new is not old:
                changes[item.name] = new
        return replace(value, **changes) if changes else value
    if isinstance(value, tuple):
        found = tuple(with_anchor_prefix(v, prefix) for v in value)
        return value if all(a is b for a, b in zip(found, value, strict=True)) else found
    return value


def fallback_lang(content: object) -> str:
    """The language to mark ``content`` with: "en-GB" when it is English shown
    in a Welsh report for want of the Welsh, else ""."""
    if isinstance(content, bilingual.Text) and content.is_fallback and content.strip():
        return content.lang
    return ""
