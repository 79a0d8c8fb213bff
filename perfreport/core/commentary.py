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
from perfreport.core.i18n import N_, _, is_welsh
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
    if is_welsh():
        return _welsh_ordinal(number)
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{_SUFFIXES.get(number % 10, 'th')}"


_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
# Welsh ordinals written with digits: 1af, 2il, 3ydd, 11eg, 20fed, 21ain.
_WELSH_SUFFIXES = {
    1: "af", 2: "il", 3: "ydd", 4: "ydd", 5: "ed", 6: "ed", 7: "fed", 8: "fed", 9: "fed",
    10: "fed", 11: "eg", 12: "fed", 13: "eg", 14: "eg", 15: "fed", 16: "eg", 17: "eg",
    18: "fed", 19: "eg", 20: "fed",
}  # fmt: skip


def _welsh_ordinal(number: int) -> str:
    if number in _WELSH_SUFFIXES:
        return f"{number}{_WELSH_SUFFIXES[number]}"
    return f"{number}ain" if 20 < number < 40 else f"{number}fed"


def quartile_words(quartile: int) -> str:
    """How the draft names a quartile: 1 is the top (best) quartile."""
    try:
        return _(_QUARTILES[quartile])
    except KeyError:
        raise ValueError(f"a quartile is 1 to 4, not {quartile}") from None


_QUARTILES = {
    1: N_("top quartile"),
    2: N_("second quartile"),
    3: N_("third quartile"),
    4: N_("bottom quartile"),
}


# -- the level and the change --------------------------------------------------------------


def _level_sentence(facts: CommentaryFacts) -> str:
    value = _given(facts.value_text)
    if value is None:
        return ""
    period = _given(facts.period_label)
    if period:
        opening = _("In %(period)s the value was %(value)s") % {"period": period, "value": value}
    else:
        opening = _("The latest value was %(value)s") % {"value": value}
    return f"{opening}{_change_clause(facts)}{_last_year_clause(facts)}."


def _change_clause(facts: CommentaryFacts) -> str:
    """The change in performance, as a clause after the level: ", up from
    97.78% in 2020/21 Q1 (improving)". Each case is one whole clause."""
    previous = _given(facts.previous_text)
    label = _given(facts.previous_period_label)
    change = facts.change
    words = {"previous": previous, "period": label}
    if previous is None:
        if change is None:
            return ""
        return _(_CHANGE_WITHOUT_FIGURE[change, bool(label)]) % words
    if change is Change.UNCHANGED:
        if label:
            return _(", the same as in %(period)s") % words
        return _(", the same as in the previous period")
    direction = _direction(change, facts.polarity)
    if change is None or direction is None:
        clause = _(_COMPARED[bool(label)]) % words
        if change is None:
            return clause
        return _("%(clause)s (%(change)s)") % {"clause": clause, "change": change.label.lower()}
    words["change"] = change.label.lower()
    return _(_MOVED[direction, bool(label)]) % words


# By (change, whether the previous period is named).
_CHANGE_WITHOUT_FIGURE = {
    (Change.IMPROVING, True): N_(", an improvement on %(period)s"),
    (Change.IMPROVING, False): N_(", an improvement on the previous period"),
    (Change.DECLINING, True): N_(", a decline from %(period)s"),
    (Change.DECLINING, False): N_(", a decline from the previous period"),
    (Change.UNCHANGED, True): N_(", unchanged from %(period)s"),
    (Change.UNCHANGED, False): N_(", unchanged from the previous period"),
}
_COMPARED = {
    True: N_(", compared with %(previous)s in %(period)s"),
    False: N_(", compared with %(previous)s in the previous period"),
}
_MOVED = {
    ("up", True): N_(", up from %(previous)s in %(period)s (%(change)s)"),
    ("up", False): N_(", up from %(previous)s in the previous period (%(change)s)"),
    ("down", True): N_(", down from %(previous)s in %(period)s (%(change)s)"),
    ("down", False): N_(", down from %(previous)s in the previous period (%(change)s)"),
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
    if label:
        return _("; a year earlier, in %(period)s, it was %(figure)s") % {
            "period": label,
            "figure": figure,
        }
    return _("; a year earlier it was %(figure)s") % {"figure": figure}


# -- the target and the rating -------------------------------------------------------------


def _target_sentence(facts: CommentaryFacts) -> str:
    rating = facts.rating
    target = _given(facts.target_text)
    label = facts.rating_label or (rating.label if rating else "")
    words = {"label": label, "target": target}
    if rating is Rating.BASELINE:
        if label == rating.label:
            return _(
                "It is a baseline indicator: performance is tracked to inform the setting of a "
                "target."
            )
        return (
            _("It is rated %(label)s: performance is tracked to inform the setting of a target.")
            % words
        )
    if rating is Rating.CONTEXTUAL:
        if label == rating.label:
            return _("It is a contextual indicator: key activity is tracked without a target.")
        return _("It is rated %(label)s: key activity is tracked without a target.") % words
    if rating is not None and target is not None:
        # What the value does against the target, whatever band the Key puts
        # it in: under a tolerance Key a Green value may still miss it.
        standing = facts.standing if facts.standing is not None else _AGAINST_TARGET[rating]
        return _(_STANDING[standing]) % words
    if rating is not None:
        return _("It is rated %(label)s.") % words
    if target is not None:
        return _("The target is %(target)s.") % words
    return _as_sentence(facts.rating_explanation)


_STANDING = {
    1: N_("This exceeds the target of %(target)s and is rated %(label)s."),
    0: N_("This meets the target of %(target)s and is rated %(label)s."),
    -1: N_("This misses the target of %(target)s and is rated %(label)s."),
}
_AGAINST_TARGET = {Rating.RED: -1, Rating.AMBER: -1, Rating.GREEN: 0, Rating.BLUE: 1}


# -- benchmarks ----------------------------------------------------------------------------


def _benchmark_sentence(facts: CommentaryFacts) -> str:
    figures = [
        clause
        for clause in (_group_mean_clause(facts), _national_clause(facts))
        if clause is not None
    ]
    if len(figures) == 2:
        figures_text = _("%(first)s and %(second)s") % {"first": figures[0], "second": figures[1]}
    else:
        figures_text = "".join(figures)
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
        among = _("Among itself and the %(count)s of its %(members)s %(name)s with a figure") % {
            "count": with_data,
            "members": bench.members,
            "name": _plural(facts.group_name, bench.members),
        }
    else:
        among = _("Among itself and its %(count)s %(name)s") % {
            "count": with_data,
            "name": _plural(facts.group_name, with_data),
        }
    words = {"among": among, "size": bench.group_size, "ordinal": ordinal(bench.rank)}
    if not bench.has_direction:
        if bench.rank == 1:
            return _("%(among)s, it has the highest value of %(size)s") % words
        return _("%(among)s, it has the %(ordinal)s highest value of %(size)s") % words
    quartile = f" ({quartile_words(bench.quartile)})" if bench.quartile else ""
    return _("%(among)s, it ranks %(ordinal)s of %(size)s") % words + quartile


def _group_mean_clause(facts: CommentaryFacts) -> str | None:
    mean = _given(facts.neighbours_mean_text)
    if mean is None:
        return None
    entered = facts.neighbours_mean_basis is GroupMeanBasis.ENTERED
    label = f" ({GroupMeanBasis.ENTERED.label})" if entered else ""
    computed = facts.neighbours_mean_basis is GroupMeanBasis.COMPUTED
    if computed and facts.benchmark is not None:
        label = f" ({facts.benchmark.average_words})"  # whose values, as the group publishes it
    return _("the %(group)s mean is %(mean)s") % {"group": facts.group_name, "mean": mean} + label


def _national_clause(facts: CommentaryFacts) -> str | None:
    figure = _given(facts.national_text)
    if figure is None:
        return None
    basis = f" ({facts.national_basis.label})" if facts.national_basis else ""
    sentence = _("the %(national)s figure is %(figure)s")
    return sentence % {"national": facts.national_label, "figure": figure} + basis


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
