"""Sending the reports: each email claimed before it goes, so that none goes
twice, each recorded in the audit trail.

Every email is a ``Sending`` row, unique per (subscription, occasion,
address), inserted (claimed) and committed before the email is sent, as
``perfreport.rounds.reminders`` claims a reminder: the unique constraint lets
one run claim it, so a run retried, a duplicate run or two runs at once send
each email once. A sending whose email the mail server refused is marked
failed with the reason; the next run may claim it again (a conditional
update from failed, which one run wins). A run killed between claiming and
sending leaves the claim: that email is not sent, rather than sent twice,
and the history shows it as "Being sent".

The occasion is what makes an email new: the period sent ("period 2020/21
Q3"), whether the round's publication or the schedule sends it, so each
subscriber gets each period once; "Send now" sends again, its occasion
being its run ("run 12")."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.accounts.permissions import Actor
from perfreport.audit import trail as audit
from perfreport.core.periods import Period
from perfreport.distribution.documents import Choice, Document, make_document
from perfreport.distribution.emails import ReportEmail, attachment_limit
from perfreport.distribution.models import Delivery, Sending, SendingState, Subscription
from perfreport.distribution.recipients import Recipient, recipients_of
from perfreport.reports.service import ReportError

log = logging.getLogger(__name__)

SENDING = "sending"  # what the audit trail calls one


@dataclass
class Outcome:
    """What a run did, for its one-line summary."""

    period: Period | None = None
    sent: list[str] = field(default_factory=list)
    skipped: int = 0  # claimed by another run, or sent before
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, why)

    def summary(self) -> str:
        """ "Sent 3 emails for Quarter 3 2020/21; 1 already sent; 1 failed: a@b (why)"."""
        if self.period is None:
            return _("Nothing to send: no period has published figures yet")
        sent = len(self.sent)
        parts = [
            ngettext(
                "Sent %(count)s email for %(period)s", "Sent %(count)s emails for %(period)s", sent
            )
            % {"count": sent, "period": self.period.long_label}
        ]
        if self.skipped:
            said = _("%(count)s already sent or being sent")
            parts.append(said % {"count": self.skipped})
        if self.failed:
            listed = "; ".join(f"{to} ({why})" for to, why in self.failed)
            said = _("%(count)s failed: %(listed)s")
            parts.append(said % {"count": len(self.failed), "listed": listed})
        return "; ".join(parts)


def send_subscriptions(
    subscriptions: Iterable[Subscription],
    period: Period,
    occasion: str,
    *,
    actor: Actor,
    run_id: int | None = None,
    connection: BaseEmailBackend | None = None,
) -> Outcome:
    """Send ``period``'s report of each subscription to each of its
    recipients not yet sent it for ``occasion``."""
    outcome = Outcome(period)
    connection = connection or get_connection()
    documents = _Documents()
    try:
        for subscription in subscriptions:
            choice = Choice(
                subscription.report,
                subscription.directorate.name if subscription.directorate else "",
                period,
            )
            for recipient in recipients_of(subscription):
                claim = _claim(subscription, recipient, occasion, choice, run_id)
                if claim is None:
                    outcome.skipped += 1
                    continue
                _send(claim, subscription, recipient, choice, documents, connection, actor, outcome)
    finally:
        _close(connection)
    return outcome


def _close(connection: BaseEmailBackend) -> None:
    """Close the mail server's connection, whatever state it is in."""
    with contextlib.suppress(Exception):
        connection.close()


def _claim(
    subscription: Subscription,
    recipient: Recipient,
    occasion: str,
    choice: Choice,
    run_id: int | None,
) -> Sending | None:
    """The Sending this run claimed, committed; None when another run has
    claimed it or it was sent. Inserted in a savepoint: on PostgreSQL an
    insert that meets another transaction's uncommitted row waits for it,
    then fails if it committed; on SQLite one writer at a time holds the
    database. A failed sending is claimed again by a conditional update."""
    now = timezone.now()
    what = f"{choice.heading()} ({subscription.get_delivery_display()})"
    row = Sending(
        subscription=subscription,
        occasion=occasion,
        email=recipient.email,
        recipient=recipient.name,
        what=what[:300],
        period=choice.period.label,
        state=SendingState.CLAIMED,
        run_id=run_id,
        claimed_at=now,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            return row
        except IntegrityError:
            pass
        retried = Sending.objects.filter(
            subscription=subscription,
            occasion=occasion,
            email=recipient.email,
            state=SendingState.FAILED,
        ).update(state=SendingState.CLAIMED, run_id=run_id, claimed_at=now, error="")
    if not retried:
        return None
    return Sending.objects.get(subscription=subscription, occasion=occasion, email=recipient.email)


class _Documents:
    """Each report file made once a run, whoever it goes to (or the error
    that stopped it)."""

    def __init__(self) -> None:
        self.made: dict[tuple[Choice, str], Document | ReportError] = {}

    def get(self, choice: Choice, fmt: str) -> Document:
        key = (choice, fmt)
        if key not in self.made:
            try:
                self.made[key] = make_document(choice, fmt)
            except ReportError as error:
                self.made[key] = error
        found = self.made[key]
        if isinstance(found, ReportError):
            raise found
        return found


def _send(
    claim: Sending,
    subscription: Subscription,
    recipient: Recipient,
    choice: Choice,
    documents: _Documents,
    connection: BaseEmailBackend,
    actor: Actor,
    outcome: Outcome,
) -> None:
    try:
        email = _email(subscription, recipient, choice, documents)
        # Opened here and kept open for the run's next emails (a backend
        # closes a connection it opened itself after each call).
        connection.open()
        accepted = connection.send_messages([email.message(connection)])
        if not accepted:
            raise NotAccepted(_("the mail server did not accept the message"))
    except (OSError, ReportError) as error:  # smtplib's errors are OSErrors
        _close(connection)  # the next email starts afresh
        reason = _reason(error, connection)
        _finish(claim, actor, SendingState.FAILED, reason)
        outcome.failed.append((recipient.email, reason))
        log.warning("Could not send %s to %s: %r", claim.what, recipient.email, error)
        return
    except Exception:
        _finish(claim, actor, SendingState.FAILED, _("An unexpected error: see the log"))
        log.exception("Could not send %s to %s", claim.what, recipient.email)
        raise
    _finish(claim, actor, SendingState.SENT, linked=email.document is None)
    outcome.sent.append(recipient.email)


def _email(
    subscription: Subscription, recipient: Recipient, choice: Choice, documents: _Documents
) -> ReportEmail:
    """The email: the file attached when one is asked for and within the
    limit, else the link (saying why, when the file was too large)."""
    if subscription.delivery == Delivery.LINK:
        documents_wanted = None
    else:
        documents_wanted = documents.get(choice, subscription.delivery)
    if documents_wanted is not None and len(documents_wanted.content) > attachment_limit():
        return ReportEmail(
            subscription.pk, recipient, choice, None, too_large=len(documents_wanted.content)
        )
    return ReportEmail(subscription.pk, recipient, choice, documents_wanted)


def _finish(
    claim: Sending, actor: Actor, state: str, error: str = "", *, linked: bool = False
) -> None:
    """Record how the sending ended, and the sending in the audit trail, in
    one transaction."""
    now: datetime = timezone.now()
    with transaction.atomic():
        Sending.objects.filter(pk=claim.pk).update(
            state=state, error=error, linked=linked, finished_at=now
        )
        audit.record(
            actor,
            "send" if state == SendingState.SENT else "send failed",
            SENDING,
            claim.pk,
            period=claim.period,
            after={
                "to": claim.email,
                "report": claim.what,
                "occasion": claim.occasion,
                "state": state,
                **({"sent as": "link"} if linked else {}),
                **({"error": error} if error else {}),
            },
        )


class NotAccepted(OSError):
    """The mail backend sent nothing, without saying why."""


def _reason(error: BaseException, connection: BaseEmailBackend | None = None) -> str:
    """Why an email was not sent, in words for the BI team, naming the
    setting to check; the error itself goes to the log."""
    if isinstance(error, ReportError):
        return str(error)
    server = _server(connection)
    words = {"server": server}
    if isinstance(error, NotAccepted):
        return _("The mail server at %(server)s did not accept the message") % words
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return (
            _(
                "The mail server at %(server)s refused the user name or password: "
                "check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD"
            )
            % words
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return _(
            "The mail server at %(server)s refused the sender's address %(sender)s: "
            "check DEFAULT_FROM_EMAIL"
        ) % {**words, "sender": _text(error.sender)}
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _("The mail server at %(server)s refused the address") % words
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return (
            _(
                "The mail server at %(server)s closed the connection: check EMAIL_PORT and "
                "EMAIL_USE_TLS or EMAIL_USE_SSL"
            )
            % words
        )
    if isinstance(error, smtplib.SMTPResponseException):
        said = _text(error.smtp_error)
        return _(
            "The mail server at %(server)s refused the message (it answered %(code)s: %(said)s)"
        ) % {**words, "code": error.smtp_code, "said": said}
    if isinstance(error, ConnectionRefusedError):
        return (
            _(
                "The mail server at %(server)s refused the connection: "
                "check EMAIL_HOST and EMAIL_PORT, and that the server is running"
            )
            % words
        )
    if isinstance(error, socket.gaierror):
        return _("The mail server's name %(host)s was not found: check EMAIL_HOST") % {
            "host": server.rsplit(":", 1)[0]
        }
    if isinstance(error, TimeoutError):
        return (
            _(
                "The mail server at %(server)s did not answer in time: check EMAIL_HOST, EMAIL_PORT "
                "and EMAIL_TIMEOUT"
            )
            % words
        )
    if isinstance(error, ssl.SSLError):
        return (
            _(
                "The secure connection to the mail server at %(server)s failed: check EMAIL_PORT "
                "and EMAIL_USE_TLS or EMAIL_USE_SSL"
            )
            % words
        )
    if isinstance(error, smtplib.SMTPException):
        said = _("The mail server at %(server)s did not accept the message: %(error)s")
        return said % {**words, "error": _text(str(error))}
    text = getattr(error, "strerror", None) or str(error).strip()
    if text:
        said = _("Could not reach the mail server at %(server)s: %(error)s")
        return said % {**words, "error": _text(text)}
    return _("Could not reach the mail server at %(server)s") % words


def _server(connection: BaseEmailBackend | None) -> str:
    """HOST:PORT of the mail server, as the connection (else the settings) has it."""
    host = getattr(connection, "host", None) or settings.EMAIL_HOST
    port = getattr(connection, "port", None) or settings.EMAIL_PORT
    return f"{host}:{port}"


def _text(value: object) -> str:
    """A server's answer (bytes or text) as one short line."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())[:200]
