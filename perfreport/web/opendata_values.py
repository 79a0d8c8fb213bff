"""The rows of the open data's values file: every published value of the home
organisation with its period in words, the target in force for it, its RAG
rating and change in performance as the evaluation of its period gives them,
and the published commentary and actions for it.

Built once per data version from the public evaluation (drafts left out by
construction, commentary filtered to the published) and kept, so a download
costs one pass over the kept rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfreport.core.evaluation import evaluate_indicator
from perfreport.core.indicator import Point
from perfreport.core.periods import in_words
from perfreport.core.withheld import Withheld
from perfreport.data.evaluations import kept
from perfreport.data.models import Commentary, Observation
from perfreport.data.selectors import IndicatorEvaluation, evaluate_period, home_organisation
from perfreport.registry.periods import stored_period
from perfreport.web.scorecard_periods import quarters_with_values

Key = tuple[int, str, int]  # indicator id, frequency, first month
Judgement = tuple[Decimal | None, str, str]  # target, rating, change


def value_table() -> tuple[tuple[Any, ...], ...]:
    """Every published value as a row in the order of the values file's columns."""
    return kept(("open-data-values",), True, _build)


def _build() -> tuple[tuple[Any, ...], ...]:
    home = home_organisation()
    if home is None:
        return ()
    judged = _judgements()
    notes = _published_commentary()
    values = (
        Observation.objects.filter(organisation=home)
        .published()
        .order_by("indicator__position", "indicator__ref", "last_month", "first_month")
        .values_list(
            "indicator_id",
            "indicator__year_start",
            "frequency",
            "first_month",
            "indicator__ref",
            "indicator__title",
            "period",
            "value",
            "withheld_as",
            "indicator__unit",
            "indicator__unit_label",
            "numerator",
            "denominator",
            "indicator__title_cy",
        )
    )
    rows = []
    for indicator_id, year_start, frequency, first, *facts in values.iterator(chunk_size=2000):
        key = (indicator_id, frequency, first)
        ref, title, period, value, withheld, unit, unit_label, numerator, denominator = facts[:9]
        title_cy = facts[9]
        target, rating, change = judged.get(key, (None, "", ""))
        commentary, actions, commentary_cy, actions_cy = notes.get(key, ("", "", "", ""))
        rows.append(
            (
                ref,
                title,
                period,
                in_words(stored_period(frequency, first, year_start)),
                value,
                withheld or None,
                unit,
                unit_label,
                numerator,
                denominator,
                target,
                rating or None,
                change or None,
                commentary or None,
                actions or None,
                # The Welsh beside the English (issue 17), published text only.
                title_cy or None,
                commentary_cy or None,
                actions_cy or None,
            )
        )
    return tuple(rows)


def _judgements() -> dict[Key, Judgement]:
    """The target, rating and change of every published figure, each worked out
    as the evaluation of its own period would (as the indicator page's history)."""
    quarters = quarters_with_values(public=True)
    if not quarters:
        return {}
    result = evaluate_period(quarters[0], published_only=True)
    judged: dict[Key, Judgement] = {}
    for row in result.rows:
        judged.update(_judge(row))
    return judged


def _judge(row: IndicatorEvaluation) -> dict[Key, Judgement]:
    spec, points = row.evaluation.indicator, row.series
    found: dict[Key, Judgement] = {}
    count = 0
    figures: list[Point | Withheld] = [*row.series, *row.withheld]
    for figure in sorted(figures, key=lambda f: f.period.sort_key()):
        if isinstance(figure, Withheld):
            past = evaluate_indicator(spec, figure.period, [], row.targets, withheld=[figure])
        else:
            count += 1
            past = evaluate_indicator(spec, figure.period, points[:count], row.targets)
        key = (row.indicator.pk, figure.period.frequency.value, figure.period.first_month)
        found[key] = (
            past.target.value if past.target else None,
            spec.scheme.label(past.rating) if past.rating else "",
            past.change.label if past.change else "",
        )
    return found


def _published_commentary() -> dict[Key, tuple[str, str, str, str]]:
    """Published commentary and actions, in English then in Welsh, by
    indicator and period: never a draft, nor the commentary of a period
    whose value is a draft."""
    notes = Commentary.objects.published().values_list(
        "indicator_id", "frequency", "first_month", "text", "actions", "text_cy", "actions_cy"
    )
    # As on the indicator page: not while a draft value of its period waits.
    drafts = set(
        Observation.objects.home()
        .filter(is_draft=True)
        .values_list("indicator_id", "frequency", "first_month")
    )
    return {
        (i, f, m): (text.strip(), actions.strip(), text_cy.strip(), actions_cy.strip())
        for i, f, m, text, actions, text_cy, actions_cy in notes
        if (i, f, m) not in drafts
    }
