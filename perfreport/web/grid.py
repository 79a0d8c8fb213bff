"""Entering many figures at once: the grid of an owner's due figures, saved
with one button, and the Excel template of the same figures to download,
fill offline and upload back.

Both save drafts only (submitting stays a step on each entry's page, where
its rating and commentary are read once more), all or nothing, through
:mod:`perfreport.rounds.workbook`, which saves each figure with the entry
page's own service. A refused save shows every row again as it was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from perfreport.data.models import Entry
from perfreport.feeds.marks import automated_from
from perfreport.rounds.grid_save import GridRefused, save_grid
from perfreport.rounds.services import ENTRY_FIELDS, WELSH_FIELDS, EntryInput
from perfreport.rounds.workbook import (
    DraftRow,
    RowsRefused,
    WorkbookRefused,
    due_entries,
    is_changed,
    target_texts,
    template_workbook,
    upload_drafts,
)
from perfreport.web.access import actor_of, staff_required
from perfreport.web.action_grid import (
    ActionGridRow,
    action_rows,
    changed_drafts,
    due_action_rows,
    posted_updates,
)
from perfreport.web.entry_page import Preview, bilingual_mode, typed_preview, unit_text

# Rows a page shows: each posts 7 fields, and Django refuses a post of more
# than 1,000 (DATA_UPLOAD_MAX_NUMBER_FIELDS). An owner has tens; more are paged.
GRID_PAGE_ROWS = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class GridRow:
    """One due figure as the grid shows it, typed or as saved."""

    entry: Entry
    period: str
    unit: str
    target: str
    typed: EntryInput
    version: int
    preview: Preview
    errors: dict[str, str] = field(default_factory=dict)
    automated: str = ""  # the feed whose figure the entry holds

    @property
    def prefix(self) -> str:
        return f"e{self.entry.pk}"

    @property
    def fraction_open(self) -> bool:
        return bool(self.errors.get("numerator") or self.errors.get("denominator"))

    @property
    def notes_open(self) -> bool:
        return bool(self.errors.get("commentary") or self.errors.get("actions"))

    @property
    def welsh_open(self) -> bool:
        return bool(self.errors.get("commentary_cy") or self.errors.get("actions_cy"))


@dataclass(frozen=True)
class GridError:
    field_id: str
    message: str


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def grid(request: HttpRequest) -> HttpResponse:
    """GET: the owner's due figures, one row each. POST: save the changed rows as drafts."""
    actor = actor_of(request)
    if request.method != "POST":
        due = list(due_entries(actor))
        page = _page_number(request.GET.get("page", ""), len(due))
        shown = due[(page - 1) * GRID_PAGE_ROWS : page * GRID_PAGE_ROWS]
        actions = due_action_rows(actor)
        return _grid_page(request, _rows(shown), actions, paging=_paging(page, len(due)))
    posted, updates = _posted(request), posted_updates(request)
    drafts = [
        DraftRow(e.pk, typed, version) for e, typed, version in posted if is_changed(e, typed)
    ]
    if not drafts and not changed_drafts(updates):
        messages.info(request, _("Nothing had changed, so nothing was saved."))
        return _see_other(_grid_url(request))
    try:
        saved, made = save_grid(actor, drafts, changed_drafts(updates), opened="opened this page")
    except GridRefused as refused:
        rows = _rows([e for e, _, _ in posted], posted, refused.entries)
        actions = action_rows(posted=updates, refused=refused)
        status = 409 if refused.entries.versions or refused.versions else 200
        return _grid_page(request, rows, actions, status=status)
    messages.success(request, _saved_text(len(saved), len(made)))
    return _see_other(_grid_url(request))


def _page_number(text: str, total: int) -> int:
    pages = max(1, -(-total // GRID_PAGE_ROWS))
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 6 else 1
    return min(max(number, 1), pages)


def _paging(page: int, total: int) -> dict[str, Any]:
    pages = max(1, -(-total // GRID_PAGE_ROWS))
    first = (page - 1) * GRID_PAGE_ROWS + 1
    last = min(page * GRID_PAGE_ROWS, total)
    return {"page": page, "pages": pages, "total": total, "first": first, "last": last}


def _grid_url(request: HttpRequest) -> str:
    """The grid's page the post came from (``page`` in the form)."""
    page = request.POST.get("page", "")
    number = int(page) if page.isascii() and page.isdigit() and len(page) < 6 else 1
    url = reverse("web:grid")
    return f"{url}?page={number}" if number > 1 else url


def _posted(request: HttpRequest) -> list[tuple[Entry, EntryInput, int]]:
    """The rows of the post: each entry with what was typed for it and the
    version its row was shown at (0, which never matches, if none was)."""
    ids = [int(x) for x in request.POST.getlist("entry") if x.isascii() and x.isdigit()]
    ids = list(dict.fromkeys(i for i in ids if i < 2**31))[:GRID_PAGE_ROWS]
    found = Entry.objects.select_related("round", "indicator", "indicator__service").in_bulk(ids)
    posted = []
    for pk in ids:
        if pk not in found:
            continue
        get = request.POST.get
        typed = EntryInput(**{n: get(f"e{pk}-{n}", "") for n in ENTRY_FIELDS})
        # The Welsh columns are there in bilingual mode only; not posted: kept as saved.
        typed.commentary_cy, typed.actions_cy = (get(f"e{pk}-{n}") for n in WELSH_FIELDS)
        version = get(f"e{pk}-version", "")
        number = (
            int(version) if version.isascii() and version.isdigit() and len(version) < 10 else 0
        )
        posted.append((found[pk], typed, number))
    return posted


def _rows(
    entries: list[Entry],
    posted: list[tuple[Entry, EntryInput, int]] | None = None,
    refused: RowsRefused | None = None,
) -> list[GridRow]:
    typed = {e.pk: (t, v) for e, t, v in posted or []}
    targets = target_texts(entries)
    marks = automated_from(entries)
    rows = []
    for entry in entries:
        text, version = typed.get(entry.pk, (None, entry.version))
        errors = refused.errors.get(entry.pk, {}) if refused else {}
        if refused and entry.pk in refused.versions:
            version = refused.versions[entry.pk]  # saving again replaces theirs
        rows.append(
            GridRow(
                entry=entry,
                period=entry.get_period().long_label,
                unit=unit_text(entry.indicator),
                target=targets[entry.pk],
                typed=text or EntryInput.of(entry),
                version=version,
                preview=typed_preview(entry, text),
                errors=errors,
                automated=marks.get(entry.pk, ""),
            )
        )
    return rows


def _grid_page(
    request: HttpRequest,
    rows: list[GridRow],
    actions: list[ActionGridRow],
    *,
    paging: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = [
        GridError(
            f"id_{row.prefix}-{name if name in (*ENTRY_FIELDS, *WELSH_FIELDS) else 'value'}",
            f"{row.entry.indicator.ref}, {row.period}: {message}",
        )
        for row in rows
        for name, message in _ordered(row.errors)
    ] + [
        GridError(
            f"id_{row.prefix}-{name if name != 'update' else 'percent'}",
            f"{row.update.action.ref}, {row.period}: {message}",
        )
        for row in actions
        for name, message in row.errors.items()
    ]
    paging = paging or {"page": _page_number(request.POST.get("page", ""), 10**6), "pages": 1}
    context = {
        "nav": "work",
        "rows": rows,
        "action_rows": actions,
        "errors": errors,
        "paging": paging,
        "bilingual": bilingual_mode(),
    }
    return render(request, "web/grid.html", context, status=status)


def _ordered(errors: dict[str, str]) -> list[tuple[str, str]]:
    order = ("entry", *ENTRY_FIELDS, *WELSH_FIELDS)
    return sorted(errors.items(), key=lambda i: order.index(i[0]) if i[0] in order else 99)


def _saved_text(count: int, updates: int = 0) -> str:
    figures = ngettext("%(count)d figure", "%(count)d figures", count) % {"count": count}
    also = ngettext("%(count)d action update", "%(count)d action updates", updates) % {
        "count": updates
    }
    if count and updates:
        saved = _("Saved %(figures)s and %(updates)s as drafts.") % {
            "figures": figures,
            "updates": also,
        }
    elif updates:
        saved = _("Saved %(updates)s as drafts.") % {"updates": also}
    elif count:
        saved = _("Saved %(figures)s as drafts.") % {"figures": figures}
    else:
        saved = _("Saved as drafts.")
    return saved + " " + _("Submit each from its page when it is ready for approval.")


# -- Save and go to next --------------------------------------------------------


def next_due_url(actor: Any, after: Entry) -> str:
    """The page of the figure due from this person after ``after``, in My
    work's order (round deadline, then indicator), going round to the first;
    My work when ``after`` was the last one due."""
    due = list(due_entries(actor).values_list("pk", flat=True))
    later = due[due.index(after.pk) + 1 :] + due[: due.index(after.pk)] if after.pk in due else due
    others = [pk for pk in later if pk != after.pk]
    return reverse("web:entry", args=[others[0]]) if others else reverse("web:my_work")


# -- The Excel template ----------------------------------------------------------


@staff_required
@require_http_methods(["GET", "HEAD"])
def template_download(request: HttpRequest) -> HttpResponse:
    """The owner's due figures as an .xlsx template."""
    entries = list(due_entries(actor_of(request)))
    response = HttpResponse(template_workbook(entries, welsh=bilingual_mode()), content_type=XLSX)
    today = timezone.localdate()
    name = f"my-figures-{today:%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_upload(request: HttpRequest) -> HttpResponse:
    """GET: the form to upload a filled-in template. POST: save its figures as drafts."""
    if request.method != "POST":
        return _upload_page(request)
    upload = request.FILES.get("workbook")
    if upload is None:
        problem = _("Choose the filled-in template to upload.")
        return _upload_page(request, field_error=problem, status=400)
    limit = _limit_bytes()
    if upload.size is not None and upload.size > limit:
        problem = _(
            "%(name)s is %(size)s MB, over the limit of %(limit)s MB (the setting "
            "PERFREPORT_IMPORT_MAX_MB); it was not read."
        ) % {
            "name": upload.name,
            "size": f"{upload.size / 1_000_000:,.1f}",
            "limit": f"{limit / 1_000_000:,.1f}",
        }
        return _upload_page(request, field_error=problem, status=400)
    try:
        uploaded = upload_drafts(actor_of(request), upload.read(), upload.name or "the file")
    except WorkbookRefused as refused:
        return _upload_page(request, problems=refused.problems, name=upload.name or "")
    figures = len(uploaded.saved)
    text = _saved_text(figures) if figures else _("Nothing had changed, so nothing was saved.")
    if uploaded.unchanged:
        text += " " + ngettext(
            "%(count)d row held what was saved already.",
            "%(count)d rows held what was saved already.",
            uploaded.unchanged,
        ) % {"count": uploaded.unchanged}
    messages.success(request, text)
    return _see_other(reverse("web:grid"))


def _limit_bytes() -> int:
    from django.conf import settings

    return round(settings.PERFREPORT_IMPORT_MAX_MB * 1_000_000)


def _upload_page(
    request: HttpRequest,
    *,
    problems: list[Any] | None = None,
    field_error: str = "",
    name: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "work",
        "problems": problems or [],
        "field_error": field_error,
        "name": name,
        "due": due_entries(actor_of(request)).count(),
        "limit_mb": _limit_bytes() // 1_000_000,
        "bilingual": bilingual_mode(),
    }
    return render(request, "web/grid_upload.html", context, status=status)


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
