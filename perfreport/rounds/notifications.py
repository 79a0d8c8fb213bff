"""Notifications by email, besides the reminders of deadlines: the owners of
an entry or action update when it is returned to them (with the approver's
reason, in one email listing both), and the
owners of a round's figures when the round is published. The approvers are
told of submitted figures by the approval reminder (``ReminderKind.APPROVAL``,
one email per approver and round listing every submission not yet told).

All of them are found here or in :mod:`perfreport.rounds.reminders` and sent
by ``perfreport remind`` (run from cron, every hour say): each is claimed in
``ReminderSent`` before it is sent, exactly as a reminder is, so none goes
twice, even when two runs overlap, and one the mail server refused is sent
by the next run. What makes a notification new work (its occasion):

- returned: the entry's (or update's) version when it was returned (a second
  return of the same entry, after it is submitted again, is told again);
- published: when the round was published. Only rounds published in the
  last ``PUBLISHED_WITHIN`` days are told of, so that the first run after an
  upgrade does not email everyone about every round published before.

Every email comes from the home organisation's ``email_from`` (else the
DEFAULT_FROM_EMAIL setting), names the period in words ("your figures for
Quarter 3 2020/21"), says how to sign in and whom to ask (the organisation's
``report_contact``), in plain text and HTML (:class:`Reminder.message`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from perfreport.core.workflow import EntryState
from perfreport.data.models import Round, RoundState
from perfreport.rounds.action_reminders import wanted_action_notifications
from perfreport.rounds.models import ReminderKind
from perfreport.rounds.reminders import (
    AnyItem,
    Item,
    Reminder,
    SendFailed,
    _entries,
    _grouped,
    _not_sent,
    _Owners,
    send_reminder,
)

__all__ = ["PUBLISHED_WITHIN", "find_notifications", "send_notifications", "send_soon"]

log = logging.getLogger(__name__)

PUBLISHED_WITHIN = timedelta(days=7)


def find_notifications(now: datetime) -> list[Reminder]:
    """Every notification not yet sent: one email per owner and round for
    the entries and action updates returned to them, and one per owner and round published
    within ``PUBLISHED_WITHIN`` of ``now`` listing their published figures.
    Inactive people are left out; people without an email address are not
    (the caller says so)."""
    owners = _Owners()
    wanted: list[tuple[Any, ReminderKind, AnyItem]] = []
    returned = _entries(Q(round__state=RoundState.OPEN, state=EntryState.RETURNED.value))
    for entry in returned:
        item = Item(entry, f"v{entry.version}")
        wanted += [(user, ReminderKind.RETURNED, item) for user in owners.of(entry)]
    wanted += wanted_action_notifications()
    recent = Round.objects.filter(
        state=RoundState.PUBLISHED, published_at__gte=now - PUBLISHED_WITHIN
    )
    published = _entries(Q(round__in=recent, state=EntryState.PUBLISHED.value))
    for entry in published:
        when = entry.round.published_at
        item = Item(entry, when.isoformat() if when else "")
        wanted += [(user, ReminderKind.PUBLISHED, item) for user in owners.of(entry)]
    return _grouped(_not_sent(wanted))


def send_soon() -> None:
    """Send the notifications now due once the caller's transaction commits:
    a returned figure's or action update's owner hears of it at once, not at the next run of
    ``perfreport remind``, which stays the retry for any the mail server
    refused. Each is claimed before it is sent, so none goes twice."""
    transaction.on_commit(send_notifications)


def send_notifications() -> int:
    """Send every notification not yet sent; the number sent. A failure is
    logged and left for the next run of ``perfreport remind``; it never
    undoes the change that caused the notification."""
    sent = 0
    try:
        connection = get_connection()
        for notification in find_notifications(timezone.now()):
            if not notification.user.email:
                continue  # remind names them
            try:
                sent += send_reminder(notification, connection) is not None
            except SendFailed as error:
                log.warning(
                    "Could not send %s: %s; remind will try again", notification.summary, error
                )
    except Exception:  # the figure is returned or published whatever happens here
        log.exception("Notifications were not sent; perfreport remind will send them")
    return sent
