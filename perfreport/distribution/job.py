"""The "distribution" job: which subscriptions to send, for which period and
occasion, as the jobs registry runs it (from a schedule, on demand from the
Distribution page, or when a round is published).

Its params: ``target``, "all" or one subscription's id; ``round``, the id of
the round just published (its period is sent, to the subscriptions sent on
publication); ``again``, true for "Send now", which sends even what was sent
before for the period. Without ``round`` the latest published period is
sent (the newest quarter with published figures, as the public reports page
lists first)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perfreport.accounts.permissions import Actor
from perfreport.core.periods import Frequency, Period
from perfreport.data.models import Observation, Round, RoundState
from perfreport.data.selectors import home_organisation
from perfreport.distribution.models import Subscription
from perfreport.distribution.sending import Outcome, send_subscriptions
from perfreport.jobs.models import Trigger
from perfreport.jobs.registry import Job, JobContext, JobFailed, register
from perfreport.jobs.runs import enqueue
from perfreport.registry.periods import fy_start_month
from perfreport.rounds.signals import round_published

log = logging.getLogger(__name__)

NAME = "distribution"
LABEL = gettext_noop("Send reports to subscribers")


class NothingToSend(Exception):
    """A target that names no subscription, or a round not published."""


def latest_published_period() -> Period | None:
    """The newest quarter holding published figures of the home organisation."""
    values = Observation.objects.filter(organisation=home_organisation(), is_draft=False)
    last = values.order_by("-last_month").values_list("last_month", flat=True).first()
    if last is None:
        return None
    return Period(Frequency.MONTHLY, last, fy_start_month()).containing(Frequency.QUARTERLY)


def _subscriptions(params: dict[str, Any]) -> QuerySet[Subscription]:
    found = Subscription.objects.active().select_related("user", "directorate", "role_directorate")
    target = str(params.get("target", "all"))
    if target == "all":
        return found
    if not target.isdigit() or not found.filter(pk=int(target)).exists():
        said = _("there is no active subscription %(target)s to send")
        raise NothingToSend(said % {"target": repr(target)})
    return found.filter(pk=int(target))


def distribute(params: dict[str, Any], *, run_id: int | None, actor: Actor) -> Outcome:
    """Send what ``params`` asks for (see the module's docstring)."""
    subscriptions = _subscriptions(params)
    if params.get("round"):
        published = Round.objects.filter(pk=params["round"], state=RoundState.PUBLISHED).first()
        if published is None:
            said = _("round %(round)s is not published: nothing was sent")
            raise NothingToSend(said % {"round": params["round"]})
        period: Period | None = published.get_period()
        subscriptions = subscriptions.filter(on_publish=True)
    else:
        period = latest_published_period()
    if period is None:
        return Outcome()
    occasion = f"run {run_id}" if params.get("again") and run_id else f"period {period.label}"
    return send_subscriptions(list(subscriptions), period, occasion, actor=actor, run_id=run_id)


def targets() -> list[tuple[str, str]]:
    """The choices for a schedule's target: every subscription, or one."""
    found = Subscription.objects.active().select_related("user", "directorate", "role_directorate")
    return [("all", _("Every subscription")), *((str(s.pk), str(s)) for s in found)]


def run(context: JobContext) -> str:
    """The job: send, then say what was sent. Failed emails are recorded
    per address and make the run fail, naming them, so the Runs page shows
    them; those sent are not sent again when it is run again."""
    run_record = context.run
    requested = getattr(run_record, "requested_by", None)
    actor = Actor.of(requested) if requested is not None else Actor.command_line()
    try:
        outcome = distribute(context.params, run_id=run_record.pk, actor=actor)
    except NothingToSend as error:
        raise JobFailed(_sentence(str(error))) from None
    if outcome.failed:
        raise JobFailed(outcome.summary())
    return outcome.summary()


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def send_on_publication(sender: Any, round: Round, **kwargs: Any) -> None:
    """When a round is published: queue a run sending its period to every
    subscription sent on publication (none: nothing is queued)."""
    if not Subscription.objects.active().filter(on_publish=True).exists():
        return
    try:
        enqueue(NAME, {"target": "all", "round": round.pk}, trigger=Trigger.EVENT)
    except Exception:  # the round is published whatever happens here
        log.exception("The reports of round %s were not queued for sending", round.pk)


def register_job() -> None:
    register(
        Job(
            name=NAME,
            label=LABEL,
            run=run,
            targets=targets,
            target_label=gettext_noop("subscription"),
        )
    )
    round_published.connect(send_on_publication, dispatch_uid="distribution.on_publication")
