"""What an entry's pages show: the indicator's facts and target for the
entry's period, the RAG rating a value would get, the last few values and
what was said last time, and, after publication, the published figure.

Every number carries its unit and the period it is for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.audit.models import AuditEvent
from perfreport.core.evaluation import Evaluation
from perfreport.core.indicator import Point
from perfreport.core.periods import Period
from perfreport.core.rating import Polarity, Rating, RatingBasis
from perfreport.core.targets import ResolvedTarget, TargetBasis, TargetEntry, resolve_target
from perfreport.core.units import Unit, describe_unit, format_value, plain
from perfreport.core.workflow import EntryState
from perfreport.data.benchmarks import benchmarks_for
from perfreport.data.models import Entry, Observation
from perfreport.data.selectors import home_organisation
from perfreport.data.snapshots import snapshot_of
from perfreport.data.versions import scheme_book
from perfreport.registry.models import Indicator, Organisation, Target
from perfreport.registry.periods import stored_period
from perfreport.rounds.services import LABELS, EntryInput, parse_entry, preview

UNIT_HINTS = {
    # xgettext:no-python-format
    Unit.PERCENT: gettext_lazy("A percentage, 0 to 100, such as 85.5 (the % sign is optional)"),
    Unit.NUMBER: gettext_lazy("A number, such as 97.83"),
    Unit.COUNT: gettext_lazy("A count, such as 1,250"),
    Unit.STARS: gettext_lazy("A number of stars, such as 4"),
    Unit.CURRENCY: gettext_lazy("An amount in pounds, such as £1,250.50 (the £ sign is optional)"),
}
UNIT_WORDS = {
    Unit.PERCENT: gettext_lazy("Percentage, 0 to 100"),
    Unit.NUMBER: gettext_lazy("Number"),
    Unit.COUNT: gettext_lazy("Count"),
    Unit.STARS: gettext_lazy("Stars"),
    Unit.CURRENCY: gettext_lazy("Pounds (£)"),
}
# "(quarterly value)", "rated baseline": the words in the page's language.
FREQUENCY_WORDS = {
    "monthly": gettext_lazy("monthly"),
    "quarterly": gettext_lazy("quarterly"),
    "annual": gettext_lazy("annual"),
}
BASIS_WORDS = {
    "targeted": gettext_lazy("targeted"),
    "baseline": gettext_lazy("baseline"),
    "contextual": gettext_lazy("contextual"),
}
# The entry's fields by name, as its pages name them (the service's LABELS, in
# the page's language).
FIELD_LABELS = {
    "value": gettext_lazy("Value"),
    "numerator": gettext_lazy("Numerator"),
    "denominator": gettext_lazy("Denominator"),
    "commentary": gettext_lazy("Commentary"),
    "actions": gettext_lazy("Actions"),
    "commentary_cy": gettext_lazy("Commentary (Welsh)"),
    "actions_cy": gettext_lazy("Actions (Welsh)"),
    "state": gettext_lazy("State"),
    "withheld_as": gettext_lazy("Withheld as"),
    "reason": gettext_lazy("Reason"),
}
RECENT_VALUES = 6


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return str(FIELD_LABELS[name])
    return str(LABELS.get(name, name.replace("_", " ").capitalize()))  # values shown for reference


def bilingual_mode() -> bool:
    """Whether the home organisation publishes in Welsh and English (issue 17):
    its entry forms then take the Welsh commentary and actions beside the English."""
    return Organisation.objects.filter(is_home=True, bilingual=True).exists()


def when_text(at: Any) -> str:
    """A moment as the pages say it: "4 January 2021 at 14:05" ("am" in Welsh)."""
    return _("%(date)s at %(time)s") % {
        "date": date_format(at, "j F Y"),
        "time": date_format(at, "H:i"),
    }


def is_overdue(entry: Entry, today: date) -> bool:
    """Still the owner's to do, and past the round's deadline."""
    return entry.entry_state.is_open and today > entry.round.deadline


def own_submission(actor: Actor, entry: Entry) -> bool:
    """Submitted by this approver, who may not then approve it (unless the
    settings allow it: the service decides; this only saves a wasted click)."""
    return (
        not settings.PERFREPORT_ALLOW_SELF_APPROVAL
        and actor.user is not None
        and entry.submitted_by_id == actor.user.pk
    )


@dataclass(frozen=True)
class Preview:
    """The RAG rating and change the round's report would print for a value,
    as the entry page shows it and its preview endpoint answers it."""

    value: str = ""
    rating: str | None = None
    rating_label: str = ""
    symbol: str = ""
    explanation: str = ""
    change: str | None = None
    change_label: str = ""
    change_text: str = ""
    target: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def actions_required(self) -> bool:
        return self.rating == Rating.RED.value

    def as_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "rating": self.rating,
            "rating_label": self.rating_label,
            "symbol": self.symbol,
            "explanation": self.explanation,
            "change": self.change,
            "change_label": self.change_label,
            "change_text": self.change_text,
            "target": self.target,
            "actions_required": self.actions_required,
            "errors": self.errors,
        }


def preview_of(entry: Entry, value: Decimal | None, withheld_as: str = "") -> Preview:
    period = entry.get_period().long_label
    if value is None and not withheld_as:
        return Preview(
            explanation=_("No value for %(period)s yet: enter one to see its RAG rating.")
            % {"period": period}
        )
    return preview_from(preview(entry, value, withheld_as))


def preview_from(evaluation: Evaluation) -> Preview:
    """What an evaluation says of an entry's value: its rating, change and target."""
    return Preview(
        value=evaluation.shown(evaluation.current),
        rating=evaluation.rating.value if evaluation.rating else None,
        rating_label=evaluation.rating.label if evaluation.rating else _("Not rated"),
        symbol=evaluation.rating.symbol if evaluation.rating else "",
        explanation=evaluation.explanation,
        change=evaluation.change.value if evaluation.change else None,
        change_label=evaluation.change.label if evaluation.change else "",
        change_text=_change_text(evaluation),
        target=evaluation.show(evaluation.target.value) if evaluation.target else "",
    )


def _change_text(evaluation: Evaluation) -> str:
    earlier = evaluation.previous
    if evaluation.change is None or earlier is None:
        return _("No earlier value to compare with.")
    shown = evaluation.shown(earlier)
    return _("%(change)s compared with %(period)s (%(value)s).") % {
        "change": evaluation.change.label,
        "period": earlier.period.long_label,
        "value": shown,
    }


def typed_preview(found: Entry, typed: EntryInput | None) -> Preview:
    if typed is None:
        return preview_of(found, found.value, found.withheld_as)
    parsed = parse_entry(found.indicator, typed)
    if "value" in parsed.errors:
        message = error_text("value", parsed.errors["value"])
        return Preview(explanation=message, errors={"value": message})
    return preview_of(found, parsed.value, parsed.withheld_as)


def error_text(name: str, message: str) -> str:
    """A service's message for a field, as a sentence that names the field:
    "is 0: …" for the denominator reads "Denominator is 0: …"."""
    label = str(field_label(name))
    if message.startswith(("is ", "are ", "holds ")):
        return f"{label} {message}"
    return _("%(field)s: %(message)s") % {"field": label, "message": message}


def shown_value(found: Entry, value: Decimal | None, withheld_as: str = "") -> str:
    """A value with its unit and label; a figure withheld as published, as printed."""
    if withheld_as:
        return withheld_as
    if value is None:
        return _("no value")
    return format_value(value, found.indicator.unit_format, found.indicator.decimals)


def unit_hint(indicator: Indicator) -> str:
    return _(
        "%(unit)s%(label)s; %(places)s; or, for a figure withheld as published, what is "
        'printed: c, x, * or "fewer than 10".'
    ) % {
        "unit": UNIT_HINTS[Unit(indicator.unit)],
        "label": _label_words(indicator),
        "places": _places(indicator),
    }


def unit_text(indicator: Indicator) -> str:
    """The unit in words, in the page's language: "Percentage, 0 to 100"."""
    return f"{UNIT_WORDS[Unit(indicator.unit)]}{_label_words(indicator)}"


def _label_words(indicator: Indicator) -> str:
    """What a unit label adds: ", in millions of pounds (£m)", ", in days"."""
    unit = indicator.unit_format
    return _(", in %(unit)s") % {"unit": describe_unit(unit)} if unit.label.text else ""


def _places(indicator: Indicator) -> str:
    places = indicator.decimals
    return ngettext(
        "shown to %(places)d decimal place", "shown to %(places)d decimal places", places
    ) % {"places": places}


def facts(found: Entry) -> list[tuple[str, str]]:
    indicator = found.indicator
    polarity = Polarity(indicator.polarity)
    saved = ""
    if found.updated_by is not None:
        at = timezone.localtime(found.updated_at)
        saved = _("; last saved by %(name)s on %(when)s") % {
            "name": found.updated_by.get_username(),
            "when": when_text(at),
        }
    period = found.get_period().long_label
    return [
        (
            _("Period"),
            _("%(period)s (%(frequency)s value)")
            % {
                "period": period,
                "frequency": FREQUENCY_WORDS.get(indicator.frequency, indicator.frequency),
            },
        ),
        (
            _("Unit"),
            f"{UNIT_WORDS[Unit(indicator.unit)]}{_label_words(indicator)}, {_places(indicator)}",
        ),
        (_("Direction for improvement"), f"{polarity.arrow} {polarity.words.capitalize()}"),
        (_("Target for %(period)s") % {"period": period}, _target_text(found)),
        (_("State"), f"{found.entry_state.label}{saved}"),
    ]


def _targets(indicator: Indicator) -> list[TargetEntry]:
    found = Target.objects.filter(indicator=indicator).select_related("indicator")
    return [t.to_core() for t in found]


def _target_for(found: Entry, period: Period, targets: list[TargetEntry]) -> ResolvedTarget | None:
    spec = found.indicator.to_core(scheme_book())
    return resolve_target(period, targets, cumulative=spec.cumulative, decimals=spec.decimals)


def _target_text(found: Entry) -> str:
    spec = found.indicator.to_core(scheme_book())
    if spec.rating_basis is not RatingBasis.TARGETED:
        return _("None: this indicator is rated %(basis)s, without a target") % {
            "basis": BASIS_WORDS.get(spec.rating_basis.value, spec.rating_basis.value)
        }
    if spec.target_rule is not None:
        return _("Set by rule: %(rule)s") % {"rule": spec.target_rule.words}
    resolved = _target_for(found, found.get_period(), _targets(found.indicator))
    if resolved is None:
        return _("None is set for %(period)s, so the value cannot be rated") % {
            "period": found.get_period().long_label
        }
    shown = shown_value(found, resolved.value)
    source = {"period": resolved.sources[0].period}
    notes = {
        TargetBasis.CONTAINING: _("the target set for %(period)s") % source,
        TargetBasis.CARRIED: _("the target set for %(period)s still applies") % source,
        TargetBasis.PRO_RATA: _("pro rata, from the target for %(period)s") % source,
        TargetBasis.INTERPOLATED: _("worked out from the milestones"),
    }
    note = notes.get(resolved.basis)
    return f"{shown} ({note})" if note else shown


def stored_rows(found: Entry, welsh: bool = False) -> list[tuple[str, str, str, str]]:
    """(term, what is saved, the term's and the text's language: "" for the page's);
    ``welsh``, in bilingual mode: the Welsh commentary and actions beside the English."""
    none = _("None entered")

    def number(value: Decimal | None) -> str:
        return none if value is None else plain(value)

    period = found.get_period().long_label
    rows = [
        (
            _("Value for %(period)s") % {"period": period},
            shown_value(found, found.value, found.withheld_as),
            "",
            "",
        ),
        (_("Numerator"), number(found.numerator), "", ""),
        (_("Denominator"), number(found.denominator), "", ""),
    ]
    if not welsh:
        return [
            *rows,
            (_("Commentary"), found.commentary or none, "", ""),
            (_("Actions"), found.actions or none, "", ""),
        ]

    def english(text: str) -> str:
        return "en-GB" if text else ""

    def welsh_(text: str) -> str:
        return "cy" if text else ""

    return [
        *rows,
        (_("Commentary (English)"), found.commentary or none, "", english(found.commentary)),
        ("Sylwebaeth (Cymraeg)", found.commentary_cy or none, "cy", welsh_(found.commentary_cy)),
        (_("Actions (English)"), found.actions or none, "", english(found.actions)),
        ("Camau gweithredu (Cymraeg)", found.actions_cy or none, "cy", welsh_(found.actions_cy)),
    ]


@dataclass(frozen=True)
class RecentValue:
    period: str
    value: str
    target: str
    draft: bool


def recent_values(found: Entry) -> list[RecentValue]:
    """The last few published values before the entry's period, latest
    first, for reference (a draft is not yet a figure to compare with)."""
    rows = (
        Observation.objects.published()
        .filter(
            indicator=found.indicator,
            organisation=home_organisation(),
            last_month__lt=found.first_month,
        )
        .order_by("-last_month")[:RECENT_VALUES]
    )
    targets = _targets(found.indicator)
    return [_recent(found, row, targets) for row in rows]


def _recent(found: Entry, row: Observation, targets: list[TargetEntry]) -> RecentValue:
    period = stored_period(row.frequency, row.first_month, found.indicator.year_start_month)
    target = _target_for(found, period, targets)
    return RecentValue(
        period=period.long_label,
        value=shown_value(found, row.value, row.withheld_as),
        target=shown_value(found, target.value) if target else "",
        draft=row.is_draft,
    )


def last_year_value(found: Entry) -> RecentValue:
    """The published value for the same period a year before the entry's,
    or the period with "no value" when none was published."""
    period = found.get_period().same_period_last_year()
    row = (
        Observation.objects.published()
        .for_period(period.frequency.value, period.first_month)
        .filter(indicator=found.indicator, organisation=home_organisation())
        .first()
    )
    if row is None:
        return RecentValue(period=period.long_label, value="", target="", draft=False)
    return _recent(found, row, _targets(found.indicator))


def return_event(found: Entry) -> AuditEvent | None:
    if found.entry_state is not EntryState.RETURNED:
        return None
    return (
        AuditEvent.objects.filter(object_type=audit.ENTRY, object_id=str(found.pk), action="return")
        .order_by("-at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class PublishedFigure:
    value: str
    rating: str
    explanation: str
    published_at: Any
    published_by: str


def published_figure(found: Entry) -> PublishedFigure | None:
    """The entry as its round published it, from the round's frozen snapshot."""
    round_ = found.round
    if not round_.is_published:
        return None
    snapshot = snapshot_of(round_)
    frozen = snapshot.entry_for(found.indicator_id, found.frequency, found.first_month)
    by = snapshot.published_by
    if frozen is None:
        return PublishedFigure(
            _("no value (the entry was not approved)"), "", "", round_.published_at, by
        )
    return PublishedFigure(
        value=shown_value(found, frozen.value, frozen.withheld_as),
        rating=frozen.rating.label if frozen.rating else "",
        explanation=frozen.explanation,
        published_at=round_.published_at,
        published_by=by,
    )


def drafted_commentary(found: Entry, value: Decimal | None, withheld_as: str = "") -> str:
    """The commentary the report drafts (:func:`perfreport.core.commentary.draft_commentary`,
    through :func:`perfreport.data.analytics.analyse`, as for the indicator
    page and the JSON) had the entry this value: the level against the
    target, the change, the SPC signal, the benchmarks and the forecast. Empty
    with no value: the draft is written about one."""
    if value is None and not withheld_as:
        return ""
    from perfreport.data.analytics import analyse  # numpy and scipy: only when needed

    period, home = found.get_period(), home_organisation()
    rows = Observation.objects.filter(
        indicator=found.indicator, organisation=home, value__isnull=False
    ).values_list("frequency", "first_month", "value")
    start = found.indicator.year_start_month
    history = [Point(stored_period(f, first, start), v) for f, first, v in rows]
    history = [p for p in history if p.period < period]
    if value is not None:
        history.append(Point(period, value))
    history.sort(key=lambda p: p.period)
    benchmark = benchmarks_for([found.indicator], found.round.get_period(), home)
    evaluation = preview(found, value, withheld_as)
    targets = tuple(_targets(found.indicator))
    return analyse(tuple(history), targets, evaluation, benchmark.get(found.indicator_id)).draft


def with_draft(commentary: str, draft: str) -> str:
    """The commentary field once the draft is used: the draft, after what is
    already written (nothing typed is lost)."""
    kept = commentary.strip()
    if not draft or draft in kept:
        return commentary
    return f"{kept}\n\n{draft}" if kept else draft


def typed_draft(found: Entry, typed: EntryInput | None) -> str:
    """The drafted commentary for the value as typed (as saved, with nothing
    typed); empty for a value that cannot be read. In English whatever the
    page's language: it goes into the English commentary."""
    with translation.override(settings.LANGUAGE_CODE):
        return _typed_draft(found, typed)


def _typed_draft(found: Entry, typed: EntryInput | None) -> str:
    if typed is None:
        return drafted_commentary(found, found.value, found.withheld_as)
    parsed = parse_entry(found.indicator, typed)
    if "value" in parsed.errors:
        return ""
    return drafted_commentary(found, parsed.value, parsed.withheld_as)
