"""Evidence on an entry's page: the files attached, attaching and removing
one, and downloading one (only for the entry's owners, its approvers and
BI administrators; as an attachment with a safe name, never shown inline).

The writes are :mod:`perfreport.rounds.evidence`'s, which checks the role
and the entry's state and audits them; these views say what happened on
the entry's page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from perfreport.accounts.permissions import Actor
from perfreport.core.errors import Invalid
from perfreport.core.evidence import ALLOWED, BY_CODE
from perfreport.core.workflow import TransitionError
from perfreport.data.models import Entry, Evidence
from perfreport.rounds.evidence import (
    attach_evidence,
    content_type,
    max_bytes,
    open_evidence,
    remove_evidence,
)
from perfreport.web.access import actor_of, staff_required
from perfreport.web.entry_page import when_text
from perfreport.web.upload_limit import LimitedUpload, upload_limited


@dataclass(frozen=True)
class EvidenceRow:
    evidence: Evidence
    href: str
    remove_href: str
    kind: str
    size: str
    uploaded: str


def evidence_rows(actor: Actor, found: Entry) -> list[EvidenceRow] | None:
    """The entry's files as its page lists them; None for someone who may not open them."""
    indicator = found.indicator
    if not (actor.is_admin or actor.can_edit(indicator) or actor.can_approve(indicator)):
        return None
    return [_row(e) for e in found.evidence.select_related("uploaded_by")]


def evidence_hint() -> str:
    return _(
        "A %(kinds)s file, at most %(limit)s MB, such as the report the value comes from. Only "
        "the indicator's owners, its approvers and BI administrators can open it."
    ) % {"kinds": _kinds(), "limit": max_bytes() // 1_000_000}


def _kinds() -> str:
    """The kinds of file allowed, in the page's language (the core's list when it changes)."""
    said = _("PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT")
    return said if ALLOWED == "PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT" else ALLOWED


def _row(evidence: Evidence) -> EvidenceRow:
    at = timezone.localtime(evidence.uploaded_at)
    by = evidence.uploaded_by.get_username() if evidence.uploaded_by else _("someone")
    return EvidenceRow(
        evidence=evidence,
        href=reverse("web:evidence_download", args=[evidence.pk]),
        remove_href=reverse("web:evidence_remove", args=[evidence.pk]),
        kind=BY_CODE[evidence.kind].label,
        size=size_text(evidence.size),
        uploaded=f"{by}, {when_text(at)}",
    )


def size_text(size: int) -> str:
    """A file's size in words a person reads: 812 bytes, 14 KB, 2.4 MB."""
    if size < 1000:
        return ngettext("%(size)d byte", "%(size)d bytes", size) % {"size": size}
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


@staff_required
@require_POST
@upload_limited(max_bytes)
def evidence_upload(request: HttpRequest, handler: LimitedUpload, pk: int) -> HttpResponse:
    found = get_object_or_404(Entry.objects.select_related("indicator"), pk=pk)
    back = reverse("web:entry", args=[pk]) + "#evidence-heading"
    upload = request.FILES.get("file")  # read first: the handler counts as it is read
    if handler.refused_size is not None:
        size = size_text(handler.refused_size)
        limit = max_bytes() // 1_000_000
        messages.error(
            request,
            _(
                "File: it is %(size)s, over the limit of %(limit)s MB for a file (the setting "
                "PERFREPORT_EVIDENCE_MAX_MB): nothing was attached."
            )
            % {"size": size, "limit": limit},
        )
        return _see_other(back)
    if upload is None:
        messages.error(request, _("File: choose the file to attach: nothing was attached."))
        return _see_other(back)
    try:
        attached = attach_evidence(actor_of(request), found.pk, upload)
    except Invalid as invalid:
        messages.error(
            request,
            _("File: %(name)s %(problem)s.")
            % {"name": upload.name, "problem": invalid.errors["file"]},
        )
        return _see_other(back)
    except TransitionError as error:
        messages.error(request, _("Nothing was attached: %(why)s.") % {"why": error})
        return _see_other(back)
    messages.success(
        request,
        _("Attached %(name)s (%(size)s).")
        % {"name": attached.name, "size": size_text(attached.size)},
    )
    return _see_other(back)


@staff_required
@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("entry"), pk=evidence_id)
    back = reverse("web:entry", args=[evidence.entry_id]) + "#evidence-heading"
    try:
        removed = remove_evidence(actor_of(request), evidence.pk)
    except TransitionError as error:
        messages.error(request, _("Nothing was removed: %(why)s.") % {"why": error})
        return _see_other(back)
    messages.success(request, _("Removed %(name)s.") % {"name": removed.name})
    return _see_other(back)


@staff_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """The file, as an attachment with its safe name, to those who may open it (else 403)."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("entry__indicator"), pk=evidence_id
    )
    open_evidence(actor_of(request), evidence)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=content_type(evidence),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]  # streamed: as the decorators expect


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
