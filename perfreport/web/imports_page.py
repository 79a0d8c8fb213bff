"""Importing in the browser, for BI administrators: upload a zip of a CSV
folder or a workbook, check a preview of what will change, confirm.

Both the preview and the import are ``perfreport import``'s own service
(:mod:`perfreport.imports.uploads` runs it rolled back for the preview), so
the page obeys the command line's rules, the round rule and ``--force``
included, and the import is audited as the command line's is. The upload is
kept in the storage between the two steps; the confirmation carries the data
version the preview was made at, and a change since sends the person back to
a fresh preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from perfreport.data.services import open_round_keys
from perfreport.data.versions import current_data_version
from perfreport.imports import uploads
from perfreport.imports.problems import ImportFailed
from perfreport.imports.service import import_path
from perfreport.web.access import actor_of, staff_required
from perfreport.web.upload_limit import LimitedUpload, upload_limited

KEPT = "perfreport_import"  # the session's record of the upload being previewed


@dataclass(frozen=True)
class ErrorItem:
    field_id: str
    message: str


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def _admin(request: HttpRequest) -> None:
    actor_of(request).require_admin(gettext_noop("import data"))  # NotAllowed: 403


@staff_required
@upload_limited(lambda: uploads.upload_limits().max_bytes)
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest, handler: LimitedUpload) -> HttpResponse:
    """The upload form; a good upload is kept and previewed."""
    _admin(request)
    if request.method != "POST":
        uploads.discard_old_uploads(timezone.now())
        return _upload_page(request, [])
    upload = request.FILES.get("file")  # read now: the handler may refuse it
    if handler.refused_size is not None:
        limit = handler.max_bytes
        message = _(
            "The file is over %(size)s, more than the limit of %(limit)s for a file to import "
            "(the setting PERFREPORT_IMPORT_MAX_MB)"
        ) % {"size": _megabytes(handler.refused_size), "limit": _megabytes(limit)}
        return _upload_page(request, [ErrorItem("id_file", message)], status=413)
    problem = _upload_problem(upload)
    if problem:
        return _upload_page(request, [ErrorItem("id_file", problem)], status=400)
    assert upload is not None
    _forget(request)
    label = uploads.safe_label(upload.name or "")
    name = uploads.keep_upload(upload, label[label.rindex(".") :])
    force = request.POST.get("force") == "yes"
    request.session[KEPT] = {"name": name, "label": label, "force": force}
    return redirect("web:import_preview")


def _upload_problem(upload: Any) -> str:
    if upload is None or not upload.size:
        return _("Choose a zip of a folder of CSV files, or an .xlsx workbook, to upload")
    label = uploads.safe_label(upload.name or "")
    if not label.endswith(uploads.SUFFIXES):
        return _(
            "%(file)s is not a .zip or an .xlsx file: upload a zip of a folder of CSV files, "
            "or a workbook"
        ) % {"file": label}
    upload.seek(0)
    if upload.read(4) != uploads.ZIP_SIGNATURE:
        return _(
            "%(file)s is not a zip file inside (nor a workbook, which is one): save or zip it again"
        ) % {"file": label}
    upload.seek(0)
    return ""


def _upload_page(request: HttpRequest, errors: list[ErrorItem], status: int = 200) -> HttpResponse:
    context = {
        "errors": errors,
        "max_mb": uploads.upload_limits().max_bytes // 1_000_000,
        "open_round": bool(open_round_keys()),
        "force": request.POST.get("force") == "yes",
        "nav": "imports",
    }
    return render(request, "web/imports.html", context, status=status)


@staff_required
@require_GET
def import_preview(request: HttpRequest) -> HttpResponse:
    """What the kept upload would change, checked now; a Confirm button if nothing is wrong."""
    _admin(request)
    return _preview_page(request)


def _preview_page(request: HttpRequest, status: int = 200) -> HttpResponse:
    kept = request.session.get(KEPT)
    if not kept:
        messages.info(request, _("There is no upload to check: upload a file first."))
        return redirect("web:imports")
    version = current_data_version()  # before: the preview's own changes are rolled back
    try:
        with uploads.unpacked(kept["name"], kept["label"], uploads.upload_limits()) as path:
            preview = uploads.preview_import(path, actor=actor_of(request), force=kept["force"])
    except ImportFailed as failure:
        preview = uploads.Preview(problems=failure.problems, verdict=str(failure))
    context = {"kept": kept, "preview": preview, "version": version, "nav": "imports"}
    return render(request, "web/import_preview.html", context, status=status)


@staff_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the kept upload, if the data are as the preview found them."""
    _admin(request)
    kept = request.session.get(KEPT)
    if not kept:
        messages.info(request, _("There is no upload to import: upload a file first."))
        return redirect("web:imports")
    if request.POST.get("upload", "") != kept["name"]:
        messages.error(
            request,
            _(
                "That preview was of a file you have since replaced with another upload, so "
                "nothing was imported: this is the preview of your latest upload."
            ),
        )
        return redirect("web:import_preview")
    if request.POST.get("version", "") != current_data_version():
        messages.error(
            request,
            _(
                "The data changed since your preview, so nothing was imported: "
                "this is a fresh preview. Check it and confirm again."
            ),
        )
        return redirect("web:import_preview")
    try:
        with uploads.unpacked(kept["name"], kept["label"], uploads.upload_limits()) as path:
            summary, _report = import_path(path, actor=actor_of(request), force=kept["force"])
    except ImportFailed:
        return _preview_page(request, status=409)
    _forget(request)
    lines = (
        summary.lines() if summary.changed else [_("Nothing changed: the data already held these.")]
    )
    said = " ".join(f"{x}." for x in lines)
    messages.success(
        request, _("Imported %(file)s. %(said)s") % {"file": kept["label"], "said": said}
    )
    return redirect("web:imports")


@staff_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    _admin(request)
    if _forget(request):
        messages.info(request, _("The upload was discarded: nothing was imported."))
    return redirect("web:imports")


def _forget(request: HttpRequest) -> bool:
    kept = request.session.pop(KEPT, None)
    if kept:
        uploads.discard_upload(kept["name"])
    return bool(kept)
