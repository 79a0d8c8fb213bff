"""Reminders by email: owners whose entries (figures) and action updates are
due soon or overdue, and approvers with submitted ones waiting, each told
once, in one email per person, round and kind that lists both.

Every reminder about an entry or update is recorded in ``ReminderSent`` as
(person, entry or update, kind, occasion), and what has been recorded is
never sent again, so
``perfreport remind`` can run from cron every hour. The record is written
(the reminder claimed) and committed before the email is sent, and the
table's unique constraint lets only one run claim a reminder, so two runs
that overlap never send it twice; a claim whose email the mail server does
not accept is deleted again, so the next run sends it. The occasion is what
makes a reminder new work: for an owner, the round's deadline (a moved
deadline is reminded again); for an approver, the moment the entry was
submitted (a resubmission after a return is reminded again).

Owners and approvers are found from their role grants, as
:class:`~perfreport.accounts.permissions.Actor` decides who may edit and
sign off, but without administrators: they may do everything and would
otherwise be told about every entry. An action update's owners and approvers
are :mod:`perfreport.rounds.action_people`'s (the action's named owner and
the owners of the indicators it serves; approvers of its directorate).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.accounts.emails import sender, site_url
from perfreport.accounts.languages import in_language, language_of
from perfreport.accounts.models import Role, RoleGrant
from perfreport.core.units import format_value
from perfreport.core.workflow import EntryState
from perfreport.data.models import ActionUpdate, Entry, Round, RoundState, open_entries
from perfreport.data.selectors import home_organisation
from perfreport.registry.bilingual import text
from perfreport.rounds.models import ReminderKind, ReminderSent

__all__ = [
    "ActionItem",
    "Item",
    "Reminder",
    "SendFailed",
    "find_reminders",
    "send_reminder",
]


class SendFailed(Exception):
    """The email backend did not accept a reminder; its claim was deleted,
    so the next run tries again."""


@dataclass(frozen=True)
class Item:
    """One entry in a reminder, and the occasion it is reminded for."""

    entry: Entry
    occasion: str

    @property
    def about(self) -> tuple[str, int]:
        """What the claim is on, unlike any action item's."""
        return ("entry", self.entry.pk)

    @property
    def round(self) -> Round:
        return self.entry.round

    @property
    def link(self) -> str:
        return site_url(reverse("web:entry", args=[self.entry.pk]))

    @property
    def state_words(self) -> str:
        """The entry's state in the email's language ("Not started")."""
        return EntryState(self.entry.state).label

    @property
    def shown_value(self) -> str:
        """The entry's value with its unit ("72.5%"), or "" when it has none."""
        value, indicator = self.entry.value, self.entry.indicator
        return (
            "" if value is None else format_value(value, indicator.unit_format, indicator.decimals)
        )


@dataclass(frozen=True)
class ActionItem:
    """One action's or project's update in a reminder, and its occasion."""

    update: ActionUpdate
    occasion: str

    @property
    def about(self) -> tuple[str, int]:
        return ("action", self.update.pk)

    @property
    def round(self) -> Round:
        assert self.update.round is not None  # only updates in a round are reminded of
        return self.update.round

    @property
    def link(self) -> str:
        return site_url(reverse("web:action_update", args=[self.update.pk]))

    @property
    def state_words(self) -> str:
        """The update's state in the email's language."""
        return EntryState(self.update.state).label


AnyItem = Item | ActionItem


def _figures(n: int) -> str:
    return ngettext("%(n)s figure", "%(n)s figures", n) % {"n": n}


def _actions(n: int) -> str:
    return ngettext("%(n)s action", "%(n)s actions", n) % {"n": n}


@dataclass
class Reminder:
    """One email to one person about one round: the entries (figures) and
    action updates of one kind that they have not been reminded of yet."""

    user: Any
    kind: ReminderKind
    round: Round
    items: list[Item] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)

    @property
    def period_words(self) -> str:
        """The round's period as people say it: "Quarter 3 2020/21"."""
        return self.round.get_period().long_label

    @property
    def total(self) -> int:
        return len(self.items) + len(self.actions)

    @property
    def what(self) -> str:
        """ "figures", "actions" or "figures and actions", as the email lists."""
        if self.items and self.actions:
            return _("figures and actions")
        return _("figures") if self.items else _("actions") if self.actions else ""

    @property
    def count(self) -> str:
        """ "3 figures", "1 action", "3 figures and 1 action"."""
        figures, actions = len(self.items), len(self.actions)
        if figures and actions:
            return _("%(figures)s and %(actions)s") % {
                "figures": _figures(figures),
                "actions": _actions(actions),
            }
        return _actions(actions) if actions else _figures(figures)

    @property
    def summary(self) -> str:
        """What the email is about, for the command's output: "3 figures due
        by 15 January 2021"."""
        deadline = long_date(self.round.deadline)
        return {
            ReminderKind.DUE: f"{self.count} due by {deadline}",
            ReminderKind.OVERDUE: f"{self.count} overdue (due by {deadline})",
            ReminderKind.APPROVAL: f"{self.count} waiting for your approval",
            ReminderKind.RETURNED: f"{self.count} returned to you",
            ReminderKind.PUBLISHED: f"{self.count} published",
        }[ReminderKind(self.kind)]

    @property
    def subject(self) -> str:
        words = {
            "n": self.total,
            "period": self.period_words,
            "what": self.what,
            "What": self.what.capitalize(),
            "deadline": long_date(self.round.deadline),
        }
        return {
            ReminderKind.DUE: _("Your %(what)s for %(period)s: %(n)s due by %(deadline)s"),
            ReminderKind.OVERDUE: _(
                "Your %(what)s for %(period)s: %(n)s overdue (due by %(deadline)s)"
            ),
            ReminderKind.APPROVAL: _("%(What)s for %(period)s: %(n)s waiting for your approval"),
            ReminderKind.RETURNED: _("Your %(what)s for %(period)s: %(n)s returned to you"),
            ReminderKind.PUBLISHED: _("Your %(what)s for %(period)s are published"),
        }[ReminderKind(self.kind)] % words

    def context(self) -> dict[str, Any]:
        organisation = home_organisation()
        return {
            "name": self.user.get_full_name() or self.user.get_username(),
            "username": self.user.get_username(),
            "reminder": self,
            "round": self.round,
            "period": self.period_words,
            "deadline": long_date(self.round.deadline),
            "items": self.items,
            "actions": self.actions,
            "my_work": site_url(reverse("web:my_work")),
            "sign_in": site_url(reverse("web:login")),
            "reset": _optional_url("web:password_reset"),
            "contact": text(organisation, "report_contact") if organisation else "",
            "team": (text(organisation, "report_team") or text(organisation, "name"))
            if organisation
            else "",
        }

    def body(self) -> str:
        """The email as plain text."""
        text = render_to_string(f"rounds/email/{self.kind}.txt", self.context())
        # Template tags leave blank lines behind: at most one between paragraphs.
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def html(self) -> str:
        """The email as HTML, saying the same as the text."""
        return render_to_string(f"rounds/email/{self.kind}.html", self.context())

    def message(self, connection: BaseEmailBackend | None = None) -> EmailMessage:
        """The email, in the person's own language, its links to the pages
        in that language."""
        with in_language(language_of(self.user)):
            return self._message(connection)

    def _message(self, connection: BaseEmailBackend | None) -> EmailMessage:
        message = EmailMultiAlternatives(
            self.subject,
            self.body(),
            sender(),
            [self.user.email],
            connection=connection,
        )
        message.attach_alternative(self.html(), "text/html")
        return message


def _optional_url(name: str) -> str:
    """A page's full address, or "" when the site has no such page."""
    try:
        return site_url(reverse(name))
    except NoReverseMatch:
        return ""


def long_date(day: date) -> str:
    """15 January 2021 (no leading zero, as people write it; the month's
    name in the language active)."""
    return date_format(day, "j F Y")


# Finding what is due


def find_reminders(today: date, days: int) -> list[Reminder]:
    """Every reminder not yet sent: owners of open entries and action updates
    in open rounds whose deadline is within ``days`` of ``today`` (due) or
    has passed (overdue), and approvers of submitted ones. Inactive people
    are left out; people without an email address are not (the caller says
    so)."""
    # Imported here: action_people reads grants through this module.
    from perfreport.rounds.action_reminders import wanted_action_reminders

    rounds = list(
        Round.objects.filter(state=RoundState.OPEN, deadline__lte=today + timedelta(days))
    )
    entries = _entries(Q(round__in=rounds) & open_entries())
    owners = _Owners()
    wanted: list[tuple[Any, ReminderKind, AnyItem]] = []
    for entry in entries:
        kind = ReminderKind.DUE if entry.round.deadline >= today else ReminderKind.OVERDUE
        occasion = entry.round.deadline.isoformat()
        wanted += [(user, kind, Item(entry, occasion)) for user in owners.of(entry)]
    approvers = _Approvers()
    for entry in _entries(Q(round__state=RoundState.OPEN, state=EntryState.SUBMITTED.value)):
        occasion = entry.submitted_at.isoformat() if entry.submitted_at else ""
        item = Item(entry, occasion)
        wanted += [(user, ReminderKind.APPROVAL, item) for user in approvers.of(entry)]
    wanted += wanted_action_reminders(rounds, today)
    return _grouped(_not_sent(wanted))


def _entries(where: Q) -> list[Entry]:
    return list(
        Entry.objects.filter(where).select_related(
            "round", "indicator", "indicator__service", "submitted_by"
        )
    )


def _directorate_of(entry: Entry) -> int | None:
    indicator = entry.indicator
    if indicator.directorate_id is not None:
        return indicator.directorate_id
    return indicator.service.directorate_id if indicator.service is not None else None


class _Owners:
    """Who may edit an entry by an owner's grant: of its indicator, its
    service or its directorate (as ``Actor.can_edit`` decides), read once."""

    def __init__(self) -> None:
        self.by_indicator: dict[int, set[Any]] = defaultdict(set)
        self.by_service: dict[int, set[Any]] = defaultdict(set)
        self.by_directorate: dict[int, set[Any]] = defaultdict(set)
        for grant in _active_grants(Role.OWNER):
            if grant.indicator_id:
                self.by_indicator[grant.indicator_id].add(grant.user)
            elif grant.service_id:
                self.by_service[grant.service_id].add(grant.user)
            elif grant.directorate_id:
                self.by_directorate[grant.directorate_id].add(grant.user)

    def of(self, entry: Entry) -> set[Any]:
        indicator = entry.indicator
        found = set(self.by_indicator.get(indicator.pk, ()))
        if indicator.service_id is not None:
            found |= self.by_service.get(indicator.service_id, set())
        directorate = _directorate_of(entry)
        if directorate is not None:
            found |= self.by_directorate.get(directorate, set())
        return found


class _Approvers:
    """Who signs off an entry: approvers of its directorate and of every
    directorate, less the person who submitted it when self-approval is
    off (they could not approve it)."""

    def __init__(self) -> None:
        self.everywhere: set[Any] = set()
        self.by_directorate: dict[int, set[Any]] = defaultdict(set)
        for grant in _active_grants(Role.APPROVER):
            if grant.directorate_id is None:
                self.everywhere.add(grant.user)
            else:
                self.by_directorate[grant.directorate_id].add(grant.user)

    def of(self, entry: Entry) -> set[Any]:
        found = set(self.everywhere)
        directorate = _directorate_of(entry)
        if directorate is not None:
            found |= self.by_directorate.get(directorate, set())
        if not settings.PERFREPORT_ALLOW_SELF_APPROVAL:
            found = {user for user in found if user.pk != entry.submitted_by_id}
        return found


def _active_grants(role: str) -> Iterable[RoleGrant]:
    # One User object per person across grants, so that sets of users group
    # a person's grants together (model instances compare by primary key).
    return RoleGrant.objects.filter(role=role, user__is_active=True).select_related("user")


Wanted = list[tuple[Any, ReminderKind, AnyItem]]


def _not_sent(wanted: Wanted) -> Wanted:
    ids: dict[str, set[int]] = {"entry": set(), "action": set()}
    for _user, _kind, item in wanted:
        ids[item.about[0]].add(item.about[1])
    rows = ReminderSent.objects.filter(
        Q(entry_id__in=ids["entry"]) | Q(action_update_id__in=ids["action"])
    ).values_list("user_id", "entry_id", "action_update_id", "kind", "occasion")
    sent = {
        (user, ("entry", entry) if entry else ("action", update), kind, occasion)
        for user, entry, update, kind, occasion in rows
    }
    return [
        (user, kind, item)
        for user, kind, item in wanted
        if (user.pk, item.about, kind.value, item.occasion) not in sent
    ]


KIND_ORDER = [
    ReminderKind.RETURNED,
    ReminderKind.OVERDUE,
    ReminderKind.DUE,
    ReminderKind.APPROVAL,
    ReminderKind.PUBLISHED,
]


def _grouped(wanted: Wanted) -> list[Reminder]:
    """One reminder per person, round and kind, its entries in report order
    and then its action updates in plan order."""
    reminders: dict[tuple[int, int, ReminderKind], Reminder] = {}
    for user, kind, item in wanted:
        key = (user.pk, item.round.pk, kind)
        if key not in reminders:
            reminders[key] = Reminder(user, kind, item.round)
        if isinstance(item, ActionItem):
            reminders[key].actions.append(item)
        else:
            reminders[key].items.append(item)
    for reminder in reminders.values():
        reminder.items.sort(key=lambda i: (i.entry.indicator.position, i.entry.indicator.ref))
        reminder.actions.sort(key=lambda i: (i.update.action.position, i.update.action.ref))
    return sorted(
        reminders.values(),
        key=lambda r: (KIND_ORDER.index(r.kind), r.user.get_username(), r.round.deadline),
    )


# Sending


def send_reminder(reminder: Reminder, connection: BaseEmailBackend) -> Reminder | None:
    """Claim one reminder, then send it: the email that went out, or None
    when another run had claimed every entry and update in it (nothing is
    sent).

    The claim (its ``ReminderSent`` rows) is committed before the email is
    sent, and the email lists only what this run claimed, so a run
    that overlaps this one finds them taken and leaves them out. A reminder
    the backend did not accept (SMTP server down, recipient refused) raises
    ``SendFailed`` and its claim is deleted, so the next run sends it again;
    any other error in sending deletes the claim as well. A run killed
    between claiming and sending leaves the claim behind: that reminder is
    not sent, rather than sent twice."""
    claims = _claim(reminder)
    if not claims:
        return None
    mine = replace(
        reminder,
        items=[item for item in reminder.items if (item.about, item.occasion) in claims],
        actions=[item for item in reminder.actions if (item.about, item.occasion) in claims],
    )
    try:
        try:
            accepted = connection.send_messages([mine.message(connection)])
        except OSError as error:  # smtplib's errors and refused connections alike
            raise SendFailed(_reason(error)) from error
        if not accepted:
            raise SendFailed("the email backend did not accept the message")
    except Exception:
        ReminderSent.objects.filter(pk__in=claims.values()).delete()
        raise
    return mine


def _claim(reminder: Reminder) -> dict[tuple[tuple[str, int], str], int]:
    """Record the reminder's entries and updates as sent to its person, as
    far as no other run has: {(item.about, occasion): the ReminderSent row's
    id} for the rows this run wrote, committed when it returns (the command runs
    outside any transaction; inside one, the claim would wait for it).

    Each row is inserted on its own, in a savepoint, and the unique
    constraint on (user, entry, kind, occasion), or on (user, action_update,
    kind, occasion), decides who wins: an insert that breaks it raises
    IntegrityError, and that entry or update is another run's.
    This is correct on both databases. On PostgreSQL an insert that meets a
    row another transaction has inserted but not yet committed waits for
    that transaction, then fails if it committed (or succeeds if it rolled
    back); the savepoint is needed because an error there aborts the whole
    transaction, and rolling back to it keeps the rows already claimed. On
    SQLite one writer at a time holds the database (transactions begin
    IMMEDIATE), so the insert sees every claim committed before it.

    ``bulk_create(ignore_conflicts=True)`` would not do: it sets no primary
    keys and the database does not say which rows it skipped, and reading
    the rows back afterwards cannot tell this run's rows from another's. On
    PostgreSQL the other run's committed claim becomes visible to the next
    statement (READ COMMITTED), so both runs would read back the same rows
    and both would send them. The rows are inserted in one order (updates,
    then entries, each by id), the same in every run, so two runs claiming
    one email cannot deadlock."""
    claims: dict[tuple[tuple[str, int], str], int] = {}
    items: list[AnyItem] = [*reminder.items, *reminder.actions]
    with transaction.atomic():
        for item in sorted(items, key=lambda i: (i.about, i.occasion)):
            row = ReminderSent(user=reminder.user, kind=reminder.kind, occasion=item.occasion)
            if isinstance(item, Item):
                row.entry = item.entry
            else:
                row.action_update = item.update
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue  # another run has claimed (or sent) this one
            claims[(item.about, item.occasion)] = row.pk
    return claims


def _reason(error: OSError) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
