"""An evaluation as plain data: the one shape behind ``evaluate --format
json|csv`` and, later, the API and the ``.json`` twins of the web pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from perfreport.core.withheld import Figure, Withheld, value_of
from perfreport.data.selectors import IndicatorEvaluation

FIELDS = (
    "ref",
    "title",
    "directorate",
    "service",
    "report_period",
    "period",
    "value",
    "display_value",
    "withheld",
    "unit",
    "unit_label",
    "decimals",
    "previous_period",
    "previous_value",
    "previous_withheld",
    "last_year_period",
    "last_year_value",
    "last_year_withheld",
    "target",
    "display_target",
    "target_basis",
    "polarity",
    "rating_basis",
    "rag",
    "rag_label",
    "scheme",
    "change",
    "change_on_year",
    "stated_rag",
    "explanation",
    "expected_period",
    "stale",
    "benchmark_period",
    "comparator_group",
    "neighbours_mean",
    "neighbours_mean_basis",
    "neighbours_median",
    "rank",
    "quartile",
    "group_size",
    "national_value",
    "national_basis",
    "spc_chart",
    "spc_variation",
    "spc_assurance",
    "forecast_target",
    "forecast_period",
    "forecast_probability",
    "forecast",
    "run_rate",
    "draft_commentary",
)


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _withheld(figure: Figure | None) -> str | None:
    """The text a figure was withheld as ("c"), or None for a number or none."""
    return figure.printed if isinstance(figure, Withheld) else None


def evaluation_record(row: IndicatorEvaluation) -> dict[str, Any]:
    e = row.evaluation
    spec = e.indicator
    current, previous, last_year = e.current, e.previous, e.last_year
    return {
        "ref": spec.ref,
        "title": spec.title,
        "directorate": row.directorate,
        "service": row.service,
        "report_period": str(e.report_period),
        "period": str(current.period) if current else None,
        "value": _number(value_of(current)),
        "display_value": e.shown(current),
        "withheld": _withheld(current),
        "unit": spec.unit.value,
        "unit_label": spec.unit_label.text,
        "decimals": spec.decimals,
        "previous_period": str(previous.period) if previous else None,
        "previous_value": _number(value_of(previous)),
        "previous_withheld": _withheld(previous),
        "last_year_period": str(last_year.period) if last_year else None,
        "last_year_value": _number(value_of(last_year)),
        "last_year_withheld": _withheld(last_year),
        "target": _number(e.target.value) if e.target else None,
        "display_target": e.show(e.target.value) if e.target else "",
        "target_basis": e.target.basis.value if e.target else None,
        "polarity": spec.polarity.value,
        "rating_basis": spec.rating_basis.value,
        "rag": e.rating.value if e.rating else None,
        "rag_label": spec.scheme.label(e.rating) if e.rating else None,
        "scheme": spec.scheme.name,
        "change": e.change.value if e.change else None,
        "change_on_year": e.change_on_year.value if e.change_on_year else None,
        "stated_rag": e.stated_rating.value if e.stated_rating else None,
        "explanation": e.explanation,
        "expected_period": str(e.expected),
        "stale": e.is_stale,
        **benchmark_record(row),
        **analytics_record(row),
    }


def analytics_record(row: IndicatorEvaluation) -> dict[str, Any]:
    """SPC (chart type, the latest point's variation, assurance), the forecast to
    the next milestone (its probability by the first method, linear trend, and
    the sentences) and the drafted commentary."""
    a = row.analytics
    spc, forecast = a.spc, a.forecast
    first = forecast.projections[0] if forecast and forecast.projections else None
    return {
        "spc_chart": spc.chart.value if spc else None,
        "spc_variation": spc.variation.value if spc and spc.variation else None,
        "spc_assurance": spc.assurance.value if spc and spc.assurance else None,
        "forecast_target": _number(a.forecast_target.value) if a.forecast_target else None,
        "forecast_period": str(a.forecast_target.period) if a.forecast_target else None,
        "forecast_probability": (
            round(first.probability, 3) if first and first.probability is not None else None
        ),
        "forecast": a.forecast_sentence or None,
        "run_rate": a.run_rate_sentence or None,
        "draft_commentary": a.draft,
    }


def benchmark_record(row: IndicatorEvaluation) -> dict[str, Any]:
    """The benchmark fields: the comparator group's mean (computed, or entered by
    hand), median, the home organisation's rank and quartile, the national value
    and its basis, and the published period they belong to."""
    b = row.benchmark
    comparison = b.comparison if b else None
    return {
        "benchmark_period": b.period if b else None,
        "comparator_group": b.group_name if b else None,
        "neighbours_mean": _number(b.mean.value) if b and b.mean else None,
        "neighbours_mean_basis": b.mean.basis.value if b and b.mean else None,
        "neighbours_median": _number(comparison.median) if comparison else None,
        "rank": comparison.rank if comparison else None,
        "quartile": comparison.quartile if comparison else None,
        "group_size": comparison.group_size if comparison else None,
        "national_value": _number(b.national.value) if b and b.national else None,
        "national_basis": b.national.basis.value if b and b.national else None,
    }


PRIVATE_FIELDS = ("draft_commentary",)


def public_record(row: IndicatorEvaluation) -> dict[str, Any]:
    """The record as the public may see it: without the drafted commentary,
    which is for the service lead to edit, never published as it is."""
    record = evaluation_record(row)
    for name in PRIVATE_FIELDS:
        record.pop(name, None)
    return record
