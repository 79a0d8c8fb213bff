"""Telling the BI team: an email to every BI administrator when a feed's run
failed, refused rows or wrote suspect figures, listing them with a link to
the feed's page. A run that went cleanly sends nothing. An email that cannot
be sent is noted on the run (its page shows it), never raised: the figures
are already written."""

from __future__ import annotations

import logging
import smtplib

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.accounts.emails import sender, site_url
from perfreport.accounts.models import Role
from perfreport.feeds.models import FeedRun, RunOutcome

log = logging.getLogger(__name__)
LISTED = 50  # rows an email lists; the feed's page has the rest


def bi_administrators() -> list[str]:
    """The email addresses of the active BI administrators (superusers too)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    admins = users.filter(Q(is_superuser=True) | Q(role_grants__role=Role.ADMIN)).distinct()
    return sorted({user.email for user in admins})


def worth_telling(run: FeedRun) -> bool:
    return run.outcome != RunOutcome.OK or bool(run.counts.get("suspect"))


def tell_bi_team(run: FeedRun) -> bool:
    """Email the BI administrators about ``run`` if it needs their eyes; True when sent."""
    if not worth_telling(run):
        return False
    to = bi_administrators()
    if not to:
        return False
    message = EmailMessage(subject(run), body(run), sender(), to)
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        log.warning("feed %s: the email to the BI team was not sent: %s", run.feed.name, error)
        said = _("The email to the BI administrators was not sent: %(error)s") % {"error": error}
        run.problems = [*run.problems, said]
        run.save(update_fields=["problems"])
        return False
    return True


def subject(run: FeedRun) -> str:
    found = run.counts
    if run.outcome == RunOutcome.FAILED:
        return _("Feed %(name)s: failed") % {"name": run.feed.name}
    if run.outcome == RunOutcome.PROBLEMS:
        count = found.get("refused", 0)
        said = ngettext(
            "Feed %(name)s: %(count)s row refused", "Feed %(name)s: %(count)s rows refused", count
        )
    else:
        count = found.get("suspect", 0)
        said = ngettext(
            "Feed %(name)s: %(count)s suspect figure",
            "Feed %(name)s: %(count)s suspect figures",
            count,
        )
    return said % {"name": run.feed.name, "count": f"{count:,}"}


def body(run: FeedRun) -> str:
    link = site_url(reverse("web:feed", args=[run.feed_id]))
    at = timezone.localtime(run.started_at)
    lines = [
        _("The feed %(name)s ran at %(time)s on %(date)s, %(how)s.")
        % {
            "name": run.feed.name,
            "time": f"{at:%H:%M}",
            "date": date_format(at, "j F Y"),
            "how": run.how,
        },
        "",
        f"{run.outcome_text}. {run.summary}",
        "",
    ]
    lines += run.problems[:LISTED]
    flagged = [r for r in run.rows if r["outcome"] == "refused" or r["suspect"]][:LISTED]
    if flagged:
        lines += ["", _("Rows to look at:")]
    for row in flagged:
        said = (
            row["message"]
            if row["outcome"] == "refused"
            else _("suspect: %(findings)s") % {"findings": "; ".join(row["suspect"])}
        )
        lines.append(
            _("- %(where)s: indicator %(ref)s %(period)s (%(figure)s): %(said)s")
            % {
                "where": row["where"],
                "ref": row["ref"],
                "period": row["period"],
                "figure": row["after"],
                "said": said,
            }
        )
    lines += ["", _("The feed's page: %(link)s") % {"link": link}]
    return "\n".join(lines) + "\n"
