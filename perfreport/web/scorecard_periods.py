"""Moving between periods on the public pages: the quarters that have
published values, the ones before and after the period shown, and a notice
when the period asked for has none.

The quarters are read once per data version (one query of distinct months)
and kept beside the evaluation, so a page pays nothing for its picker.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from perfreport.core.periods import (
    Frequency,
    Period,
    PeriodError,
    holds_any,
    in_words,
    period_neighbours,
    periods_holding,
)
from perfreport.core.workflow import EntryState
from perfreport.data.evaluations import kept
from perfreport.data.models import ActionUpdate, Observation
from perfreport.registry.periods import fy_start_month, read_period
from perfreport.web.views import default_period


@dataclass(frozen=True)
class PeriodChoice:
    code: str  # "2020/21 Q3": what the address carries
    words: str  # "Quarter 3 2020/21": what the reader sees
    chosen: bool


@dataclass(frozen=True)
class PeriodNav:
    """The previous and next periods with values, and the picker's choices."""

    current: Period
    previous: Period | None
    next: Period | None
    choices: tuple[PeriodChoice, ...]


def value_months(
    public: bool, indicator_id: int | None = None, plan: bool = False
) -> tuple[int, ...]:
    """The months (counted as ``Period.first_month``) in which a value of the
    home organisation ends: published values only when ``public``. With
    ``plan`` (the plan's pages), also those in which an action's progress
    update ends (published only, when ``public``; never one not started): a
    round may publish progress when no figure is due."""

    def build() -> tuple[int, ...]:
        values = Observation.objects.home()
        if public:
            values = values.published()
        if indicator_id is not None:
            values = values.filter(indicator_id=indicator_id)
        months = set(values.order_by().values_list("last_month", flat=True).distinct())
        if plan:
            updates = ActionUpdate.objects.exclude(state=EntryState.NOT_STARTED.value)
            if public:
                updates = updates.filter(state=EntryState.PUBLISHED.value)
            months |= set(updates.order_by().values_list("last_month", flat=True).distinct())
        return tuple(sorted(months))

    if indicator_id is not None:
        # One indexed query, made only when the indicator's page is built (and
        # then kept with it): not kept apart, where it would crowd out the
        # evaluations the process keeps.
        return build()
    return kept(("value-months", plan), public, build)


def quarters_with_values(
    public: bool, indicator_id: int | None = None, plan: bool = False
) -> tuple[Period, ...]:
    """The quarters that hold a value (or, with ``plan``, progress), latest first."""
    months = value_months(public, indicator_id, plan)
    return tuple(periods_holding(months, Frequency.QUARTERLY, fy_start_month()))


def has_values(
    period: Period, public: bool, indicator_id: int | None = None, plan: bool = False
) -> bool:
    """Whether a value (published, when ``public``) ends inside ``period``."""
    return holds_any(period, value_months(public, indicator_id, plan))


def period_nav(
    current: Period, public: bool, indicator_id: int | None = None, plan: bool = False
) -> PeriodNav:
    """Links to the quarters with values either side of ``current``, and the
    picker's quarters, latest first; ``current`` is among them, chosen, even
    when it is a month or a year."""
    quarters = quarters_with_values(public, indicator_id, plan)
    previous, following = period_neighbours(quarters, current)
    shown = list(quarters)
    if current not in shown:
        shown = sorted([*shown, current], reverse=True)
    choices = tuple(PeriodChoice(p.label, in_words(p), p == current) for p in shown)
    return PeriodNav(current, previous, following, choices)


def period_instead(period: Period, public: bool, plan: bool = False) -> Period | None:
    """The period to show when ``period`` has no values: the latest quarter
    with values before it, else the latest of all."""
    quarters = quarters_with_values(public, plan=plan)
    before, _ = period_neighbours(quarters, period)
    return before or (quarters[0] if quarters else None)


def no_values_notice(period: Period, shown: Period | None, public: bool) -> str:
    """What a page says when ``period`` has no values: "No figures are
    published for Quarter 1 2031/32. Showing Quarter 3 2020/21 instead."."""
    words = {"period": period.long_label, "shown": shown.long_label if shown else ""}
    if public and shown:
        text = _("No figures are published for %(period)s. Showing %(shown)s instead.")
    elif public:
        text = _("No figures are published for %(period)s.")
    elif shown:
        text = _("There are no figures for %(period)s. Showing %(shown)s instead.")
    else:
        text = _("There are no figures for %(period)s.")
    return text % words


def unreadable_notice(text: str, error: Exception, shown: Period) -> str:
    """What a page says when the address's period cannot be read."""
    return _(
        "The period “%(text)s” is not one we can read: %(error)s. Showing %(shown)s instead."
    ) % {"text": text[:40], "error": error, "shown": shown.long_label}


def chosen_period(text: str, public: bool, plan: bool = False) -> tuple[Period | None, list[str]]:
    """The period a page shows for the address's ``period``, as the
    scorecard chooses it: the one asked for when it holds values, else the
    latest quarter with values before it (or the latest of all), with a
    notice saying why. None when there are no values at all."""
    quarters = quarters_with_values(public, plan=plan)
    fallback = quarters[0] if quarters else default_period()
    if fallback is None:
        return None, []
    text = str(text).strip()
    if not text:
        return fallback, []
    try:
        period = read_period(text)
    except PeriodError as error:
        return fallback, [unreadable_notice(text, error, fallback)]
    if has_values(period, public, plan=plan):
        return period, []
    shown = period_instead(period, public, plan) or fallback
    return shown, [no_values_notice(period, shown, public)]
