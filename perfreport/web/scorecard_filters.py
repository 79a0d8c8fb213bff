"""The scorecard's filters and sorting, as pure functions over its rows.

A filter lives in the page's address (``?rag=red&sort=change``) so that a view
can be shared. Every value is checked against what exists: one that is
malformed or unknown is ignored and named in a notice, never an error.

>>> filters, ignored = parse_filters({"rag": "red", "sort": "size"}, Choices())
>>> (filters.rag, filters.sort, ignored)
('red', 'ref', ['sort “size”'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from perfreport.core.change import Change
from perfreport.core.periods import Frequency
from perfreport.core.rating import Rating

NO_RATING = "none"  # the RAG filter's value for an indicator with no rating
YES = "yes"
# Worst first: a Red needs attention before an Amber, and Blue (beyond target)
# is the least worrying of the colours; no colour, then no rating, come last.
RAG_ORDER = (
    Rating.RED.value,
    Rating.AMBER.value,
    Rating.GREEN.value,
    Rating.BLUE.value,
    Rating.BASELINE.value,
    Rating.CONTEXTUAL.value,
    NO_RATING,
)
CHANGE_ORDER = (Change.DECLINING.value, Change.UNCHANGED.value, Change.IMPROVING.value, "")
SORTS = {
    "ref": gettext_lazy("Ref"),
    "title": gettext_lazy("Title"),
    "rag": gettext_lazy("RAG rating (Red first)"),
    "change": gettext_lazy("Change (Declining first)"),
}
# How the rows are grouped: by directorate and service (the default), or by
# the council plan's priorities and outcomes (perfreport.web.scorecard_plan).
GROUPINGS = {
    "directorate": gettext_lazy("Directorate and service"),
    "plan": gettext_lazy("Plan: priority and outcome"),
}
FIELDS = ("directorate", "service", "rag", "change", "frequency", "attention", "sort", "group")


@dataclass(frozen=True)  # no slots: such instances are read back from the cache much faster
class ScorecardRow:
    """One indicator as the scorecard shows it: every figure already text."""

    ref: str
    title: str
    url: str
    directorate: str
    service: str
    frequency: str  # Frequency value
    period: str  # of the value shown
    value: str  # as printed
    target: str  # as printed
    rag: str  # Rating value, or NO_RATING
    rag_symbol: str
    rag_label: str
    change: str  # Change value, or ""
    change_arrow: str
    change_label: str
    sparkline: str  # inline SVG
    variation: str  # inline SVG icon, or ""
    assurance: str  # inline SVG icon, or ""
    quartile: str  # "Top quartile", or ""
    printed_note: str  # "printed Amber", "no rating printed" (staff only)
    findings: tuple[str, ...]  # data-quality findings (staff only)
    needs_attention: bool
    html: str = ""  # the table row, rendered once with the rest (see scorecard.build_rows)
    title_lang: str = ""  # "en-GB" when the title is the English shown on a Welsh page


@dataclass(frozen=True, slots=True)
class Choices:
    """The values a filter may take: the directorates and services come from the data."""

    directorates: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Filters:
    directorate: str = ""
    service: str = ""
    rag: str = ""
    change: str = ""
    frequency: str = ""
    attention: bool = False
    sort: str = "ref"
    group: str = "directorate"

    @property
    def active(self) -> bool:
        return self != Filters(sort=self.sort, group=self.group)

    @property
    def by_plan(self) -> bool:
        return self.group == "plan"

    def params(self) -> dict[str, str]:
        """The address's query for these filters, defaults left out."""
        values = {
            "directorate": self.directorate,
            "service": self.service,
            "rag": self.rag,
            "change": self.change,
            "frequency": self.frequency,
            "attention": YES if self.attention else "",
            "sort": "" if self.sort == "ref" else self.sort,
            "group": "" if self.group == "directorate" else self.group,
        }
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True, slots=True)
class Group:
    """The indicators of one service, under their directorate's heading."""

    directorate: str
    service: str
    rows: tuple[ScorecardRow, ...]
    first_of_directorate: bool


@dataclass(frozen=True, slots=True)
class PlanGroup:
    """The indicators serving one priority, outcome or sub-outcome, under a
    heading with its roll-up status; or those in no plan item (``ref`` "")."""

    ref: str
    anchor: str
    level: str  # "Priority", "Outcome", "Sub-outcome"; "" for those not in the plan
    depth: int  # 1 for a priority: its heading is h2
    title: str
    status_css: str
    status_symbol: str
    status_label: str
    rows: tuple[ScorecardRow, ...]
    leaf: bool = True  # no item under it: says so when no indicator serves it
    title_lang: str = ""  # "en-GB" when the title is the English shown on a Welsh page

    @property
    def heading(self) -> str:
        return f"h{min(self.depth + 1, 4)}"

    @property
    def caption(self) -> str:
        return indicators_of(self.depth, self.ref) if self.level else self.title


def indicators_of(depth: int, ref: str) -> str:
    """A plan item's table of indicators: "Indicators of outcome O1.1"."""
    if depth == 1:
        return _("Indicators of priority %(ref)s") % {"ref": ref}
    if depth == 2:
        return _("Indicators of outcome %(ref)s") % {"ref": ref}
    return _("Indicators of sub-outcome %(ref)s") % {"ref": ref}


def choices_for(rows: Iterable[ScorecardRow]) -> Choices:
    rows = list(rows)
    return Choices(
        frozenset(r.directorate for r in rows if r.directorate),
        frozenset(r.service for r in rows if r.service),
    )


def parse_filters(query: Mapping[str, str], choices: Choices) -> tuple[Filters, list[str]]:
    """The filters asked for, and the values ignored (``name “value”``)."""
    allowed: dict[str, Iterable[str]] = {
        "directorate": choices.directorates,
        "service": choices.services,
        "rag": RAG_ORDER,
        "change": CHANGE_ORDER[:-1],
        "frequency": [f.value for f in Frequency],
        "attention": (YES,),
        "sort": SORTS,
        "group": GROUPINGS,
    }
    found: dict[str, Any] = {}
    ignored = []
    for name in FIELDS:
        text = str(query.get(name, "")).strip()
        if not text:
            continue
        wanted = text.lower() if name not in ("directorate", "service") else text
        if wanted in allowed[name]:
            found[name] = wanted
        else:
            ignored.append(f"{name} “{_clip(text)}”")
    if "attention" in found:
        found["attention"] = True
    return Filters(**found), ignored


def ignored_notice(ignored: Sequence[str]) -> str:
    if not ignored:
        return ""
    return ngettext(
        "Ignored the filter %(filters)s: no such value. Choose from the lists in the form below.",
        "Ignored the filters %(filters)s: no such value. Choose from the lists in the form below.",
        len(ignored),
    ) % {"filters": ", ".join(ignored)}


def apply_filters(rows: Iterable[ScorecardRow], filters: Filters) -> list[ScorecardRow]:
    return [r for r in rows if _matches(r, filters)]


def _matches(row: ScorecardRow, f: Filters) -> bool:
    return (
        (not f.directorate or row.directorate == f.directorate)
        and (not f.service or row.service == f.service)
        and (not f.rag or row.rag == f.rag)
        and (not f.change or row.change == f.change)
        and (not f.frequency or row.frequency == f.frequency)
        and (not f.attention or row.needs_attention)
    )


def sort_rows(rows: Iterable[ScorecardRow], sort: str) -> list[ScorecardRow]:
    """By ref (numbers in order: 9 before 10), title, RAG severity or change,
    each then by ref."""
    by_ref = sorted(rows, key=lambda r: ref_key(r.ref))
    if sort == "title":
        return sorted(by_ref, key=lambda r: r.title.casefold())
    if sort == "rag":
        return sorted(by_ref, key=lambda r: RAG_ORDER.index(r.rag))
    if sort == "change":
        return sorted(by_ref, key=lambda r: CHANGE_ORDER.index(r.change))
    return by_ref


def ref_key(ref: str) -> tuple[tuple[int, int | str], ...]:
    """A ref's natural order: ``"PH 9"`` before ``"PH 10"``."""
    parts = re.split(r"(\d+)", ref.casefold())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def group_rows(rows: Sequence[ScorecardRow], order: Sequence[tuple[str, str]]) -> list[Group]:
    """The rows by directorate and service, the groups in ``order`` (the
    register's), the rows in theirs."""
    grouped: dict[tuple[str, str], list[ScorecardRow]] = {}
    for row in rows:
        grouped.setdefault((row.directorate, row.service), []).append(row)
    position = {key: i for i, key in enumerate(dict.fromkeys(order))}
    keys = sorted(grouped, key=lambda k: position.get(k, len(position)))
    groups, seen = [], set()
    for directorate, service in keys:
        groups.append(
            Group(
                directorate,
                service,
                tuple(grouped[(directorate, service)]),
                directorate not in seen,
            )
        )
        seen.add(directorate)
    return groups


def count_by_rag(rows: Iterable[ScorecardRow]) -> dict[str, int]:
    counts = dict.fromkeys(RAG_ORDER, 0)
    for row in rows:
        counts[row.rag] += 1
    return counts


def query_with(period: str, filters: Filters, **changes: Any) -> str:
    """``?period=…&rag=…``: the address of these filters with some changed."""
    params = {"period": period, **replace(filters, **changes).params()}
    return "?" + urlencode({k: v for k, v in params.items() if v})


def _clip(text: str, limit: int = 40) -> str:
    """A value fit to show back: short, and with no control characters."""
    text = "".join(ch if ch.isprintable() else "�" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
