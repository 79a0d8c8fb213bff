"""A big report made in the background: the staff Reports page sends its form
here; a report of many indicators (``PERFREPORT_REPORTS_IN_BACKGROUND_FROM``)
not made already is handed to the worker as a "report" run, and the person
is shown its page, which says how far it has got and links to the file when
it is ready. Any other report goes straight to the download, as before.

A run's page and file are for the person who asked and for administrators:
anyone else is told there is no such report (404), and the public never gets
past signing in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from perfreport.jobs.models import Outcome, Run, Trigger
from perfreport.jobs.runs import enqueue, output_file
from perfreport.registry.models import Indicator
from perfreport.reports.language import ENGLISH, LANGUAGE_NAMES
from perfreport.reports.report_job import ReportRequest, report_params
from perfreport.reports.service import MEDIA_TYPES
from perfreport.web import reports_page
from perfreport.web.access import actor_of, staff_required
from perfreport.web.opendata import size_words

JOB = "report"
# A run still queued after this long: the worker may not be running, so the
# page offers to make the report in the request instead.
WAITING_TOO_LONG = timedelta(seconds=20)


# -- the rule ----------------------------------------------------------------


def indicator_count(choice: reports_page.ReportChoice) -> int:
    indicators = Indicator.objects.all()
    if choice.directorate:
        indicators = indicators.filter(directorate__name=choice.directorate)
    if choice.service:
        indicators = indicators.filter(service__name=choice.service)
    return indicators.count()


def in_background(choice: reports_page.ReportChoice) -> bool:
    """Made by the worker: a report of at least the setting's number of
    indicators (some seconds each hundred, a minute for several hundred)
    that has not been made since the data last changed (one that has is
    sent at once)."""
    threshold = settings.PERFREPORT_REPORTS_IN_BACKGROUND_FROM
    if not threshold or reports_page.known_size(choice, published_only=False) is not None:
        return False
    return indicator_count(choice) >= threshold


# -- views -------------------------------------------------------------------


@staff_required
@require_POST
def make(request: HttpRequest) -> HttpResponse:
    """The staff form: a big report to the worker, any other to the download."""
    form = reports_page.ReportForm(request.POST, published_only=False)
    if not form.is_valid():
        return reports_page.page(request, form, public=False, status=400)
    choice = reports_page.choice_of(form)
    if not in_background(choice):
        query = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
        url = reverse("web:report_download") + "?" + urlencode(query, doseq=True)
        return _see_other(url)
    run = enqueue(
        JOB, report_params(_asked(choice)), trigger=Trigger.ON_DEMAND, requested_by=request.user
    )
    return _see_other(reverse("web:report_run", args=[run.pk]))


def _asked(choice: reports_page.ReportChoice) -> ReportRequest:
    return ReportRequest(
        period=choice.period,
        fmt=choice.fmt,
        filename=reports_page.file_name(choice),
        directorate=choice.directorate,
        service=choice.service,
        pack=choice.pack,
        sections=choice.sections,
        language=choice.language,
    )


def _see_other(url: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = url
    return response


@staff_required
@require_safe
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_for(request, run_id)
    return render(request, "web/report_run.html", {**_state(run), "nav": "reports"})


@staff_required
@require_safe
def run_json(request: HttpRequest, run_id: int) -> JsonResponse:
    """The page's twin, which its script asks for every second or two."""
    run = _run_for(request, run_id)
    state = _state(run)
    html = render_to_string("web/includes/report_run_status.html", state, request=request)
    return JsonResponse(
        {
            "outcome": run.outcome,
            "finished": run.finished,
            "progress": run.progress,
            "note": run.progress_note,
            "detail": state["detail"],
            "stage_key": state["stage_key"],
            "file": state["file_url"],
            "error": run.error,
            "html": html,
        },
        headers={"Cache-Control": "no-store"},
    )


@staff_required
@require_safe
def run_file(request: HttpRequest, run_id: int) -> HttpResponse:
    """The report's file, to the person who asked for it or an administrator."""
    run = _run_for(request, run_id)
    path = output_file(run) if run.outcome == Outcome.OK else None
    if path is None:
        raise Http404(_("The report is not ready"))
    fmt = str(run.params.get("format", ""))
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=path.name,
        content_type=MEDIA_TYPES.get(fmt, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # streamed: as the decorators expect


# -- reads -------------------------------------------------------------------


RECENT = timedelta(days=7)
OUTCOME_WORDS = {
    Outcome.QUEUED: gettext_lazy("waiting"),
    Outcome.RUNNING: gettext_lazy("being made"),
    Outcome.OK: gettext_lazy("ready"),
    Outcome.FAILED: gettext_lazy("could not be made"),
}


def recent_reports(user: Any) -> list[dict[str, Any]]:
    """The person's reports made in the background this last week, newest
    first (at most 5): for the Reports page, to find one again."""
    runs = Run.objects.filter(
        job=JOB, requested_by=user, queued_at__gte=timezone.now() - RECENT
    ).order_by("-queued_at", "-pk")[:5]
    return [
        {
            "url": reverse("web:report_run", args=[run.pk]),
            "description": _description(run.params or {}),
            "state": str(OUTCOME_WORDS.get(Outcome(run.outcome), run.outcome)),
            "queued_at": run.queued_at,
        }
        for run in runs
    ]


def _run_for(request: HttpRequest, run_id: int) -> Run:
    """The run, for the person who asked for it or an administrator; for
    anyone else there is no such report."""
    run = Run.objects.filter(pk=run_id, job=JOB).select_related("requested_by").first()
    if run is None:
        raise Http404(_("There is no such report"))
    mine = run.requested_by_id is not None and run.requested_by_id == request.user.pk
    if not (mine or actor_of(request).is_admin):
        raise Http404(_("There is no such report"))
    return run


def _state(run: Run) -> dict[str, Any]:
    """What the page and its twin show about the run."""
    params = run.params or {}
    path = output_file(run) if run.outcome == Outcome.OK else None
    waited = timezone.now() - run.queued_at
    too_long = run.outcome == Outcome.QUEUED and waited > WAITING_TOO_LONG
    # "Drawing charts: 120 of 545" is at the stage "drawing charts".
    stage = (run.progress_note or "starting").split(":")[0].strip().lower()
    return {
        "run": run,
        "stage": stage,
        "stage_key": f"{run.outcome}|{stage}|{too_long}",
        "detail": f"{run.progress_note} ({run.progress}%)" if run.progress_note else "",
        "description": _description(params),
        "filename": str(params.get("filename", "")),
        "format_name": reports_page.FORMAT_NAMES.get(str(params.get("format")), ""),
        "file_url": reverse("web:report_run_file", args=[run.pk]) if path else "",
        "file_size": size_words(path.stat().st_size) if path else "",
        "waiting_too_long": too_long,
        "direct_url": _direct_url(params),
        "again_url": reverse("web:reports"),
    }


def _description(params: dict[str, Any]) -> str:
    """ "Full report for 2020/21 Q2, Children's Services, PDF"."""
    kind = reports_page.REPORT_TYPES.get(str(params.get("pack", "")), _("Report"))
    parts = [str(params.get(k, "")) for k in ("directorate", "service") if params.get(k)]
    fmt = reports_page.FORMAT_NAMES.get(str(params.get("format")), "")
    language = str(params.get("language") or ENGLISH)
    if language != ENGLISH and language in LANGUAGE_NAMES:
        parts.append(str(LANGUAGE_NAMES[language]))
    period = str(params.get("period", ""))
    return ", ".join([_("%(kind)s for %(period)s") % {"kind": kind, "period": period}, *parts, fmt])


def _form_query(params: dict[str, Any]) -> dict[str, Any]:
    query: dict[str, Any] = {
        "period": params.get("period", ""),
        "format": params.get("format", ""),
        "directorate": params.get("directorate", ""),
        "service": params.get("service", ""),
        "pack": params.get("pack", ""),
    }
    if params.get("language") and params["language"] != ENGLISH:
        query["language"] = params["language"]
    if params.get("sections"):
        query["sections"] = list(params["sections"])
        query["sections_shown"] = "1"
    return query


def _direct_url(params: dict[str, Any]) -> str:
    """The same report made in the request, for when no worker is running."""
    return reverse("web:report_download") + "?" + urlencode(_form_query(params), doseq=True)
