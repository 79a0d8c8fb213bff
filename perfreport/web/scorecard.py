"""The scorecard: staff (/scorecard/) and public (/public/), with .json twins.

Every indicator for a period, grouped by directorate and service, filtered
and sorted by what the address asks for. The rows are built in Python in one
pass over the period's cached evaluation, so the template only lays them out.

The counts at the top count the rows that match every filter but the RAG
one, so that each count is the number of rows its link shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from perfreport.core.change import Change
from perfreport.core.indicator import Point
from perfreport.core.key import KeyLine, key_lines, key_variations
from perfreport.core.periods import Frequency, Period, PeriodError, in_words
from perfreport.core.quality import FindingCode
from perfreport.core.rating import Rating
from perfreport.core.spc import Assurance, Variation
from perfreport.data.evaluations import kept, period_evaluation
from perfreport.data.present import evaluation_record, public_record
from perfreport.data.selectors import IndicatorEvaluation, PeriodEvaluation
from perfreport.registry import bilingual
from perfreport.registry.periods import read_period
from perfreport.reports.spc_icons import assurance_icon, variation_icon
from perfreport.web import scorecard_filters as sf
from perfreport.web import scorecard_periods as sp
from perfreport.web.access import staff_required
from perfreport.web.indicator_page import frequency_words  # the frequency filter's choices
from perfreport.web.scorecard_plan import plan_groups
from perfreport.web.views import default_period

SPARKLINE_VALUES = 12  # the most recent values a sparkline draws
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 80, 24, 3
TABLE_TEMPLATE = "web/includes/scorecard_table.html"
COLOURS = {r.value for r in Rating if r.is_colour}
# Shown beside the rating, as notes; every other finding goes under the title.
RATING_FINDINGS = (FindingCode.RATING_DIFFERS, FindingCode.RATING_MISSING)


@staff_required
@require_safe
def scorecard(request: HttpRequest) -> HttpResponse:
    return _page(request, public=False)


@staff_required
@require_safe
def scorecard_json(request: HttpRequest) -> HttpResponse:
    return _json(request, public=False)


@require_safe
def public_scorecard(request: HttpRequest) -> HttpResponse:
    return _page(request, public=True)


@require_safe
def public_scorecard_json(request: HttpRequest) -> HttpResponse:
    return _json(request, public=True)


def _page(request: HttpRequest, public: bool) -> HttpResponse:
    """The page's content is the same for everyone asking the same question of
    the same data, so it is kept rendered: a request lays out the frame only."""
    query = tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))

    def build() -> tuple[str, str]:
        view = scorecard_view(request.GET, public)
        context = {"view": view, "public": public, "icon_sprite": icon_sprite()}
        title = f", {view.period.long_label}" if view.period else ""
        return title, render_to_string("web/includes/scorecard_content.html", context)

    title, content = kept(("scorecard-page", query), public, build)
    context = {
        "content": mark_safe(content),
        "title_period": title,
        "public": public,
        "nav": "public" if public else "scorecard",
    }
    return render(request, "web/scorecard.html", context)


def _json(request: HttpRequest, public: bool) -> HttpResponse:
    view = scorecard_view(request.GET, public)
    records = scorecard_records(view.period, public) if view.period else {}
    head = {
        "period": str(view.period) if view.period else None,
        "period_in_words": view.period.long_label if view.period else None,
        "organisation": view.data.organisation if view.data else None,
        "counts": view.counts,
        "notices": view.notices,
    }
    # The records are kept as JSON text: joining them is cheaper than writing them.
    fields = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items()]
    fields.append('"indicators": [' + ", ".join(records[row.ref] for row in view.rows) + "]")
    return HttpResponse("{" + ", ".join(fields) + "}", content_type="application/json")


@dataclass(frozen=True)
class ScorecardData:
    """A period's scorecard rows, built once and kept with the evaluation's key."""

    period: Period
    organisation: dict[str, str] | None  # code and name
    has_values: bool
    rows: tuple[sf.ScorecardRow, ...]
    key_lines: tuple[KeyLine, ...] = ()  # the organisation's Key, from its scheme
    key_variations: tuple[str, ...] = ()  # indicators rated by another scheme


def scorecard_data(period: Period, public: bool) -> ScorecardData:
    """The rows of ``period``'s scorecard, kept while the data stay the same.
    Kept beside the evaluation rather than rebuilt from it on each request."""

    def build() -> ScorecardData:
        result = period_evaluation(period, published_only=public)
        home = result.organisation
        return ScorecardData(
            period,
            {"code": home.code, "name": home.name} if home else None,
            result.has_values,
            tuple(build_rows(result, public)),
            tuple(key_lines(result.scheme)),
            tuple(
                v.text
                for v in key_variations(
                    result.scheme, (r.evaluation.indicator for r in result.rows)
                )
            ),
        )

    return kept(("scorecard", period.frequency.value, period.first_month), public, build)


def scorecard_records(period: Period, public: bool) -> dict[str, str]:
    """Every indicator's record (``public_record`` on the public pages) as JSON
    text, by ref, for the .json twin."""

    def build() -> dict[str, str]:
        result = period_evaluation(period, published_only=public)
        record = public_record if public else evaluation_record
        return {
            row.indicator.ref: json.dumps(record(row), ensure_ascii=False) for row in result.rows
        }

    return kept(("scorecard-records", period.frequency.value, period.first_month), public, build)


@dataclass(frozen=True)
class ScorecardView:
    """What the page and its .json twin show."""

    period: Period | None
    data: ScorecardData | None
    filters: sf.Filters
    groups: list[sf.Group]
    rows: list[sf.ScorecardRow]  # as shown: in their groups, sorted
    counts: dict[str, int]  # by RAG, of the rows matching every filter but the RAG one
    total: int  # indicators in the period, before filtering
    options: dict[str, Any]  # the filter form's choices
    notices: list[str]
    public: bool = False
    periods: sp.PeriodNav | None = None
    plan_groups: list[sf.PlanGroup] = field(default_factory=list)  # when grouped by plan

    def period_url(self, period: Period | None) -> str:
        return sf.query_with(str(period), self.filters) if period else ""

    @property
    def previous_url(self) -> str:
        return self.period_url(self.periods.previous if self.periods else None)

    @property
    def next_url(self) -> str:
        return self.period_url(self.periods.next if self.periods else None)

    @property
    def filter_params(self) -> list[tuple[str, str]]:
        """The filters as hidden fields of the period picker, kept when it moves."""
        return [(k, v) for k, v in self.filters.params().items() if v]

    @property
    def json_url(self) -> str:
        name = "web:public_scorecard_json" if self.public else "web:scorecard_json"
        return reverse(name) + sf.query_with(str(self.period), self.filters)

    @property
    def all_url(self) -> str:
        return sf.query_with(str(self.period), self.filters, rag="")

    @property
    def count_links(self) -> list[dict[str, Any]]:
        return _count_links(self)


def scorecard_view(query: Any, public: bool) -> ScorecardView:
    """Parse the address, take the period's cached rows, filter and sort them."""
    data, notices = choose_period(query.get("period", ""), public)
    if data is None:
        return ScorecardView(None, None, sf.Filters(), [], [], {}, 0, {}, notices, public)
    every = data.rows
    filters, ignored = sf.parse_filters(query, sf.choices_for(every))
    notices.append(sf.ignored_notice(ignored))
    matching = sf.apply_filters(every, replace(filters, rag=""))
    counts = {**sf.count_by_rag(matching), "all": len(matching)}
    shown = sf.sort_rows(sf.apply_filters(matching, filters), filters.sort)
    by_plan = plan_groups(data.period, public, shown, not filters.active) if filters.by_plan else []
    groups = (
        [] if filters.by_plan else sf.group_rows(shown, [(r.directorate, r.service) for r in every])
    )
    return ScorecardView(
        period=data.period,
        data=data,
        filters=filters,
        groups=groups,
        rows=shown if filters.by_plan else [row for group in groups for row in group.rows],
        counts=counts,
        total=len(every),
        options=filter_options(every, filters, public, data.key_lines),
        notices=[n for n in notices if n],
        public=public,
        periods=sp.period_nav(data.period, public),
        plan_groups=by_plan,
    )


def choose_period(text: str, public: bool) -> tuple[ScorecardData | None, list[str]]:
    """The rows of the period asked for, else of the quarter of the latest
    value (published, on the public pages), with a notice saying why when the
    one asked for cannot be shown: not a period, or no values in it. None
    when there is nothing to show."""
    quarters = sp.quarters_with_values(public)
    fallback = quarters[0] if quarters else default_period()
    if fallback is None:
        return None, []
    text = str(text).strip()
    notices = []
    if text:
        try:
            period = read_period(text)
        except PeriodError as error:
            notices.append(sp.unreadable_notice(text, error, fallback))
        else:
            if sp.has_values(period, public):
                data = scorecard_data(period, public)
                if data.has_values:
                    return data, []
            fallback = sp.period_instead(period, public) or fallback
            notices.append(sp.no_values_notice(period, fallback, public))
    data = scorecard_data(fallback, public)
    return (data, notices) if data.has_values else (None, [])


def build_rows(result: PeriodEvaluation, public: bool) -> list[sf.ScorecardRow]:
    """Every row of the scorecard, in the register's order: one pass, no queries."""
    name = "web:public_indicator" if public else "web:indicator"
    url = reverse(name, args=["REF"]).replace("REF", "{}")
    findings: dict[str, list[str]] = {}
    if not public:
        for f in result.findings:
            if f.code not in RATING_FINDINGS:
                findings.setdefault(f.ref, []).append(f.message[:1].upper() + f.message[1:])
    flagged = set() if public else {f.ref for f in result.findings}
    missing = set() if public else result.missing_printed_rating
    rows = [
        _row(row, url.format(quote(row.indicator.ref, safe="")), public, findings, flagged, missing)
        for row in result.rows
    ]
    # Each row's HTML is rendered here, once per data version, not per request:
    # the template engine would spend most of a 500-row page on the rows.
    template = get_template(TABLE_TEMPLATE)
    return [
        replace(r, html=mark_safe(_compact(template.render({"row_only": True, "row": r}))))
        for r in rows
    ]


_INDENT = re.compile(r"\n\s+")


def _compact(html: str) -> str:
    """A row without the template's indentation (HTML collapses it anyway)."""
    return _INDENT.sub("\n", html)


def _row(
    row: IndicatorEvaluation,
    url: str,
    public: bool,
    findings: dict[str, list[str]],
    flagged: set[str],
    missing: set[str],
) -> sf.ScorecardRow:
    e, ref = row.evaluation, row.indicator.ref
    rating, change, spc = e.rating, e.change, row.analytics.spc
    note = ""
    if not public and e.rating_differs and e.stated_rating is not None:
        note = _("printed %(rating)s") % {"rating": e.stated_rating.label}
    elif ref in missing:
        note = _("no rating printed")
    comparison = row.benchmark.comparison if row.benchmark else None
    title = bilingual.text(row.indicator, "title")
    return sf.ScorecardRow(
        ref=ref,
        title=str(title),
        url=url,
        directorate=row.directorate,
        service=row.service,
        frequency=row.indicator.frequency,
        period=in_words(e.current.period) if e.current else "",
        value=e.shown(e.current),
        target=e.show(e.target.value) if e.target else "",
        rag=rating.value if rating else sf.NO_RATING,
        rag_symbol=e.rating_symbol or "–",
        rag_label=e.rating_label or _("No rating"),
        change=change.value if change else "",
        change_arrow=change.arrow if change else "",
        change_label=change.label if change else "",
        sparkline=sparkline(row.history[-SPARKLINE_VALUES:], e.show),
        variation=_variation(spc.variation, _language()) if spc and spc.variation else "",
        assurance=_assurance(spc.assurance, _language()) if spc and spc.assurance else "",
        quartile=quartile_words(comparison.quartile) if comparison and comparison.quartile else "",
        printed_note=note,
        findings=tuple(findings.get(ref, ())),
        needs_attention=rating is Rating.RED or ref in flagged,
        title_lang=title.lang if title.is_fallback else "",
    )


def _language() -> str:
    return translation.get_language() or ""


def quartile_words(quartile: int) -> str:
    """The scorecard's Benchmark column: "Top quartile" … "Bottom quartile"."""
    return {
        1: _("Top quartile"),
        2: _("Second quartile"),
        3: _("Third quartile"),
        4: _("Bottom quartile"),
    }.get(quartile, "")


def sparkline(points: Sequence[Point], show: Callable[[Decimal], str]) -> SafeString:
    """A small SVG line of ``points``' values, labelled with its first and last:
    "Trend of 12 values from 57.5% to 61.0%"."""
    if not points:
        return mark_safe("")
    values = [float(p.value) for p in points]
    low, high = min(values), max(values)
    spread = (high - low) or 1.0
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
    inner = SPARK_HEIGHT - 2 * SPARK_PAD
    xy = [
        (SPARK_PAD + i * step, SPARK_PAD + inner * (0.5 if high == low else (high - v) / spread))
        for i, v in enumerate(values)
    ]
    if len(values) == 1:
        label = _("1 value: %(value)s") % {"value": show(points[0].value)}
        line = ""
    else:
        label = ngettext(
            "Trend of %(count)d value from %(first)s to %(last)s",
            "Trend of %(count)d values from %(first)s to %(last)s",
            len(values),
        ) % {"count": len(values), "first": show(points[0].value), "last": show(points[-1].value)}
        # Whole pixels: at 80 by 24 a tenth is invisible, and 500 rows weigh less.
        line = '<polyline points="{}"/>'.format(" ".join(f"{x:.0f},{y:.0f}" for x, y in xy))
    x, y = xy[-1]
    return mark_safe(
        f'<svg class="sparkline" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" width="{SPARK_WIDTH}" '
        f'height="{SPARK_HEIGHT}" role="img" aria-label="{escape(label)}">{line}'
        f'<circle cx="{x:.0f}" cy="{y:.0f}" r="2.5"/></svg>'
    )


# Each row names its icons by reference to one copy of each in the page (an
# SVG sprite): 500 rows of inline icons made a third of the page's weight.
_SVG_OPEN = re.compile(r"^<svg[^>]*>(?:<title>.*?</title>)?")


def _symbol(name: str, svg: str) -> str:
    inner = _SVG_OPEN.sub("", svg).removesuffix("</svg>")
    return f'<symbol id="icon-{name}" viewBox="0 0 40 40">{inner}</symbol>'


@lru_cache(maxsize=1)
def icon_sprite() -> SafeString:
    """Every SPC icon once, hidden, for the rows' icons to use."""
    symbols = [_symbol(f"variation-{v.value}", variation_icon(v)) for v in Variation]
    symbols += [_symbol(f"assurance-{a.value}", assurance_icon(a)) for a in Assurance]
    return mark_safe(
        '<svg class="icon-sprite" aria-hidden="true" focusable="false">'
        + "".join(symbols)
        + "</svg>"
    )


def _icon(name: str, label: str, words: str) -> SafeString:
    """The icon with its meaning in words beside it, for everyone: the words
    are read out, so the picture is hidden from screen readers; its title
    gives the longer description on hover."""
    return mark_safe(
        f'<span class="spc-item"><svg class="icon" viewBox="0 0 40 40" width="40" height="40" '
        f'aria-hidden="true" focusable="false"><title>{escape(label)}</title>'
        f'<use href="#icon-{name}"/></svg><span class="spc-words">{escape(words)}</span></span>'
    )


@lru_cache(maxsize=32)  # one string per icon and language, shared by every row
def _variation(variation: Variation, language: str) -> SafeString:
    return _icon(f"variation-{variation.value}", variation.description, variation.label)


@lru_cache(maxsize=16)
def _assurance(assurance: Assurance, language: str) -> SafeString:
    return _icon(f"assurance-{assurance.value}", assurance.description, assurance.label)


def filter_options(
    rows: Sequence[sf.ScorecardRow],
    filters: sf.Filters,
    public: bool,
    key: Sequence[KeyLine] = (),
) -> dict[str, Any]:
    """The choices of each list in the filter form, the chosen one marked:
    the ratings the organisation's Key can give, in its words, and any other
    a row has."""
    services: dict[str, list[str]] = {}
    for row in rows:
        if row.service and row.service not in services.setdefault(row.directorate, []):
            services[row.directorate].append(row.service)
    names = rating_names(key)
    present = {row.rag for row in rows}
    ratings = [
        (r.value, " ".join(names.get(r.value, (r.symbol, r.label))))
        for r in Rating
        if r.value in names or r.value in present
    ]
    return {
        "directorates": _options(
            [(d, d) for d in dict.fromkeys(r.directorate for r in rows) if d], filters.directorate
        ),
        "services": [
            (directorate or _("No directorate"), _options([(s, s) for s in names], filters.service))
            for directorate, names in services.items()
        ],
        "rags": _options([*ratings, (sf.NO_RATING, _("No rating"))], filters.rag),
        "changes": _options([(c.value, f"{c.arrow} {c.label}") for c in Change], filters.change),
        "frequencies": _options(
            [(f.value, frequency_words(f)) for f in Frequency], filters.frequency
        ),
        "sorts": _options([(k, str(v)) for k, v in sf.SORTS.items()], filters.sort),
        "groups": _options([(k, str(v)) for k, v in sf.GROUPINGS.items()], filters.group),
        "attention_hint": (
            _("Red only")
            if public
            else _("Red, a printed rating that differs, or a data-quality finding")
        ),
    }


def _options(pairs: list[tuple[str, str]], chosen: str) -> list[tuple[str, str, bool]]:
    return [(value, label, value == chosen) for value, label in pairs]


def _count_links(view: ScorecardView) -> list[dict[str, Any]]:
    """The counts by RAG at the top, each a link to the rows it counts: the four
    colours always, the others when there are any."""
    links = []
    names = rating_names(view.data.key_lines if view.data else ())
    for rag in sf.RAG_ORDER:
        if (rag not in names or rag not in COLOURS) and not view.counts[rag]:
            continue  # a rating the Key cannot give, or one no indicator has
        symbol, label = names.get(rag) or rag_words(rag)
        links.append(
            {
                "rag": rag,
                "symbol": symbol,
                "label": label,
                "count": view.counts[rag],
                "url": sf.query_with(str(view.period), view.filters, rag=rag),
                "current": view.filters.rag == rag,
            }
        )
    return links


def rating_names(key: Sequence[KeyLine]) -> dict[str, tuple[str, str]]:
    """Each rating of the Key as (symbol, label), by its value."""
    return {line.rating.value: (line.symbol, line.label) for line in key}


def rag_words(rag: str) -> tuple[str, str]:
    """A RAG filter value's symbol and label: ("✖", "Red"), ("–", "No rating")."""
    if rag == sf.NO_RATING:
        return "–", _("No rating")
    rating = Rating(rag)
    return rating.symbol, rating.label
