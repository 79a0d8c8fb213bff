"""Drafted commentary: a plain-English paragraph from an indicator's facts.

The service lead writes the commentary; this gives them a first draft to edit,
built from the facts perfreport already knows: the level against the target,
the change in performance, what the SPC chart shows, the benchmarks and the
forecast. Templates only, no external service: the same facts always give
the same words, and a fact that is missing is left out, never printed as
"None". Numbers arrive already formatted with their unit ("97.82%"), so the
draft shows them exactly as the report does.

>>> draft_commentary(CommentaryFacts(
...     period_label="2020/21 Q2", value_text="97.82%", target_text="97.50%",
...     rating=Rating.GREEN, change=Change.IMPROVING, polarity=Polarity.HIGHER,
...     previous_text="97.78%", previous_period_label="2020/21 Q1"))
'In 2020/21 Q2 the value was 97.82%, up from 97.78% in 2020/21 Q1 (improving). \
This meets the target of 97.50% and is rated Green.'
"""

from __future__ import annotations

from dataclasses import dataclass

from perfreport.core.benchmarking import GroupComparison, GroupMeanBasis, NationalBasis
from perfreport.core.change import Change
from perfreport.core.rating import Polarity, Rating

__all__ = ["CommentaryFacts", "draft_commentary", "ordinal", "quartile_words"]


@dataclass(frozen=True, slots=True)
class CommentaryFacts:
    """What the draft may say. Every field is optional; texts are shown as
    given, so format numbers with their unit first ("97.82%", "432,584").

    ``spc_sentence``, ``forecast_sentence`` and ``rating_explanation`` are
    whole sentences from the modules that own them. ``rating_explanation`` is
    used only when there is no rating to describe (such as "No target applies
    to 2020/21 Q2, so no rating."). ``group_name`` is plural, as the report's
    readers say it.
    """

    period_label: str | None = None
    value_text: str | None = None
    polarity: Polarity | None = None
    change: Change | None = None
    previous_text: str | None = None
    previous_period_label: str | None = None
    same_period_last_year_text: str | None = None
    last_year_period_label: str | None = None
    target_text: str | None = None
    rating: Rating | None = None
    rating_label: str | None = None  # as the indicator's Key names it: "Data only"
    standing: int | None = None  # against the target: 1 better, 0 on it, -1 worse
    rating_explanation: str | None = None
    spc_sentence: str | None = None
    benchmark: GroupComparison | None = None
    group_name: str = "statistical neighbours"
    neighbours_mean_text: str | None = None
    neighbours_mean_basis: GroupMeanBasis | None = None
    national_text: str | None = None
    national_label: str = "England"
    national_basis: NationalBasis | None = None
    forecast_sentence: str | None = None


def draft_commentary(facts: CommentaryFacts) -> str:
    """A paragraph of up to five sentences, in this order: the level and the
    change in performance; the target and the rating; the SPC signal; the
    benchmarks; the forecast. Each sentence appears only when its facts do;
    with no facts at all, the draft is empty.
    """
    sentences = [
        _level_sentence(facts),
        _target_sentence(facts),
        _as_sentence(facts.spc_sentence),
        _benchmark_sentence(facts),
        _as_sentence(facts.forecast_sentence),
    ]
    return " ".join(s for s in sentences if s)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 111th.

    >>> [ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 22, 111)]
    ['1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '22nd', '111th']
    """
    if number < 0:
        raise ValueError(f"an ordinal needs 0 or more, not {number}")
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{_SUFFIXES.get(number % 10, 'th')}"


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def quartile_words(quartile: int) -> str:
    """How the draft names a quartile: 1 is the top (best) quartile."""
    try:
        return _QUARTILES[quartile]
    except KeyError:
        raise ValueError(f"a quartile is 1 to 4, not {quartile}") from None


_QUARTILES = {1: "top quartile", 2: "second quartile", 3: "third quartile", 4: "bottom quartile"}


# -- the level and the change --------------------------------------------------------------


def _level_sentence(facts: CommentaryFacts) -> str:
    value = _given(facts.value_text)
    if value is None:
        return ""
    period = _given(facts.period_label)
    opening = f"In {period} the value was {value}" if period else f"The latest value was {value}"
    return f"{opening}{_change_clause(facts)}{_last_year_clause(facts)}."


def _change_clause(facts: CommentaryFacts) -> str:
    previous = _given(facts.previous_text)
    label = _given(facts.previous_period_label)
    when = f"in {label}" if label else "in the previous period"
    change = facts.change
    if previous is None:
        if change is None:
            return ""
        return f", {_CHANGE_WITHOUT_FIGURE[change]} {label or 'the previous period'}"
    if change is Change.UNCHANGED:
        return f", the same as {when}"
    direction = _direction(change, facts.polarity)
    if change is None or direction is None:
        suffix = f" ({change.value})" if change is not None else ""
        return f", compared with {previous} {when}{suffix}"
    return f", {direction} from {previous} {when} ({change.value})"


_CHANGE_WITHOUT_FIGURE = {
    Change.IMPROVING: "an improvement on",
    Change.DECLINING: "a decline from",
    Change.UNCHANGED: "unchanged from",
}


def _direction(change: Change | None, polarity: Polarity | None) -> str | None:
    """Which way the figure moved: improving on a higher-is-better indicator is up."""
    if change in (None, Change.UNCHANGED) or polarity not in (Polarity.HIGHER, Polarity.LOWER):
        return None
    went_up = (change is Change.IMPROVING) == (polarity is Polarity.HIGHER)
    return "up" if went_up else "down"


def _last_year_clause(facts: CommentaryFacts) -> str:
    figure = _given(facts.same_period_last_year_text)
    if figure is None:
        return ""
    label = _given(facts.last_year_period_label)
    when = f"a year earlier, in {label}," if label else "a year earlier"
    return f"; {when} it was {figure}"


# -- the target and the rating -------------------------------------------------------------


def _target_sentence(facts: CommentaryFacts) -> str:
    rating = facts.rating
    target = _given(facts.target_text)
    label = facts.rating_label or (rating.label if rating else "")
    if rating is Rating.BASELINE:
        kind = "a baseline indicator" if label == rating.label else f"rated {label}"
        return f"It is {kind}: performance is tracked to inform the setting of a target."
    if rating is Rating.CONTEXTUAL:
        kind = "a contextual indicator" if label == rating.label else f"rated {label}"
        return f"It is {kind}: key activity is tracked without a target."
    if rating is not None and target is not None:
        # What the value does against the target, whatever band the Key puts
        # it in: under a tolerance Key a Green value may still miss it.
        verb = _STANDING[facts.standing] if facts.standing is not None else _AGAINST_TARGET[rating]
        return f"This {verb} the target of {target} and is rated {label}."
    if rating is not None:
        return f"It is rated {label}."
    if target is not None:
        return f"The target is {target}."
    return _as_sentence(facts.rating_explanation)


_STANDING = {1: "exceeds", 0: "meets", -1: "misses"}
_AGAINST_TARGET = {
    Rating.RED: "misses",
    Rating.AMBER: "misses",
    Rating.GREEN: "meets",
    Rating.BLUE: "exceeds",
}


# -- benchmarks ----------------------------------------------------------------------------


def _benchmark_sentence(facts: CommentaryFacts) -> str:
    figures = [
        clause
        for clause in (_group_mean_clause(facts), _national_clause(facts))
        if clause is not None
    ]
    figures_text = " and ".join(figures)
    position = _position_clause(facts)
    if position and figures_text:
        return f"{position}; {figures_text}."
    if position:
        return f"{position}."
    if figures_text:
        return f"{figures_text[0].upper()}{figures_text[1:]}."
    return ""


def _position_clause(facts: CommentaryFacts) -> str:
    bench = facts.benchmark
    if bench is None or bench.rank is None or bench.group_size < 2:
        return ""
    with_data = bench.group_size - 1
    if bench.missing:
        name = _plural(facts.group_name, bench.members)
        among = f"Among itself and the {with_data} of its {bench.members} {name} with a figure"
    else:
        among = f"Among itself and its {with_data} {_plural(facts.group_name, with_data)}"
    if not bench.has_direction:
        place = "the highest" if bench.rank == 1 else f"the {ordinal(bench.rank)} highest"
        return f"{among}, it has {place} value of {bench.group_size}"
    quartile = f" ({quartile_words(bench.quartile)})" if bench.quartile else ""
    return f"{among}, it ranks {ordinal(bench.rank)} of {bench.group_size}{quartile}"


def _group_mean_clause(facts: CommentaryFacts) -> str | None:
    mean = _given(facts.neighbours_mean_text)
    if mean is None:
        return None
    entered = facts.neighbours_mean_basis is GroupMeanBasis.ENTERED
    label = f" ({GroupMeanBasis.ENTERED.label})" if entered else ""
    computed = facts.neighbours_mean_basis is GroupMeanBasis.COMPUTED
    if computed and facts.benchmark is not None:
        label = f" ({facts.benchmark.average_words})"  # whose values, as the group publishes it
    return f"the {facts.group_name} mean is {mean}{label}"


def _national_clause(facts: CommentaryFacts) -> str | None:
    figure = _given(facts.national_text)
    if figure is None:
        return None
    basis = f" ({facts.national_basis.label})" if facts.national_basis else ""
    return f"the {facts.national_label} figure is {figure}{basis}"


# -- words ---------------------------------------------------------------------------------


def _given(text: str | None) -> str | None:
    """A text fact, or None when it is missing or blank."""
    if text is None or not text.strip():
        return None
    return text.strip()


def _as_sentence(text: str | None) -> str:
    sentence = _given(text)
    if sentence is None:
        return ""
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def _plural(name: str, count: int) -> str:
    """``group_name`` is plural; one neighbour is a "statistical neighbour"."""
    return name[:-1] if count == 1 and name.endswith("s") else name
