"""Approving from My work: each submitted entry awaiting the approver with
its value, target, RAG rating and change, and several approved at once.

Each entry is approved through :func:`perfreport.rounds.services.approve_entry`,
one at a time, each in its own transaction and audited: an entry that is
refused (submitted by the approver themself, changed since the list was
shown, no longer submitted) is said by name, and the rest are approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.data.models import Entry
from perfreport.rounds.services import Conflict, TransitionError, approve_entry, previews
from perfreport.web.access import actor_of, staff_required
from perfreport.web.action_work import approve_selected_updates, update_name
from perfreport.web.entry_page import Preview, own_submission, preview_from

if TYPE_CHECKING:
    from perfreport.web.work import WorkItem


@dataclass(frozen=True)
class ApprovalRow:
    """An entry awaiting approval, as the approver's list shows it."""

    item: WorkItem
    preview: Preview
    own: bool  # submitted by this approver: not theirs to approve


def approval_rows(items: list[WorkItem], actor: Actor) -> list[ApprovalRow]:
    """The rows of the list, every rating worked out in two queries."""
    evaluations = previews([item.entry for item in items])
    return [
        ApprovalRow(
            item=item,
            preview=preview_from(evaluations[item.entry.pk]),
            own=own_submission(actor, item.entry),
        )
        for item in items
    ]


@dataclass(frozen=True)
class Outcome:
    approved: list[Entry]
    refused: list[tuple[str, str]]  # (which entry, why not)


def approve_selected_entries(actor: Actor, chosen: dict[int, int | None]) -> Outcome:
    """Approve each chosen entry (id: the version the approver was shown)."""
    approved, refused = [], []
    found = Entry.objects.select_related("indicator").in_bulk(list(chosen))
    for pk, version in chosen.items():
        entry = found.get(pk)
        name = _name(entry) if entry else _("Entry %(pk)s") % {"pk": pk}
        if entry is None:
            refused.append((name, _("there is no such entry")))
            continue
        if version is None:
            refused.append((name, _("the form did not say which version you were shown")))
            continue
        try:
            approved.append(approve_entry(actor, pk, version=version))
        except Conflict as conflict:
            refused.append(
                (
                    name,
                    _("%(by)s changed it after the list was shown: look at it again")
                    % {"by": conflict.by},
                )
            )
        except (TransitionError, NotAllowed) as error:
            refused.append((name, str(error)))
    return Outcome(approved, refused)


@staff_required
@require_POST
def approve_selected(request: HttpRequest) -> HttpResponse:
    """POST the entries ticked on My work (``entry``, each with ``version-ID``)
    and the action updates (``action``, each with ``action-version-ID``)."""
    chosen = {pk: _number(request.POST.get(f"version-{pk}", "")) for pk in _ids(request)}
    updates = {
        pk: _number(request.POST.get(f"action-version-{pk}", "")) for pk in _ids(request, "action")
    }
    if not chosen and not updates:
        messages.error(request, _("Select at least one entry to approve: nothing was approved."))
        return _see_other(reverse("web:my_work"))
    outcome = approve_selected_entries(actor_of(request), chosen)
    if outcome.approved:
        listed = "; ".join(_name(e) for e in outcome.approved)
        count = len(outcome.approved)
        messages.success(
            request,
            ngettext(
                "Approved %(count)d entry: %(listed)s.",
                "Approved %(count)d entries: %(listed)s.",
                count,
            )
            % {"count": count, "listed": listed},
        )
    approved, refused = approve_selected_updates(actor_of(request), updates)
    if approved:
        listed = "; ".join(update_name(u) for u in approved)
        count = len(approved)
        messages.success(
            request,
            ngettext(
                "Approved %(count)d action update: %(listed)s.",
                "Approved %(count)d action updates: %(listed)s.",
                count,
            )
            % {"count": count, "listed": listed},
        )
    for name, why in [*outcome.refused, *refused]:
        messages.error(
            request,
            _("%(name)s was not approved: %(why)s.") % {"name": name, "why": why.rstrip(".")},
        )
    return _see_other(reverse("web:my_work") + "#approvals-heading")


def _name(entry: Entry) -> str:
    return _("Indicator %(ref)s for %(period)s") % {
        "ref": entry.indicator.ref,
        "period": entry.get_period().long_label,
    }


def _ids(request: HttpRequest, name: str = "entry") -> list[int]:
    numbers = (_number(text) for text in request.POST.getlist(name))
    return list(dict.fromkeys(n for n in numbers if n is not None))[:500]


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _see_other(url: str) -> HttpResponse:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
