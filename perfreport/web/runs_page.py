"""The Runs pages, for BI administrators: every run of background work, by
whom or what it was asked for, when it was queued, started and finished,
how it went and why it failed; a run's own page shows its progress while it
runs (from its ``.json`` twin) and links to the file it made."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from perfreport.jobs import registry, runs
from perfreport.jobs.models import Outcome, Run
from perfreport.web.access import staff_required
from perfreport.web.schedules_page import administrator, one_or_404, target_label

PER_PAGE = 50


def patterns() -> list[URLPattern]:
    return [
        path("runs/", run_list, name="runs"),
        path("runs/<int:pk>/", run_detail, name="run"),
        path("runs/<int:pk>.json", run_json, name="run_json"),
        path("runs/<int:pk>/file", run_file, name="run_file"),
    ]


def _no_run(pk: int) -> str:
    return _(
        "There is no run number %(pk)s: old runs are tidied away after a while. "
        "The Runs page lists every run kept."
    ) % {"pk": pk}


def asked_by(run: Run) -> str:
    """Who or what asked for the run, in words."""
    if run.requested_by is not None:
        return str(run.requested_by.get_full_name() or run.requested_by.get_username())
    if run.trigger == "schedule":
        return _("Its schedule")
    return "perfreport"


@staff_required
@require_safe
def run_list(request: HttpRequest) -> HttpResponse:
    administrator(request)
    job, outcome = request.GET.get("job", ""), request.GET.get("outcome", "")
    found = Run.objects.select_related("requested_by")
    if job:
        found = found.filter(job=job)
    if outcome in Outcome.values:
        found = found.filter(outcome=outcome)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    known = {j.name: j.title() for j in registry.all_jobs()}
    used = set(Run.objects.values_list("job", flat=True).distinct())
    context = {
        "nav": "runs",
        "page": page,
        "rows": [(run, asked_by(run)) for run in page],
        "jobs": sorted(
            {**known, **{n: n for n in used - known.keys()}}.items(), key=lambda i: i[1]
        ),
        "outcomes": Outcome.choices,
        "job": job,
        "outcome": outcome if outcome in Outcome.values else "",
    }
    return render(request, "web/runs.html", context)


@staff_required
@require_safe
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    administrator(request)
    run = one_or_404(Run.objects.select_related("requested_by", "schedule"), pk, _no_run(pk))
    context = {
        "nav": "runs",
        "run": run,
        "asked_by": asked_by(run),
        "target": target_label(run.job, str((run.params or {}).get("target", ""))),
        "file": runs.output_file(run) if run.outcome == Outcome.OK else None,
        "status": status_of(run),
    }
    return render(request, "web/run.html", context)


def status_of(run: Run) -> dict[str, Any]:
    """What the run's page says about how far it has got (also its JSON twin):
    ``words`` change only with the outcome (they are read out as they change),
    ``detail`` with every step of its progress (shown, not read out)."""
    words = {
        Outcome.QUEUED: _("Waiting for the worker."),
        Outcome.RUNNING: _("Running."),
        Outcome.OK: _("Finished: %(summary)s") % {"summary": run.summary}
        if run.summary
        else _("Finished."),
        Outcome.FAILED: _("Failed: %(error)s") % {"error": run.error},
    }[Outcome(run.outcome)]
    return {
        "id": run.pk,
        "job": run.job,
        "outcome": run.outcome,
        "finished": run.finished,
        "progress": run.progress,
        "note": run.progress_note,
        "detail": (
            _("%(progress)s%% done: %(note)s") if run.progress_note else _("%(progress)s%% done")
        )
        % {"progress": run.progress, "note": run.progress_note},
        "words": words,
        "file": reverse("web:run_file", args=[run.pk])
        if run.outcome == Outcome.OK and runs.output_file(run)
        else None,
    }


@staff_required
@require_safe
def run_json(request: HttpRequest, pk: int) -> HttpResponse:
    administrator(request)
    run = one_or_404(Run, pk, _no_run(pk))
    answer = {**status_of(run), "checked_at": timezone.now().isoformat()}
    return JsonResponse(answer, headers={"Cache-Control": "no-store"})


@staff_required
@require_safe
def run_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file a finished run made: BI administrators only, as the rest of
    these pages (a report's own page serves it to the person who asked)."""
    administrator(request)
    run = one_or_404(Run, pk, _no_run(pk))
    found = runs.output_file(run) if run.outcome == Outcome.OK else None
    if found is None:
        raise Http404("This run made no file, or it has been removed.")
    response = FileResponse(found.open("rb"), as_attachment=True, filename=found.name)
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # streamed: as the decorators expect
