"""The BI team's rounds: every round with how far its entries have got and a
form to open the next one; each round's page with its entries, the button
to publish it and, once it is published, what was published and what has
been restated since.

The pages only read and lay out; opening and publishing are the round's
services (``perfreport.rounds.services``), which check the person's role,
so a forged form post is refused there as well as here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from perfreport.accounts.permissions import Actor
from perfreport.core.periods import Period, PeriodError
from perfreport.core.rating import Rating
from perfreport.core.units import format_value
from perfreport.core.workflow import EntryState
from perfreport.data.models import Entry, Round
from perfreport.data.services import has_figure
from perfreport.data.snapshots import snapshot_of
from perfreport.registry.bilingual import text as in_language
from perfreport.registry.models import Indicator
from perfreport.registry.periods import read_period
from perfreport.rounds import services
from perfreport.rounds.owners import (
    EntryPeople,
    assign_owner,
    candidates,
    display_name,
    people_of,
    unowned,
)
from perfreport.rounds.welsh import WelshMissing, welsh_missing
from perfreport.web.access import actor_of, staff_required
from perfreport.web.action_round import seen_updates, update_rows, waiting_rows

STATES = tuple(EntryState)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def show_value(value: Decimal | None, indicator: Indicator, missing: str = "") -> str:
    """A value with its unit, as the report prints it: "83.4%", "3 stars"."""
    if value is None:
        return missing
    return format_value(value, indicator.unit_format, indicator.decimals)


# -- the list of rounds ------------------------------------------------------------------


@dataclass(frozen=True)
class StateCount:
    state: EntryState
    count: int


@dataclass(frozen=True)
class RoundRow:
    round: Round
    period: Period
    counts: tuple[StateCount, ...]  # one for every state, in the order of the round
    total: int
    overdue: int  # entries still with their owners after the deadline; 0 before it


def round_rows(today: date) -> list[RoundRow]:
    """Every round, newest first, with its entries counted by state (one query
    for all the counts)."""
    tally: dict[int, Counter[str]] = {}
    for round_id, state, n in Entry.objects.values_list("round", "state").annotate(n=Count("pk")):
        tally.setdefault(round_id, Counter())[state] = n
    rows = []
    for found in Round.objects.order_by("-last_month", "-first_month"):
        counts = tally.get(found.pk, Counter())
        overdue = 0
        if not found.is_published and found.deadline < today:
            overdue = sum(counts[s.value] for s in STATES if s.is_open)
        rows.append(
            RoundRow(
                found,
                found.get_period(),
                tuple(StateCount(s, counts[s.value]) for s in STATES),
                sum(counts.values()),
                overdue,
            )
        )
    return rows


class OpenRoundForm(forms.Form):
    """The period and deadline as typed, read here; whether the round may be
    opened (not in the past, not twice) is the service's to say."""

    period = forms.CharField(
        error_messages={
            "required": gettext_lazy("Enter the period the round collects, such as 2020/21 Q3")
        }
    )
    deadline = forms.CharField(
        error_messages={
            "required": gettext_lazy("Enter the deadline for entries, such as 15/01/2021")
        }
    )

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"].strip()
        try:
            return read_period(text)
        except PeriodError as error:
            raise forms.ValidationError(_sentence(str(error))) from None

    def clean_deadline(self) -> date:
        """A date as a date field sends it (2021-01-15), or as typed where the
        browser has no date picker (15/01/2021)."""
        text = self.cleaned_data["deadline"].strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise forms.ValidationError(
            _("“%(text)s” is not a date: enter the deadline as a date, such as 15/01/2021")
            % {"text": text}
        )


@dataclass(frozen=True)
class ErrorItem:
    field_id: str
    message: str


def _errors(form: OpenRoundForm) -> list[ErrorItem]:
    return [
        ErrorItem(f"id_{name}", str(message))
        for name in ("period", "deadline")
        for message in form.errors.get(name, [])
    ] + [ErrorItem("id_period", str(message)) for message in form.non_field_errors()]


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def rounds(request: HttpRequest) -> HttpResponse:
    """Every round; for a BI administrator, the form to open one."""
    actor = actor_of(request)
    if request.method != "POST":
        return _rounds_page(request, actor, OpenRoundForm() if actor.is_admin else None)
    actor.require_admin(gettext_noop("open a round"))  # NotAllowed: 403, before anything is read
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        try:
            opened = services.open_round(
                actor, form.cleaned_data["period"], form.cleaned_data["deadline"]
            )
        except services.Invalid as refused:
            for name, message in refused.errors.items():
                form.add_error(name if name in form.fields else None, _sentence(message))
        else:
            count = opened.entries.count()
            nobody = len(unowned(list(opened.entries.select_related("indicator__service"))))
            messages.success(
                request,
                ngettext(
                    "The round for %(period)s is open: %(count)d entry is due by %(deadline)s.",
                    "The round for %(period)s is open: %(count)d entries are due by %(deadline)s.",
                    count,
                )
                % {
                    "period": opened.period,
                    "count": count,
                    "deadline": date_format(opened.deadline, "j F Y"),
                }
                + _updates_due(opened),
            )
            if nobody:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d entry has no owner: nobody will be reminded of it. They are "
                        "listed below.",
                        "%(count)d entries have no owner: nobody will be reminded of them. They "
                        "are listed below.",
                        nobody,
                    )
                    % {"count": nobody},
                )
            return redirect("web:round", pk=opened.pk)
    return _rounds_page(request, actor, form)


def _updates_due(opened: Round) -> str:
    """The action updates the round asks for, in words ("" when none)."""
    n = opened.action_updates.count()
    if not n:
        return ""
    return " " + ngettext(
        "%(count)d action or project to update.", "%(count)d actions and projects to update.", n
    ) % {"count": n}


def _rounds_page(request: HttpRequest, actor: Actor, form: OpenRoundForm | None) -> HttpResponse:
    today = timezone.localdate()
    bound = form is not None and form.is_bound
    context = {
        "rows": round_rows(today),
        "states": STATES,
        "today": today,
        "form": form,
        "errors": _errors(form) if form is not None and bound else [],
        "period_value": (form["period"].value() or "") if form is not None and bound else "",
        "deadline_value": (form["deadline"].value() or "") if form is not None and bound else "",
        "nav": "rounds",
    }
    return render(request, "web/rounds.html", context)


# -- one round ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    entry: Entry
    state: EntryState
    value: str  # with its unit, or ""
    rating: Rating | None  # as the round's report would rate the value
    updated_by: str  # "" when nobody has saved it in the round
    people: EntryPeople  # its owners ("No owner" when none) and approvers


@dataclass(frozen=True)
class FrozenRow:
    """One entry as the round published it, and its figure now if restated since."""

    ref: str
    title: str
    period: str
    value: str
    rating: Rating | None
    target: str
    restated_value: str  # "" unless restated after publication
    restated_at: datetime | None


def entry_rows(entries: list[Entry]) -> list[EntryRow]:
    evaluations = services.previews([e for e in entries if has_figure(e)])
    people = people_of(entries)
    rows = []
    for entry in entries:
        found = evaluations.get(entry.pk)
        rating = found.rating if found else None
        rows.append(
            EntryRow(
                entry,
                entry.entry_state,
                entry.withheld_as or show_value(entry.value, entry.indicator),
                rating,
                entry.updated_by.get_username() if entry.updated_by else "",
                people[entry.pk],
            )
        )
    return rows


def frozen_rows(found: Round, entries: list[Entry]) -> list[FrozenRow]:
    """The snapshot's figures with their units, each beside its figure now
    when it has been restated since the round was published."""
    by_key = {(e.indicator_id, e.frequency, e.first_month): e for e in entries}
    frozen = snapshot_of(found).entries
    indicators = {e.indicator_id: e.indicator for e in entries}
    missing = {f.indicator_id for f in frozen} - set(indicators)
    indicators.update(Indicator.objects.in_bulk(missing))
    rows = []
    for item in frozen:
        indicator = indicators.get(item.indicator_id)
        if indicator is None:  # deleted from the register since
            continue
        now = by_key.get(item.key)
        restated = now is not None and now.restated_at is not None
        rows.append(
            FrozenRow(
                ref=item.ref,
                title=indicator.title,
                period=item.period,
                value=item.withheld_as or show_value(item.value, indicator),
                rating=item.rating,
                target=show_value(item.target, indicator),
                restated_value=(now.withheld_as or show_value(now.value, indicator))
                if now and restated
                else "",
                restated_at=now.restated_at if now and restated else None,
            )
        )
    return rows


def _state_filter(request: HttpRequest) -> EntryState | None:
    try:
        return EntryState(request.GET.get("state", ""))
    except ValueError:
        return None


def _round_page(
    request: HttpRequest, found: Round, problem: str = "", status: int = 200
) -> HttpResponse:
    entries = list(
        found.entries.select_related("indicator", "indicator__service", "updated_by", "round")
    )
    counts = Counter(entry.state for entry in entries)
    shown = _state_filter(request)
    listed = [e for e in entries if shown is None or e.entry_state is shown]
    context = {
        "round": found,
        "period": found.get_period(),
        "rows": entry_rows(listed),
        "counts": [StateCount(s, counts[s.value]) for s in STATES],
        "total": len(entries),
        "shown": shown,
        "frozen": frozen_rows(found, entries) if found.is_published else [],
        "published_by": _published_by(found),
        "problem": problem,
        "unowned": [] if found.is_published else unowned(entries),
        "can_publish": actor_of(request).is_admin and not found.is_published,
        "can_assign": actor_of(request).is_admin and not found.is_published,
        "seen": " ".join(f"{e.pk}:{e.version}" for e in entries),
        "action_rows": update_rows(found),
        "nav": "rounds",
    }
    return render(request, "web/round.html", context, status=status)


def _seen(text: str) -> dict[int, int] | None:
    """The entry versions a publish form carries ("12:3 13:1"), or None when
    the form carries none or they cannot be read."""
    seen: dict[int, int] = {}
    for pair in text.split()[:100_000]:
        entry, _, version = pair.partition(":")
        if not (entry.isascii() and entry.isdigit() and version.isascii() and version.isdigit()):
            return None
        if len(entry) > 18 or len(version) > 9:
            return None
        seen[int(entry)] = int(version)
    return seen if text.strip() else None


def _published_by(found: Round) -> str:
    if found.published_by is not None:
        return found.published_by.get_username()
    return snapshot_of(found).published_by


@staff_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Round.objects.select_related("opened_by", "published_by"), pk=pk)
    return _round_page(request, found)


@dataclass(frozen=True)
class Gap:
    """An entry that is not approved: missing (never started) or still being
    worked on, with the people who can put it right."""

    entry: Entry
    state: EntryState
    people: EntryPeople


@dataclass(frozen=True)
class Gaps:
    waiting: list[Gap]  # draft, submitted or returned: left out, with a reason
    missing: list[Gap]  # not started: published as missing, with a reason
    approved: int  # the figures publishing puts on the public pages

    @property
    def left_out(self) -> int:
        """Figures the publication leaves out, which call for a reason."""
        return len(self.waiting) + len(self.missing)


def gaps_of(entries: list[Entry]) -> Gaps:
    people = people_of(entries)
    rows = [Gap(e, e.entry_state, people[e.pk]) for e in entries]
    return Gaps(
        waiting=[g for g in rows if g.state in services.BLOCKING],
        missing=[g for g in rows if g.state is EntryState.NOT_STARTED],
        approved=sum(1 for g in rows if g.state is EntryState.APPROVED),
    )


def _publish_page(
    request: HttpRequest,
    found: Round,
    *,
    problem: str = "",
    errors: list[ErrorItem] | None = None,
    reason: str = "",
    status: int = 200,
    welsh_refused: bool = False,
) -> HttpResponse:
    entries = list(
        found.entries.select_related("indicator", "indicator__service", "round").order_by(
            "indicator__position", "indicator__ref", "first_month"
        )
    )
    gaps, actions = gaps_of(entries), update_rows(found)
    waiting = waiting_rows(actions)
    context = {
        "round": found,
        "period": found.get_period(),
        "gaps": gaps,
        "left_out": gaps.left_out + len(waiting),
        "action_rows": waiting,
        "actions_approved": sum(1 for r in actions if r.state is EntryState.APPROVED),
        "total": len(entries),
        "problem": problem,
        "errors": errors or [],
        "reason": reason,
        "seen": " ".join(f"{e.pk}:{e.version}" for e in entries),
        "seen_actions": seen_updates(found),
        "welsh_missing": welsh_missing(found),  # bilingual mode: what lacks its Welsh
        "welsh_refused": welsh_refused,
        "nav": "rounds",
    }
    return render(request, "web/round_publish.html", context, status=status)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publishing, confirmed: what is missing or not approved, with its owners,
    then the button; a reason is asked for when figures are missing. What
    stands in the way is shown on this page (409)."""
    actor = actor_of(request)
    actor.require_admin(gettext_noop("publish a round"))
    found = get_object_or_404(Round.objects.select_related("published_by"), pk=pk)
    if found.is_published:
        return redirect("web:round", pk=found.pk)
    if request.method != "POST":
        return _publish_page(request, found)
    reason = request.POST.get("reason", "")
    seen = _seen(request.POST.get("seen", ""))
    if seen is None:
        problem = _(
            "The form did not say which entries you were shown, so it cannot be checked "
            "against changes made since: nothing was published. Look at the round again."
        )
        return _publish_page(request, found, problem=problem, reason=reason, status=400)
    seen_actions = _seen(request.POST.get("seen_actions", ""))
    try:
        published = services.publish_round(
            actor, found.pk, seen=seen, reason=reason, seen_actions=seen_actions
        )
    except services.Invalid as refused:
        errors = [
            ErrorItem("id_reason", _sentence(_("Reason %(message)s") % {"message": m}))
            for m in refused.errors.values()
        ]
        return _publish_page(request, found, errors=errors, reason=reason, status=400)
    except WelshMissing:
        return _publish_page(request, found, reason=reason, status=409, welsh_refused=True)
    except (services.RoundChanged, services.RoundError) as refused:
        found.refresh_from_db()
        return _publish_page(
            request, found, problem=_sentence(str(refused)), reason=reason, status=409
        )
    count = len(snapshot_of(published).entries)
    updates = published.action_updates.filter(state=EntryState.PUBLISHED.value).count()
    figures = ngettext("%(count)d approved figure", "%(count)d approved figures", count) % {
        "count": count
    }
    if updates:
        also = ngettext(
            "%(count)d action and project update", "%(count)d action and project updates", updates
        ) % {"count": updates}
        said = _(
            "The round for %(period)s is published: %(figures)s and %(updates)s are now public."
        )
        said %= {"period": published.period, "figures": figures, "updates": also}
    elif count == 1:
        said = _("The round for %(period)s is published: %(figures)s is now public.")
        said %= {"period": published.period, "figures": figures}
    else:
        said = _("The round for %(period)s is published: %(figures)s are now public.")
        said %= {"period": published.period, "figures": figures}
    messages.success(request, said)
    return redirect("web:round", pk=published.pk)


# -- giving an entry an owner ------------------------------------------------------------


def _chosen(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else None


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_owner(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """A BI administrator picks the person who will own an entry's indicator."""
    actor = actor_of(request)
    actor.require_admin(gettext_noop("give an entry an owner"))
    entry = get_object_or_404(
        Entry.objects.select_related("indicator", "indicator__service", "round"),
        pk=entry_pk,
        round_id=pk,
    )
    typed = request.POST.get("owner", "") if request.method == "POST" else ""
    error = ""
    if request.method == "POST":
        try:
            _entry, user, created = assign_owner(actor, entry.pk, _chosen(typed))
        except services.Invalid as refused:
            error = _sentence(refused.errors.get("owner", _("choose a person")))
        else:
            ref = f"{entry.indicator.ref} {in_language(entry.indicator, 'title')}"
            said = (
                _("%(name)s now owns %(ref)s.") if created else _("%(name)s already owned %(ref)s.")
            )
            messages.success(request, said % {"name": display_name(user), "ref": ref})
            return redirect("web:round", pk=pk)
    context = {
        "entry": entry,
        "round": entry.round,
        "period": entry.round.get_period(),
        "people": people_of([entry])[entry.pk],
        "candidates": candidates(),
        "chosen": typed,
        "error": error,
        "nav": "rounds",
    }
    return render(request, "web/round_owner.html", context, status=400 if error else 200)
