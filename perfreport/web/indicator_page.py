"""An indicator's page as data: what the staff and public indicator pages show,
built from one row of the period's evaluation (the one the scorecard, the
report and the API show), with every number already text with its unit and
the period it belongs to. Templates lay it out; they compute nothing.

The analysis blocks (benchmarks, SPC, forecast) and the trend chart are the
report's own (``perfreport.reports``), so the page and the report agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from perfreport.core.change import Change
from perfreport.core.evaluation import Evaluation, evaluate_indicator
from perfreport.core.indicator import IndicatorSpec
from perfreport.core.key import KeyLine, key_lines, key_variations
from perfreport.core.periods import Frequency, Period, in_words
from perfreport.core.rating import Polarity, Rating, RatingBasis
from perfreport.core.targets import TargetBasis
from perfreport.core.units import NO_LABEL, Unit, UnitFormat, affixes, describe_unit, format_value
from perfreport.core.withheld import Withheld, value_of
from perfreport.data.models import BenchmarkValue, Commentary, Observation, Round, RoundState
from perfreport.data.selectors import IndicatorEvaluation, PeriodEvaluation
from perfreport.data.snapshots import RoundSnapshot
from perfreport.registry import bilingual
from perfreport.registry.models import GroupMember
from perfreport.registry.periods import stored_period
from perfreport.registry.templatetags.bilingual import marking_filter
from perfreport.reports.analysis import (
    ForecastBlock,
    SpcBlock,
    benchmarks,
    forecast_block,
    spc_block,
)
from perfreport.reports.chart_specs import spc_chart_spec
from perfreport.reports.charts import ChartRenderer, chart_key, default_cache_dir, trend_spec
from perfreport.reports.context import ChartData, chart_data
from perfreport.reports.html import safe_href
from perfreport.reports.spc_chart import describe_spc
from perfreport.reports.spc_icons import assurance_icon, variation_icon

UNIT_WORDS = {
    Unit.PERCENT: gettext_lazy("Percentage (%)"), Unit.NUMBER: gettext_lazy("Number"),
    Unit.COUNT: gettext_lazy("Count"), Unit.STARS: gettext_lazy("Stars"),
    Unit.CURRENCY: gettext_lazy("Pounds (£)"),
}  # fmt: skip


def basis_words(spec: IndicatorSpec) -> str:
    """How the indicator is rated, in its Key's words: "Against its target:
    Red, Amber or Green, as the Key sets out"; "Data only: …"."""
    if spec.rating_basis is RatingBasis.TARGETED:
        names = [spec.scheme.label(r) for r in reversed(spec.scheme.ratings)]
        listed = _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
        return _("Against its target: %(ratings)s, as the Key sets out") % {"ratings": listed}
    label = spec.scheme.label(Rating(spec.rating_basis.value))
    if spec.rating_basis is RatingBasis.BASELINE:
        return _(
            "%(label)s: this year sets the level future targets are set from; no RAG rating"
        ) % {"label": label}
    return _("%(label)s: reported for context, with no target and no RAG rating") % {"label": label}


@dataclass(frozen=True)
class Term:
    """One row of a summary list: a term and its value, or its paragraphs."""

    term: str
    value: str
    paragraphs: tuple[str, ...] = ()
    lang: str = ""  # "en-GB" when the value is the English shown on a Welsh page


@dataclass(frozen=True)
class Headline:
    value: str  # "83.4%", or "No value"
    period: str  # "September 2020", or ""
    target: str  # "90.0%", "Contextual", "None set"
    target_period: str  # the period the target is for (the value's), or ""
    target_note: str  # "pro rata", "from milestones", ""
    rating: Rating | None
    change: Change | None
    change_note: str  # "compared with August 2020 (82.0%)"
    explanation: str
    stale: str  # why the value shown is older than expected, or ""
    rating_label: str = ""  # as the indicator's Key names it
    rating_symbol: str = ""
    no_change: str = "No earlier value"  # printed when there is no change


@dataclass(frozen=True)
class HistoryLine:
    """One value in the history, as numbers: for the table, the JSON and the downloads."""

    period: Period
    value: Decimal | None  # None: withheld as published
    target: Decimal | None
    rating: Rating | None
    withheld: str = ""  # the text printed instead of a number ("c")


@dataclass(frozen=True)
class HistoryRow:
    period: str  # "Q2 2020/21"
    value: str  # "83.4%"
    target: str  # "90.0%", or ""
    rating: Rating | None
    rating_label: str = ""  # as the indicator's Key names it
    rating_symbol: str = ""


@dataclass(frozen=True)
class Figure:
    """A chart drawn on the server: the SVG, named by its caption (the alt text).

    ``prefix``, ``suffix`` and ``decimals`` let a small script show each
    point's exact value on hover; the table beside the chart has them all.
    """

    svg: SafeString
    caption_id: str
    caption: str
    key: str
    prefix: str
    suffix: str
    decimals: int
    phone_svg: str = ""  # the same chart laid out for a phone (SafeString)


@dataclass(frozen=True)
class SpcView:
    block: SpcBlock
    variation_icon: SafeString | None
    assurance_icon: SafeString | None
    chart: Figure | None  # an XmR chart only; a run chart is told in words


@dataclass(frozen=True)
class MemberRow:
    name: str
    value: str
    is_home: bool


@dataclass(frozen=True)
class BenchmarkView:
    caption: str  # "Benchmarks for 2019/20 (latest published); comparator group: …"
    facts: tuple[Term, ...]
    period: str  # the published period of the members' values, or ""
    group: str  # the comparator group's name, or ""
    members: tuple[MemberRow, ...]  # the comparator group's values, best first


@dataclass(frozen=True)
class CommentaryEntry:
    period: str  # "Quarter 2 2020/21"
    commentary: tuple[str, ...]  # paragraphs
    actions: tuple[str, ...]
    commentary_lang: str = ""  # "en-GB" when it is the English shown on a Welsh page
    actions_lang: str = ""


@dataclass(frozen=True)
class IndicatorPage:
    ref: str
    title: str
    title_cy: str
    caption: str  # "Corporate Services – Digital Infrastructure"
    period: Period  # the reporting period the page is "as at"
    public: bool
    headline: Headline
    definition: tuple[Term, ...]
    chart: Figure | None
    chart_text: str  # the chart in words when there is no chart
    history: tuple[HistoryRow, ...]  # latest first
    spc: SpcView | None
    forecast: ForecastBlock | None
    benchmark: BenchmarkView | None
    findings: tuple[str, ...]  # staff only
    commentary: tuple[CommentaryEntry, ...]  # newest first
    links: tuple[tuple[str, str], ...]  # (title, href); href "" when not a web address
    restatements: tuple[str, ...] = ()  # public: figures changed since they were published
    key_lines: tuple[KeyLine, ...] = ()  # what the ratings mean, by the indicator's scheme
    key_note: str = ""  # when its scheme is not the organisation's

    @property
    def title_text(self) -> str:
        """The title in the page's language (the English until the Welsh is written)."""
        return str(bilingual.pick(self.title, self.title_cy))


# -- building ---------------------------------------------------------------------------


def indicator_page(
    row: IndicatorEvaluation, result: PeriodEvaluation, *, public: bool
) -> IndicatorPage:
    """The page of ``row`` in ``result``'s period; ``public`` leaves out what only
    staff see (data-quality findings, commentary on unpublished values)."""
    spec = row.evaluation.indicator
    history = history_lines(row)
    chart = chart_data(row)
    findings = () if public else _findings(result, spec.ref)
    return IndicatorPage(
        ref=spec.ref,
        title=spec.title,
        title_cy=getattr(row.indicator, "title_cy", ""),
        caption=" – ".join(p for p in (row.directorate, row.service) if p),
        period=result.period,
        public=public,
        headline=_headline(row.evaluation),
        definition=_definition(row),
        chart=_trend_figure(chart) if chart.points else None,
        chart_text=marking_filter(chart.alt_text, chart.title),
        history=tuple(_history_row(line, spec) for line in reversed(history)),
        spc=_spc(row),
        forecast=forecast_block(row),
        benchmark=_benchmark(row, result.organisation.name if result.organisation else ""),
        findings=findings,
        commentary=_commentary(row, result.period, public),
        links=tuple((link.title, safe_href(link.url)) for link in row.indicator.links.all()),
        restatements=restatements(row, result.period) if public else (),
        key_lines=tuple(key_lines(spec.scheme, spec.unit_format)),
        key_note=_key_note(spec, result),
    )


def _key_note(spec: IndicatorSpec, result: PeriodEvaluation) -> str:
    """Says so when the indicator is rated by a scheme other than the organisation's."""
    if spec.rating_basis is not RatingBasis.TARGETED or not key_variations(result.scheme, [spec]):
        return ""
    variation = key_variations(result.scheme, [spec])[0]
    return _("This indicator is rated by %(scheme)s, not by the organisation's usual Key.") % {
        "scheme": variation.scheme
    }


def find_row(result: PeriodEvaluation, ref: str) -> IndicatorEvaluation | None:
    return next((row for row in result.rows if row.indicator.ref == ref), None)


def history_lines(row: IndicatorEvaluation) -> list[HistoryLine]:
    """Every value up to the one shown, with the target in force for its period
    and its RAG rating, each worked out as the evaluation of that period would;
    a figure withheld as published in its place, with the target and no rating."""
    spec, points = row.evaluation.indicator, row.history
    lines = []
    count = 0  # the values up to this figure
    for figure in row.figures:
        if isinstance(figure, Withheld):
            past = evaluate_indicator(spec, figure.period, [], row.targets, withheld=[figure])
            lines.append(
                HistoryLine(figure.period, None, _target_value(past), None, figure.printed)
            )
            continue
        count += 1
        past = evaluate_indicator(spec, figure.period, points[:count], row.targets)
        lines.append(HistoryLine(figure.period, figure.value, _target_value(past), past.rating))
    return lines


def history_record(row: IndicatorEvaluation) -> list[dict[str, Any]]:
    """The history as plain data, for the page's ``.json`` twin."""
    return [
        {
            "period": line.period.label,
            "value": _number(line.value),
            "withheld": line.withheld or None,
            "target": _number(line.target),
        }
        for line in history_lines(row)
    ]


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _target_value(evaluation: Evaluation) -> Decimal | None:
    return evaluation.target.value if evaluation.target else None


def show(value: Decimal | None, spec: IndicatorSpec, missing: str = "") -> str:
    """A value with its unit, as the page prints it: "83.4%", "3 stars", "£4.2m"."""
    return missing if value is None else format_value(value, spec.unit_format, spec.decimals)


def _history_row(line: HistoryLine, spec: IndicatorSpec) -> HistoryRow:
    value = line.withheld or show(line.value, spec)
    rating = line.rating
    return HistoryRow(
        in_words(line.period),  # in words: "Quarter 2 2020/21", "September 2020"
        value,
        show(line.target, spec),
        rating,
        spec.scheme.label(rating) if rating else "",
        spec.scheme.symbol(rating) if rating else "",
    )


def _headline(e: Evaluation) -> Headline:
    spec, current, previous = e.indicator, e.current, e.previous
    if spec.rating_basis is not RatingBasis.TARGETED:
        target = spec.scheme.label(Rating(spec.rating_basis.value))
    else:
        target = show(e.target.value if e.target else None, spec, _("None set"))
    change_note = ""
    if e.change is not None and previous is not None:
        shown = show(value_of(previous), spec)
        change_note = _("compared with %(period)s (%(value)s)") % {
            "period": previous.period.long_label,
            "value": shown,
        }
    stale = ""
    if e.is_stale and current is not None:
        stale = _(
            "This is the latest value. A value for %(expected)s "
            "was expected by the end of %(period)s."
        ) % {"expected": e.expected.long_label, "period": e.report_period.long_label}
    return Headline(
        value=e.shown(current) or _("No value"),
        period=current.period.long_label if current else "",
        target=target,
        target_period=current.period.long_label if current and e.target else "",
        target_note=_target_note(e),
        rating=e.rating,
        change=e.change,
        change_note=change_note,
        explanation=e.explanation,
        stale=stale,
        rating_label=e.rating_label,
        rating_symbol=e.rating_symbol,
        no_change=e.no_change,
    )


def _target_note(e: Evaluation) -> str:
    if e.target is None:
        return ""
    if e.target.rule is not None and e.target.reference is not None:
        reference = e.target.reference
        return _("%(name)s figure (%(period)s): %(rule)s") % {
            "name": reference.name,
            "period": reference.period,
            "rule": e.target.rule.words,
        }
    source = e.target.sources[0].period
    return {
        TargetBasis.PRO_RATA: _("pro rata"),
        TargetBasis.INTERPOLATED: _("from milestones"),
        TargetBasis.CONTAINING: _("set for %(period)s") % {"period": source},
        TargetBasis.CARRIED: _("set for %(period)s") % {"period": source},
    }.get(e.target.basis, "")


def _definition(row: IndicatorEvaluation) -> tuple[Term, ...]:
    ind, spec = row.indicator, row.evaluation.indicator
    unit = ngettext(
        "%(unit)s, shown to %(decimals)d decimal place",
        "%(unit)s, shown to %(decimals)d decimal places",
        spec.decimals,
    ) % {"unit": _unit_words(spec.unit_format), "decimals": spec.decimals}
    description = bilingual.text(ind, "description")
    not_recorded = _("Not recorded")
    terms = [
        Term(
            _("Description"),
            "",
            _paragraphs(description) or (_("No description given."),),
            description.lang if description.is_fallback and description.strip() else "",
        ),
        Term(_("Source"), ind.source or not_recorded),
        Term(_("Unit"), unit),
        Term(
            _("Direction for improvement"),
            f"{spec.polarity.arrow} {spec.polarity.words.capitalize()}",
        ),
        Term(_("Frequency"), frequency_words(spec.frequency)),
        Term(_("Rated"), basis_words(spec)),
        Term(_("Owner"), ind.owner or not_recorded),
        Term(_("Directorate"), row.directorate or not_recorded),
        Term(_("Service"), row.service or not_recorded),
    ]
    return tuple(terms)


def frequency_words(frequency: Frequency) -> str:
    """ "Monthly", "Quarterly", "Annual"."""
    return {
        Frequency.MONTHLY: _("Monthly"),
        Frequency.QUARTERLY: _("Quarterly"),
        Frequency.ANNUAL: _("Annual"),
    }.get(frequency, frequency.value.capitalize())


def _unit_words(unit: UnitFormat) -> str:
    """ "Percentage (%)"; with a label, what it prints: "Pounds (£), in millions of pounds (£m)"."""
    if unit.label is NO_LABEL:
        return str(UNIT_WORDS[unit.unit])
    return _("%(unit)s, in %(described)s") % {
        "unit": UNIT_WORDS[unit.unit],
        "described": describe_unit(unit),
    }


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip())


def _findings(result: PeriodEvaluation, ref: str) -> tuple[str, ...]:
    return tuple(
        f.message[0].upper() + f.message[1:] for f in result.findings if f.ref == ref and f.message
    )


# -- charts -----------------------------------------------------------------------------


@cache
def chart_renderer() -> ChartRenderer:
    """One renderer per process: it keeps every chart drawn, by the spec's hash."""
    return ChartRenderer(default_cache_dir())


def _figure(
    spec: dict[str, Any],
    caption_id: str,
    caption: str,
    unit: UnitFormat,
    decimals: int,
    key: str = "",
) -> Figure:
    svg = accessible_svg(chart_renderer().svg(spec), caption_id)
    phone = accessible_svg(_own_ids(chart_renderer().svg(phone_spec(spec)), "phone-"), caption_id)
    prefix, suffix = affixes(unit)
    return Figure(svg, caption_id, caption, key, prefix, suffix, decimals, phone)


PHONE_WIDTH = 270  # the plot's width: with its axes, the chart fits 360 pixels unscaled
PHONE_FONT = 13  # pixels: at least 12 once drawn on a 390-pixel-wide phone


def phone_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The chart laid out for a narrow screen: a narrower plot, every text at
    least PHONE_FONT pixels, and axis labels that would overlap left out (the
    table beside the chart has every value). Drawn at this size, the browser
    need not shrink it, so its text stays readable (WCAG 1.4.4)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            for name in ("fontSize", "labelFontSize", "titleFontSize"):
                if isinstance(out.get(name), int | float):
                    out[name] = max(out[name], PHONE_FONT)
            if out.get("labelOverlap") is False:
                out["labelOverlap"] = True
            return out
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    phone: dict[str, Any] = walk(spec)
    if isinstance(phone.get("width"), int | float):
        phone["width"] = min(phone["width"], PHONE_WIDTH)
    config = phone.setdefault("config", {})
    for part in ("axis", "legend"):
        config[part] = {
            "labelFontSize": PHONE_FONT,
            "titleFontSize": PHONE_FONT,
            **config.get(part, {}),
        }
    config["text"] = {"fontSize": PHONE_FONT, **config.get("text", {})}
    config["title"] = {"fontSize": PHONE_FONT + 2, **config.get("title", {})}
    return phone


_ID = re.compile(r'\b(id="|url\(#|href="#)')


def _own_ids(svg: str, prefix: str) -> str:
    """The SVG's ids (clip paths, gradients) prefixed, so that a second drawing
    of a chart on the page does not take the first's."""
    return _ID.sub(lambda m: m.group(1) + prefix, svg)


def _trend_figure(chart: ChartData) -> Figure:
    # The title in the sentence is marked English where it is (WCAG 3.1.2).
    caption, key = marking_filter(chart.alt_text, chart.title), chart_key(chart)
    return _figure(
        trend_spec(chart), "trend-chart-caption", caption, chart.unit_format, chart.decimals, key
    )


def _spc(row: IndicatorEvaluation) -> SpcView | None:
    block, spec = spc_block(row), row.evaluation.indicator
    if block is None:
        return None
    figure = None
    if block.has_chart:
        # The chart's own description doubles the unit ("55.9%%"): its figures
        # already carry it, so the caption is told without the extra affixes.
        caption = describe_spc(block.result, block.periods, block.title)
        figure = _figure(
            spc_chart_spec(block), "spc-chart-caption", caption, spec.unit_format, spec.decimals
        )
    return SpcView(
        block=block,
        variation_icon=mark_safe(variation_icon(block.variation)) if block.variation else None,
        assurance_icon=mark_safe(assurance_icon(block.assurance)) if block.assurance else None,
        chart=figure,
    )


def accessible_svg(svg: str, caption_id: str) -> SafeString:
    """vl-convert's SVG as one image named by the figure's caption (its alt text).

    The SVG is trusted: vl-convert writes it and escapes the text in it.
    """
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("the chart renderer did not return an SVG")
    attributes = f'<svg role="img" aria-labelledby="{escape(caption_id)}" focusable="false" '
    return mark_safe(svg[start:].replace("<svg ", attributes, 1))


# -- benchmarks -------------------------------------------------------------------------


def _benchmark(row: IndicatorEvaluation, home_name: str) -> BenchmarkView | None:
    """The comparator group and the national figure, and the members' values
    when published values are loaded; None when there is nothing to compare with."""
    found, spec = benchmarks(row), row.evaluation.indicator
    b = row.benchmark
    period = b.period if b and b.period else ""
    at = f" ({period})" if period else ""
    group = _("Statistical neighbours")
    if found.group_name and not found.group_name.lower().startswith("statistical neighbours"):
        group = found.group_name
    facts = []
    if b is not None and b.home_value is not None:
        facts.append(Term(_("This council") + at, show(b.home_value, spec)))
    if found.mean != "N/A":
        # Whose values a computed mean is of ("this council included, 12 councils"), else
        # how it was found ("entered by hand").
        basis = found.mean_basis or (b.mean.basis.label if b and b.mean else "")
        mean = _("%(group)s mean") % {"group": group}
        facts.append(Term(mean + at, f"{found.mean} ({basis})" if basis else found.mean))
    if found.median:
        facts.append(Term(_("%(group)s median") % {"group": group} + at, found.median))
    if found.rank:
        facts.append(Term(_("Rank") + at, _("%(rank)s (1st is the best)") % {"rank": found.rank}))
    if found.quartile:
        facts.append(Term(_("Quartile") + at, found.quartile.capitalize()))
    if found.national != "N/A":
        basis = f" ({found.national_basis})" if found.national_basis else ""
        facts.append(Term(f"{found.national_heading}{at}", f"{found.national}{basis}"))
    if not facts:
        return None
    caption = found.caption or _(
        "Entered by hand in the register; the period they belong to is not recorded."
    )
    members = _members(row, home_name) if period else ()
    return BenchmarkView(caption, tuple(facts), period, found.group_name, members)


def _members(row: IndicatorEvaluation, home_name: str) -> tuple[MemberRow, ...]:
    """The comparator group members' published values in the benchmark period,
    best first, this council among them: one query."""
    b, ind = row.benchmark, row.indicator
    if b is None or not b.group_name or not b.period:
        return ()
    spec = row.evaluation.indicator
    value = BenchmarkValue.objects.filter(
        measure__code=ind.national_code or ind.ref,
        period=b.period,
        organisation=OuterRef("organisation"),
    ).values("value")[:1]
    rows = (
        GroupMember.objects.filter(group__name=b.group_name)
        .order_by("position")
        .annotate(published=Subquery(value))
        .values_list("organisation__name", "organisation__is_home", "published")
    )
    found: list[tuple[str, bool, Decimal | None]] = [
        (name, False, v) for name, home, v in rows if not home
    ]
    if b.home_value is not None:
        found.append((home_name or _("This council"), True, b.home_value))
    if not any(v is not None for _, home, v in found if not home):
        return ()
    found.sort(key=lambda r: _best_first(r[2], spec.polarity))
    missing = _("Not available")
    return tuple(MemberRow(name, show(v, spec, missing), home) for name, home, v in found)


def _best_first(value: Decimal | None, polarity: Polarity) -> tuple[bool, Decimal]:
    if value is None:
        return (True, Decimal(0))
    return (False, -value if polarity is Polarity.HIGHER else value)


# -- restatements -----------------------------------------------------------------------


def restatements(row: IndicatorEvaluation, period: Period) -> tuple[str, ...]:
    """A note for every published figure up to ``period`` that has been
    changed since, newest first: "Restated: the figure published for
    December 2020 was 70.0%; it is now 72.5% (20 January 2021)." The figure
    published is the round's snapshot where a round published it, else the
    value as first published."""
    spec = row.evaluation.indicator
    changed = Observation.objects.filter(
        indicator=row.indicator,
        organisation__is_home=True,
        is_draft=False,
        restated_at__isnull=False,
        last_month__lte=period.last_month,
    ).order_by("-last_month")
    published = _snapshot_figures(row.indicator.pk)
    notes = []
    for found in changed:
        key = (found.frequency, found.first_month)
        was = published.get(key, found.first_value)
        if was is None or was == found.value:
            continue
        when = dateformat.format(timezone.localtime(found.restated_at), "j F Y")
        notes.append(
            _(
                "Restated: the figure published for %(period)s was %(was)s; "
                "it is now %(now)s (%(when)s)."
            )
            % {
                "period": found.get_period().long_label,
                "was": show(was, spec),
                "now": found.withheld_as or show(found.value, spec),
                "when": when,
            }
        )
    return tuple(notes)


def _snapshot_figures(indicator_id: int) -> dict[tuple[str, int], Decimal | None]:
    """The figures published rounds froze for the indicator, by period."""
    figures: dict[tuple[str, int], Decimal | None] = {}
    for snapshot in Round.objects.filter(
        state=RoundState.PUBLISHED,
        entries__indicator_id=indicator_id,
        entries__restated_at__isnull=False,
    ).values_list("snapshot", flat=True):
        for item in RoundSnapshot.from_json(snapshot).entries:
            if item.indicator_id == indicator_id:
                figures[(item.frequency, item.first_month)] = item.value
    return figures


# -- commentary -------------------------------------------------------------------------


def _commentary(
    row: IndicatorEvaluation, period: Period, public: bool
) -> tuple[CommentaryEntry, ...]:
    """Commentary and actions for each period up to ``period``, newest first;
    for the public, only for periods whose values are all published."""
    notes = Commentary.objects.filter(indicator=row.indicator, last_month__lte=period.last_month)
    if public:
        notes = notes.published()
    rows = notes.order_by("-last_month", "-first_month").values_list(
        "frequency", "first_month", "text", "actions", "text_cy", "actions_cy"
    )
    entries = []
    fy = row.indicator.year_start_month  # its own kind of year: calendar, academic
    drafts = _draft_spans(row) if public else []
    # A withheld figure is published too: its commentary is shown.
    periods = [p.period for p in row.series] + [w.period for w in row.withheld]
    published = [(p.first_month, p.last_month) for p in periods]
    for frequency, first_month, english, english_actions, welsh_text, welsh_actions in rows:
        said = stored_period(frequency, first_month, fy)
        if public and not _is_published(said, published, drafts):
            continue
        text = bilingual.pick(english, welsh_text)
        actions = bilingual.pick(english_actions, welsh_actions)
        if text.strip() or actions.strip():
            entries.append(
                CommentaryEntry(
                    said.long_label,
                    _paragraphs(text),
                    _paragraphs(actions),
                    _fallback_lang(text),
                    _fallback_lang(actions),
                )
            )
    return tuple(entries)


def _fallback_lang(text: bilingual.Text) -> str:
    """``en-GB`` for English shown on a Welsh page for want of the Welsh, else ""."""
    return text.lang if text.is_fallback and text.strip() else ""


def _draft_spans(row: IndicatorEvaluation) -> list[tuple[int, int]]:
    return list(
        Observation.objects.filter(
            indicator=row.indicator, organisation__is_home=True, is_draft=True
        ).values_list("first_month", "last_month")
    )


def _is_published(
    said: Period, published: Sequence[tuple[int, int]], drafts: Sequence[tuple[int, int]]
) -> bool:
    """Commentary is about the values inside its period: shown to the public when
    at least one of them is published and none is a draft."""

    def inside(span: tuple[int, int]) -> bool:
        return said.first_month <= span[0] and span[1] <= said.last_month

    return any(inside(s) for s in published) and not any(inside(s) for s in drafts)
