"""The columns of each import file and how each cell is read.

``FILES`` is the one description of the import format: the reader, the
writer and docs/import-format.md (checked by a test) all follow it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from perfreport.core.indicator import Aggregation
from perfreport.core.numbers import CellError as CellError
from perfreport.core.numbers import read_number as read_number
from perfreport.core.periods import Frequency, PeriodError, parse_year_start
from perfreport.core.plan import ActionKind, IndicatorKind, RollupMethod
from perfreport.core.rating import GapMeasure, Polarity, Rating, RatingBasis, ToleranceMethod
from perfreport.core.targets import TargetKind, TargetRule
from perfreport.core.text import COMMENTARY_LIMIT
from perfreport.core.units import Unit
from perfreport.core.withheld import withheld_text
from perfreport.registry.models import GroupKind


@dataclass(frozen=True)
class FileSpec:
    """One import file: its columns in the order export writes them, and which
    of them are required."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.required)


ORGANISATIONS = FileSpec(
    "organisations",
    (
        "code", "name", "kind", "la_number", "home", "report_title", "report_team",
        "report_contact", "scheme", "baseline_label", "contextual_label", "plan_rule",
        "plan_green_share", "plan_amber_share", "action_due_soon_days",
    ),
    ("code", "name"),
)  # fmt: skip
SCHEMES = FileSpec(
    "schemes",
    (
        "scheme", "rating", "gap_from", "inclusive", "measure", "label", "symbol", "colour",
        "description",
    ),
    ("scheme", "rating", "gap_from", "inclusive", "measure"),
)  # fmt: skip
GROUPS = FileSpec(
    "groups", ("group", "organisation", "kind", "includes_home"), ("group", "organisation")
)
INDICATORS = FileSpec(
    "indicators",
    (
        "ref", "title", "title_cy", "unit", "unit_label", "decimals", "polarity", "frequency",
        "aggregation", "rating_basis", "scheme", "target_rule", "tolerance_method",
        "red_threshold", "blue_threshold", "lag",
        "year_start", "release_lag_months", "directorate", "service", "owner", "type", "outcomes",
        "neighbours_mean", "england_mean", "national_code", "comparator_group", "links",
        "source", "description", "description_cy",
    ),
    ("ref", "title", "unit", "polarity", "frequency", "rating_basis"),
)  # fmt: skip
VALUES = FileSpec(
    "values",
    (
        "ref", "period", "organisation", "value", "numerator", "denominator", "target",
        "stated_rag", "rating_printed", "commentary", "commentary_cy", "actions", "actions_cy",
        "draft",
    ),
    ("ref", "period", "value"),
)  # fmt: skip
TARGETS = FileSpec(
    "targets", ("ref", "kind", "period", "target", "note"), ("ref", "period", "target")
)
COMMENTARY = FileSpec(
    "commentary",
    ("ref", "period", "commentary", "commentary_cy", "actions", "actions_cy"),
    ("ref", "period"),
)
# The council plan: its priorities and outcomes, and the actions and projects
# that serve them, with their milestones (perfreport.imports.council_plan_rows).
PLAN = FileSpec(
    "plan",
    ("ref", "parent", "title", "title_cy", "description", "description_cy", "lead"),
    ("ref", "parent", "title"),
)
ACTIONS = FileSpec(
    "actions",
    (
        "ref", "kind", "title", "title_cy", "description", "description_cy", "owner",
        "owner_login", "directorate", "outcomes", "indicators", "start", "due", "completed_on",
        "percent_complete", "progress", "progress_cy", "progress_period",
    ),
    ("ref", "title"),
)  # fmt: skip
MILESTONES = FileSpec(
    "milestones", ("action", "title", "due", "completed_on"), ("action", "title", "due")
)
# Streamed row by row by the benchmark loader, never read into a Table: it is
# here so that its columns are documented and checked like the others.
BENCHMARKS = FileSpec(
    "benchmarks",
    ("organisation", "indicator", "period", "value", "numerator", "denominator"),
    ("organisation", "indicator", "period", "value"),
)
FILES = {
    spec.name: spec
    for spec in (
        ORGANISATIONS,
        SCHEMES,
        GROUPS,
        INDICATORS,
        TARGETS,
        VALUES,
        COMMENTARY,
        PLAN,
        ACTIONS,
        MILESTONES,
        BENCHMARKS,
    )
}


# Text columns the database keeps to a length (others are unlimited text).
MAX_LENGTHS = {
    ("organisations", "code"): 20,
    ("organisations", "name"): 200,
    ("organisations", "kind"): 50,
    ("organisations", "la_number"): 10,
    ("organisations", "report_title"): 200,
    ("organisations", "report_team"): 200,
    ("organisations", "report_contact"): 300,
    ("organisations", "scheme"): 60,
    ("organisations", "baseline_label"): 60,
    ("organisations", "contextual_label"): 60,
    ("schemes", "scheme"): 60,
    ("schemes", "label"): 60,
    ("schemes", "symbol"): 8,
    ("schemes", "colour"): 20,
    ("indicators", "scheme"): 60,
    ("groups", "group"): 200,
    ("groups", "kind"): 30,
    ("indicators", "ref"): 40,
    ("indicators", "title"): 300,
    ("indicators", "title_cy"): 300,
    ("indicators", "unit_label"): 40,
    ("indicators", "directorate"): 200,
    ("indicators", "service"): 200,
    ("indicators", "owner"): 200,
    ("indicators", "national_code"): 60,
    ("indicators", "comparator_group"): 200,
    ("commentary", "commentary"): COMMENTARY_LIMIT,
    ("commentary", "actions"): COMMENTARY_LIMIT,
    ("values", "commentary"): COMMENTARY_LIMIT,
    ("values", "actions"): COMMENTARY_LIMIT,
    # The Welsh beside the English (issue 17), kept to the same lengths.
    ("commentary", "commentary_cy"): COMMENTARY_LIMIT,
    ("commentary", "actions_cy"): COMMENTARY_LIMIT,
    ("values", "commentary_cy"): COMMENTARY_LIMIT,
    ("values", "actions_cy"): COMMENTARY_LIMIT,
    ("plan", "title_cy"): 300,
    ("actions", "title_cy"): 300,
    ("actions", "progress_cy"): COMMENTARY_LIMIT,
    ("plan", "ref"): 40,
    ("plan", "parent"): 40,
    ("plan", "title"): 300,
    ("plan", "lead"): 200,
    ("actions", "ref"): 40,
    ("actions", "title"): 300,
    ("actions", "owner"): 200,
    ("actions", "owner_login"): 150,
    ("actions", "directorate"): 200,
    ("actions", "progress"): COMMENTARY_LIMIT,
    ("milestones", "action"): 40,
    ("milestones", "title"): 300,
}


def choice(enum: type[StrEnum]) -> Callable[[str], str]:
    options = [member.value for member in enum]

    def read(text: str) -> str:
        value = text.strip().lower()
        if value not in options:
            raise CellError(_("is not one of %(options)s") % {"options": ", ".join(options)})
        return value

    return read


read_unit = choice(Unit)
read_polarity = choice(Polarity)
read_frequency = choice(Frequency)
read_rating_basis = choice(RatingBasis)
read_aggregation = choice(Aggregation)
read_tolerance = choice(ToleranceMethod)
read_kind = choice(TargetKind)
read_group_kind = choice(GroupKind)


def read_whole(low: int, high: int) -> Callable[[str], int]:
    def read(text: str) -> int:
        said = _("is not a whole number from %(low)s to %(high)s") % {"low": low, "high": high}
        if not re.fullmatch(r"\d+", text.strip()):
            raise CellError(said)
        value = int(text)
        if not low <= value <= high:
            raise CellError(said)
        return value

    return read


def read_year_start(text: str) -> int | None:
    """The month an indicator's years start (``calendar``, ``academic``,
    ``september``, ``7``), or None for the organisation's financial year."""
    try:
        return parse_year_start(text)
    except PeriodError:
        raise CellError(
            _(
                "is not a year start: use a month from 1 to 12, a month's name such as july, "
                "or calendar, academic or financial"
            )
        ) from None


def read_withheld(text: str) -> str | None:
    """A value withheld as published (``c``, ``x``, ``*``, ``..``, ``[c]``,
    "fewer than 10", "<5"), kept as printed; None for any other text."""
    return withheld_text(text)


def read_la_number(text: str) -> str:
    """The DfE's LA number as published (``873``): digits, kept as text."""
    value = text.strip()
    if not re.fullmatch(r"\d{1,10}", value):
        raise CellError(_("is not an LA number: expected up to 10 digits, such as 873"))
    return value


def read_threshold(text: str) -> Decimal:
    number = read_number(text.strip().removesuffix("%"))
    if number < 0:
        raise CellError(_("is below 0: a threshold is 0 or more"))
    return number


def read_blue_threshold(text: str) -> Decimal | None:
    """A number, or ``none`` for a three-band scheme with no Blue."""
    if text.strip().lower() == "none":
        return None
    return read_threshold(text)


def read_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0", ""):
        return False
    raise CellError(_("is not yes or no"))


def read_rating(text: str) -> str:
    try:
        return Rating.parse(text).value
    except ValueError:
        raise CellError(
            _("is not a RAG rating: use one of %(options)s")
            % {"options": ", ".join(r.value for r in Rating)}
        ) from None


_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)\)")


def read_links(text: str) -> list[tuple[str, str]]:
    """Markdown links, ``[Title](https://…)``, one per line."""
    links = [(title.strip(), url) for title, url in _LINK.findall(text)]
    leftover = _LINK.sub("", text).strip(" \n\r\t;,")
    if leftover:
        raise CellError(_("is not a list of links: write [Title](https://address), one per line"))
    for title, url in links:
        if len(title) > 300 or len(url) > 1000:
            raise CellError(
                _("has a link longer than is kept (titles 300 characters, addresses 1,000)")
            )
        if not re.match(r"https?://[^\s/]+\.[^\s]+", url):
            said = _("has %(address)s, which is not a web address: expected https://…")
            raise CellError(said % {"address": repr(url)})
    return links


def write_links(links: list[tuple[str, str]]) -> str:
    return "\n".join(f"[{title}]({url})" for title, url in links)


read_measure = choice(GapMeasure)


def read_band_rating(text: str) -> str:
    """A rating a band can give: red, amber, green or blue."""
    value = text.strip().lower()
    options = [r.value for r in Rating if r.is_colour]
    if value not in options:
        said = _("is not a band's rating: use one of %(options)s")
        raise CellError(said % {"options": ", ".join(options)})
    return value


def read_gap(text: str) -> Decimal:
    """A signed gap: positive is better than the target ("5", "-10", "-2.5%")."""
    return read_number(text.strip().removesuffix("%"))


_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def read_colour(text: str) -> str:
    value = text.strip()
    if value and not _COLOUR.fullmatch(value):
        raise CellError(_("is not a colour: write it as #rrggbb, e.g. #00703c"))
    return value.lower()


def read_scheme_name(text: str) -> str:
    """A scheme's name as it is matched: trimmed, in lower case."""
    return text.strip().lower()


read_target_rule = choice(TargetRule)


def read_indicator_kind(text: str) -> str:
    """An indicator's type in the plan: its name (``key_result``) or its label
    (``Key result``), in any case."""
    value = " ".join(text.strip().lower().replace("_", " ").split())
    for kind in IndicatorKind:
        if value in (kind.value.replace("_", " "), kind.label.lower()):
            return kind.value
    names = ", ".join(kind.value for kind in IndicatorKind)
    labels = ", ".join(repr(kind.label) for kind in IndicatorKind)
    raise CellError(
        _("is not a type: use one of %(names)s (or %(labels)s)")
        % {"names": names, "labels": labels}
    )


read_action_kind = choice(ActionKind)
read_rollup_method = choice(RollupMethod)


def read_refs(text: str) -> tuple[str, ...]:
    """References separated by ``;``, in order: ``P1.1; P2.3``."""
    refs = tuple(ref.strip() for ref in text.split(";") if ref.strip())
    repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
    if repeated:
        raise CellError(_("names %(refs)s more than once") % {"refs": ", ".join(repeated)})
    return refs


def read_date(text: str) -> date:
    """A date as ISO 8601 writes it: ``2020-09-30``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CellError(_("is not a date: write it as YYYY-MM-DD, such as 2020-09-30")) from None


def read_percent(text: str) -> Decimal:
    """A percentage from 0 to 100, with or without a trailing ``%``."""
    number = read_number(text.strip().removesuffix("%"))
    if not Decimal(0) <= number <= Decimal(100):
        raise CellError(_("is not a percentage from 0 to 100"))
    return number
