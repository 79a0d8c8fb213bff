"""Web pages. For now the scorecard: the evaluation of one period."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from perfreport.core.periods import Frequency, Period, PeriodError
from perfreport.data.models import Observation
from perfreport.data.present import evaluation_record
from perfreport.data.selectors import evaluate_period
from perfreport.registry.periods import fy_start_month, read_period


def default_period() -> Period | None:
    """The quarter that holds the latest value."""
    latest = (
        Observation.objects.order_by("-last_month").values_list("last_month", flat=True).first()
    )
    if latest is None:
        return None
    month = Period(Frequency.MONTHLY, latest, fy_start_month())
    return month.containing(Frequency.QUARTERLY)


def scorecard(request: HttpRequest) -> HttpResponse:
    notice = ""
    period = default_period()
    text = request.GET.get("period", "").strip()
    if text:
        try:
            period = read_period(text)
        except PeriodError as error:
            notice = f"{error}. Showing {period} instead." if period else str(error)
    result = evaluate_period(period) if period else None
    if result is not None:
        result.analyse_all()
    rows = [(row, evaluation_record(row)) for row in result.rows] if result else []
    context = {"period": period, "result": result, "rows": rows, "notice": notice}
    return render(request, "web/scorecard.html", context)
