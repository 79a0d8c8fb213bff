"""The Schedules pages, for BI administrators: the jobs that run on their
own (reminders, distribution, feeds), when, and when next; adding, changing,
pausing, deleting and running one now. The writes are the schedules
service's (``perfreport.jobs.schedules``), which checks the role again and
records each change in the audit trail."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from perfreport.accounts.permissions import Actor
from perfreport.core.errors import Invalid
from perfreport.jobs import registry, schedules, timing
from perfreport.jobs.forms import ScheduleForm, initial_of
from perfreport.jobs.models import Schedule
from perfreport.web.access import actor_of, staff_required


def patterns() -> list[URLPattern]:
    return [
        path("schedules/", schedule_list, name="schedules"),
        path("schedules/add", schedule_add, name="schedule_add"),
        path("schedules/<int:pk>/", schedule_edit, name="schedule"),
        path("schedules/<int:pk>/pause", schedule_pause, name="schedule_pause"),
        path("schedules/<int:pk>/resume", schedule_resume, name="schedule_resume"),
        path("schedules/<int:pk>/run", schedule_run, name="schedule_run"),
        path("schedules/<int:pk>/delete", schedule_delete, name="schedule_delete"),
    ]


M = TypeVar("M", bound=Model)


def one_or_404(found: type[M] | QuerySet[M], pk: int, missing: str) -> M:
    """The row ``pk``, or the site's not-found page saying ``missing`` in
    words (not Django's "No Schedule matches the given query.")."""
    rows = found._default_manager.all() if isinstance(found, type) else found
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404(missing)
    return row


def _no_schedule(pk: int) -> str:
    return _(
        "There is no schedule number %(pk)s: it may have been deleted. "
        "The Schedules page lists every schedule."
    ) % {"pk": pk}


def administrator(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    actor.require_admin(
        gettext_noop("see and change the schedules and runs of background work")
    )  # 403
    return actor


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def target_label(job_name: str, target: str) -> str:
    """The label of the one a schedule or run is for ("Housing repairs"), or
    "a feed since removed"; "" for a job with no target."""
    if not target:
        return ""
    try:
        job = registry.get(job_name)
    except registry.UnknownJob:
        return target
    choices = dict(job.targets()) if job.targets is not None else {}
    return choices.get(target) or _("a %(noun)s since removed") % {"noun": job.target_label}


def _row(schedule: Schedule) -> dict[str, Any]:
    offered = {job.name: job for job in registry.all_jobs()}
    known = schedule.job in offered
    problem = schedules.missing_target(schedule) if known else ""
    return {
        "target_noun": offered[schedule.job].target_label if known else "",
        "schedule": schedule,
        "target": "" if problem else target_label(schedule.job, schedule.target),
        "problem": problem,  # "Its feed was removed"
        "timing": timing.describe(schedule.cron),
        "known": known,
    }


@staff_required
@require_http_methods(["GET", "HEAD"])
def schedule_list(request: HttpRequest) -> HttpResponse:
    administrator(request)
    rows = [_row(s) for s in Schedule.objects.select_related("last_run").order_by("job", "pk")]
    context = {"nav": "schedules", "rows": rows, "zone": settings.TIME_ZONE}
    return render(request, "web/schedules.html", context)


def _form_page(
    request: HttpRequest, form: ScheduleForm, schedule: Schedule | None, status: int = 200
) -> HttpResponse:
    upcoming: list[Any] = []
    if schedule is not None and schedule.enabled and not form.errors:
        upcoming = timing.upcoming(schedule.cron, timezone.now(), schedules.zone())
    context = {
        "nav": "schedules",
        "form": form,
        "job": form.job,
        "schedule": schedule,
        "errors": list(form.errors_in_order()),
        "typed": {name: form[name].value() for name in form.fields},
        "kinds": timing.KINDS,
        "every_choices": timing.EVERY,
        "days": list(enumerate(timing.DAYS)),
        "upcoming": upcoming,
        "current": timing.describe(schedule.cron) if schedule is not None else "",
        "zone": settings.TIME_ZONE,
    }
    return render(request, "web/schedule_form.html", context, status=status)


def _job_choice_page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    jobs = [job for job in registry.all_jobs() if job.schedulable]
    context = {"nav": "schedules", "jobs": jobs, "error": error}
    return render(request, "web/schedule_job.html", context, status=status)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_add(request: HttpRequest) -> HttpResponse:
    """First the job (?job=NAME), then when it runs."""
    actor = administrator(request)
    name = request.POST.get("job") or request.GET.get("job")
    if not name:
        error = _("Choose the job to run") if "job" in request.GET else ""
        return _job_choice_page(request, error, 400 if error else 200)
    try:
        job = registry.get(name)
    except registry.UnknownJob:
        return _job_choice_page(request, _("Choose the job to run"), 400)
    if request.method != "POST":
        form = ScheduleForm(initial=initial_of("0 7 * * *"), job=job)
        return _form_page(request, form, None)
    form = ScheduleForm(request.POST, job=job)
    if form.is_valid():
        try:
            schedule = schedules.schedule_create(
                actor,
                job=job.name,
                target=form.cleaned_data["target"],
                cron=form.cleaned_data["cron_expression"],
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(
                request,
                _("Added: %(job)s. When it runs: %(timing)s.")
                % {"job": job.title(), "timing": timing.describe(schedule.cron)},
            )
            return _see_other(reverse("web:schedules"))
    return _form_page(request, form, None, 400)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = administrator(request)
    schedule = one_or_404(Schedule, pk, _no_schedule(pk))
    try:
        job = registry.get(schedule.job)
    except registry.UnknownJob:
        messages.error(
            request,
            _("No part of perfreport offers the job '%(job)s' any more: delete its schedule.")
            % {"job": schedule.job},
        )
        return _see_other(reverse("web:schedules"))
    if request.method != "POST":
        form = ScheduleForm(initial=initial_of(schedule.cron, schedule.target), job=job)
        return _form_page(request, form, schedule)
    form = ScheduleForm(request.POST, job=job)
    if form.is_valid():
        try:
            schedule = schedules.schedule_update(
                actor,
                schedule,
                cron=form.cleaned_data["cron_expression"],
                target=form.cleaned_data["target"],
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(
                request,
                _("Saved: %(job)s. When it runs: %(timing)s.")
                % {"job": job.title(), "timing": timing.describe(schedule.cron)},
            )
            return _see_other(reverse("web:schedules"))
    return _form_page(request, form, schedule, 400)


@staff_required
@require_POST
def schedule_pause(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = one_or_404(Schedule, pk, _no_schedule(pk))
    schedules.schedule_set_enabled(administrator(request), schedule, False)
    messages.success(
        request,
        _("Paused: %(job)s. It will not run until you resume it.") % {"job": schedule.job_label},
    )
    return _see_other(reverse("web:schedules"))


@staff_required
@require_POST
def schedule_resume(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = one_or_404(Schedule, pk, _no_schedule(pk))
    try:
        schedule = schedules.schedule_set_enabled(administrator(request), schedule, True)
    except Invalid as error:
        messages.error(request, " ".join(error.errors.values()))
        return _see_other(reverse("web:schedules"))
    local = timezone.localtime(schedule.next_run_at)
    when = _("%(day)s at %(time)s") % {"day": date_format(local, "j M Y"), "time": f"{local:%H:%M}"}
    messages.success(
        request,
        _("Resumed: %(job)s. It next runs on %(when)s.")
        % {"job": schedule.job_label, "when": when},
    )
    return _see_other(reverse("web:schedules"))


@staff_required
@require_POST
def schedule_run(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = one_or_404(Schedule, pk, _no_schedule(pk))
    try:
        run = schedules.schedule_run_now(administrator(request), schedule)
    except Invalid as error:
        messages.error(request, " ".join(error.errors.values()))
        return _see_other(reverse("web:schedules"))
    messages.success(
        request, _("Queued: %(job)s. The worker runs it next.") % {"job": schedule.job_label}
    )
    return _see_other(reverse("web:run", args=[run.pk]))


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A page that asks first; the delete itself is a POST."""
    actor = administrator(request)
    schedule = one_or_404(Schedule, pk, _no_schedule(pk))
    if request.method != "POST":
        context = {"nav": "schedules", "row": _row(schedule)}
        return render(request, "web/schedule_delete.html", context)
    label = schedule.job_label
    schedules.schedule_delete(actor, schedule)
    messages.success(
        request,
        _("Deleted the schedule: %(job)s. Its past runs stay on the Runs page.") % {"job": label},
    )
    return _see_other(reverse("web:schedules"))
