"""An indicator's page: staff and public, with a .json twin and its data.

Every view finds its row in the period's cached evaluation (the public pages
in the one that leaves out draft values), so the page, its JSON and the
scorecard never disagree.
"""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from perfreport.core.periods import Period, PeriodError
from perfreport.data.evaluations import kept, period_evaluation
from perfreport.data.present import evaluation_record, public_record
from perfreport.data.selectors import IndicatorEvaluation, PeriodEvaluation
from perfreport.registry import bilingual
from perfreport.registry.periods import read_period
from perfreport.web import scorecard_periods as sp
from perfreport.web.access import staff_required
from perfreport.web.indicator_data import data_csv, data_xlsx
from perfreport.web.indicator_page import find_row, history_record, indicator_page
from perfreport.web.indicator_plan import indicator_plan
from perfreport.web.views import default_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


class NotFound(Exception):
    """What was asked for is not there: the message says what, and what there is."""

    def __init__(self, message: str, links: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.links = links or []  # (text, href): what there is instead


@staff_required
@require_safe
def indicator(request: HttpRequest, ref: str) -> HttpResponse:
    return _page(request, ref, public=False)


@require_safe
def public_indicator(request: HttpRequest, ref: str) -> HttpResponse:
    return _page(request, ref, public=True)


@staff_required
@require_safe
def indicator_json(request: HttpRequest, ref: str) -> HttpResponse:
    return _json(request, ref, public=False)


@require_safe
def public_indicator_json(request: HttpRequest, ref: str) -> HttpResponse:
    return _json(request, ref, public=True)


@staff_required
@require_safe
def indicator_data(request: HttpRequest, ref: str, fmt: str) -> HttpResponse:
    """The indicator's definition and history as CSV or XLSX (staff: drafts included)."""
    try:
        if fmt not in FORMATS:
            raise NotFound(
                _("There is no download of indicator %(ref)s as “%(format)s”: choose CSV or XLSX.")
                % {"ref": ref, "format": fmt}
            )
        row, result = _find(request, ref, public=False)
    except NotFound as missing:
        return _not_found(request, missing, public=False)
    name = f"indicator-{_slug(ref)}-{_slug(result.period.label)}.{fmt}"
    with translation.override(settings.LANGUAGE_CODE):  # data: the same in every language
        if fmt == "csv":
            response = HttpResponse(data_csv(row), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(data_xlsx(row), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _page(request: HttpRequest, ref: str, *, public: bool) -> HttpResponse:
    try:
        row, result = _find(request, ref, public=public)
    except NotFound as missing:
        return _not_found(request, missing, public=public)

    def build() -> tuple[str, str, str]:
        """The page's parts, the same for everyone: kept rendered."""
        page = indicator_page(row, result, public=public)
        nav = sp.period_nav(result.period, public, row.indicator.pk)
        context = {
            "page": page,
            "query": "?" + urlencode({"period": result.period.label}),
            "nav": nav,
            "previous_url": _period_query(nav.previous),
            "next_url": _period_query(nav.next),
            "notice": ""
            if sp.has_values(result.period, public, row.indicator.pk)
            else _no_value_notice(result.period, public),
            "plan": indicator_plan(row.indicator, result.period, public),
        }
        title = _("Indicator %(ref)s: %(title)s, %(period)s") % {
            "ref": page.ref,
            "title": page.title_text,
            "period": page.period.long_label,
        }
        crumbs = render_to_string("web/includes/indicator_breadcrumbs.html", context)
        return title, crumbs, render_to_string("web/includes/indicator_content.html", context)

    period = result.period
    key = ("indicator-page", row.indicator.ref, period.frequency.value, period.first_month)
    title, crumbs, content = kept(key, public, build)
    context = {
        "title": title,
        "breadcrumbs": mark_safe(crumbs),
        "content": mark_safe(content),
        "nav": "public" if public else "scorecard",
    }
    return render(request, "web/indicator.html", context)


def _period_query(period: Period | None) -> str:
    return "?" + urlencode({"period": period.label}) if period else ""


def _no_value_notice(period: Period, public: bool) -> str:
    """Said when the indicator has no value in the period asked for: the page
    shows its latest value before it."""
    if public:
        text = _(
            "No figure is published for this indicator for %(period)s. "
            "The latest before it is shown."
        )
    else:
        text = _(
            "There is no figure for this indicator for %(period)s. The latest before it is shown."
        )
    return text % {"period": period.long_label}


def _json(request: HttpRequest, ref: str, *, public: bool) -> HttpResponse:
    try:
        row, _ = _find(request, ref, public=public)
    except NotFound as missing:
        return JsonResponse({"error": missing.message}, status=404)
    record = public_record(row) if public else evaluation_record(row)
    record["history"] = history_record(row)
    return JsonResponse(record, json_dumps_params={"ensure_ascii": False})


def _latest(public: bool) -> Period | None:
    """The quarter shown when none is asked for, as the scorecard chooses it:
    the latest with values (published ones, on the public pages)."""
    quarters = sp.quarters_with_values(public)
    return quarters[0] if quarters else default_period()


def _find(
    request: HttpRequest, ref: str, *, public: bool
) -> tuple[IndicatorEvaluation, PeriodEvaluation]:
    """The row of ``ref`` in the evaluation of the period asked for (by default
    the quarter holding the latest value); NotFound says what is missing."""
    name = "web:public_indicator" if public else "web:indicator"
    text = request.GET.get("period", "").strip()
    try:
        period = read_period(text) if text else _latest(public)
    except PeriodError as error:
        latest = [
            (
                _("Indicator %(ref)s as at the latest period") % {"ref": ref},
                reverse(name, args=[ref]),
            )
        ]
        raise NotFound(
            _("The period “%(text)s” cannot be shown: %(error)s.") % {"text": text, "error": error},
            latest,
        ) from None
    if period is None:
        raise NotFound(
            _("There is nothing to show for indicator %(ref)s: no values are imported yet.")
            % {"ref": ref}
        )
    result = period_evaluation(period, published_only=public)
    row = find_row(result, ref)
    if row is None:
        links = [
            (
                _("Indicator %(ref)s: %(title)s")
                % {"ref": r.indicator.ref, "title": bilingual.text(r.indicator, "title")},
                reverse(name, args=[r.indicator.ref]),
            )
            for r in _similar(result, ref)
        ]
        raise NotFound(
            _("There is no indicator with the reference “%(ref)s”.") % {"ref": ref}, links
        )
    return row, result


def _not_found(request: HttpRequest, missing: NotFound, *, public: bool) -> HttpResponse:
    context = {
        "message": missing.message,
        "suggestions": missing.links,
        "scorecard_url": reverse("web:public_scorecard" if public else "web:scorecard"),
        "scorecard_text": (
            _("See every indicator's published performance")
            if public
            else _("See every indicator on the scorecard")
        ),
        "nav": "public" if public else "scorecard",
    }
    return render(request, "404.html", context, status=404)


def _similar(result: PeriodEvaluation, ref: str) -> list[IndicatorEvaluation]:
    """Up to five indicators with refs like ``ref``: those it begins, then those spelt alike."""
    rows = {r.indicator.ref: r for r in result.rows}
    starting = [r for r in rows if r.lower().startswith(ref.lower())]
    close = difflib.get_close_matches(ref, list(rows), n=5, cutoff=0.6)
    return [rows[r] for r in dict.fromkeys(starting + close)][:5]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "indicator"
