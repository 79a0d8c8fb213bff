"""The front door, and what several pages share: the default period."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from perfreport.core.periods import Frequency, Period
from perfreport.data.models import Observation
from perfreport.registry.periods import fy_start_month


def default_period() -> Period | None:
    """The quarter that holds the latest value."""
    latest = (
        Observation.objects.order_by("-last_month").values_list("last_month", flat=True).first()
    )
    if latest is None:
        return None
    month = Period(Frequency.MONTHLY, latest, fy_start_month())
    return month.containing(Frequency.QUARTERLY)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on their scorecard; everyone else on the published one."""
    if request.user.is_authenticated:
        return redirect("web:scorecard")
    return redirect("web:public_scorecard")
