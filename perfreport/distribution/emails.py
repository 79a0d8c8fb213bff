"""The email that carries a report: plain text and HTML saying the same, the
report attached (the PDF is the tagged PDF/UA report) or linked, and a link
to unsubscribe that needs no sign-in.

The unsubscribe link carries a signed token naming the subscription and the
address (``unsubscribe_token``); it opens a page that asks, and only its
POST ends the subscription, because mail clients and scanners fetch links
in emails on their own. The same address is in the ``List-Unsubscribe``
header with ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058),
so a mail client's own unsubscribe button POSTs to it.

A person's email is in their own language (``accounts.languages``); an
email to an outside address (a committee clerk) is in Welsh then English
when the organisation publishes in both (``Organisation.bilingual``), else in
English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from perfreport.accounts.emails import sender, site_url
from perfreport.accounts.languages import in_language, language_of
from perfreport.data.selectors import home_organisation
from perfreport.distribution.documents import Choice, Document
from perfreport.distribution.recipients import Recipient
from perfreport.registry.bilingual import text

SALT = "perfreport.distribution.unsubscribe"


def unsubscribe_token(subscription_id: int, email: str) -> str:
    return signing.dumps({"s": subscription_id, "e": email.lower()}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(subscription id, address), or None for a token that is not ours."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        return None
    return data["s"], str(data.get("e", ""))


def unsubscribe_url(subscription_id: int, email: str) -> str:
    token = unsubscribe_token(subscription_id, email)
    return site_url(reverse("web:unsubscribe", args=[token]))


def attachment_limit() -> int:
    """The largest file attached, in bytes; a larger one is sent as a link."""
    return int(settings.PERFREPORT_DISTRIBUTION_ATTACH_MB) * 1_000_000


def size_words(size: int) -> str:
    """A file's size as people read it: "812 bytes", "2.4 MB"."""
    if size < 1000:
        return _("%(size)s bytes") % {"size": size}
    if size < 1_000_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


def languages_for(recipient: Recipient) -> tuple[str, ...]:
    """The languages of the email to ``recipient``, in order: a person's
    own; for an outside address, Welsh then English when the organisation
    publishes in both, else the site's language."""
    if recipient.user is not None:
        return (language_of(recipient.user),)
    home = home_organisation()
    if home is not None and getattr(home, "bilingual", False):
        return ("cy", "en-gb")
    return (str(settings.LANGUAGE_CODE),)


@dataclass(frozen=True)
class ReportEmail:
    """One report to one recipient: with ``document`` attached, or with
    ``link`` only (``too_large`` when a file was made but not attached)."""

    subscription_id: int
    recipient: Recipient
    choice: Choice
    document: Document | None
    too_large: int = 0  # the size of a file too large to attach, in bytes

    @property
    def organisation(self) -> str:
        home = home_organisation()
        return home.name if home else ""

    @property
    def period_words(self) -> str:
        return self.choice.period.long_label

    @property
    def subject(self) -> str:
        """ "Example Council: Exception pack of the Performance report, Quarter 3 2020/21"."""
        said = self.choice.heading()
        return f"{self.organisation}: {said}" if self.organisation else said

    @property
    def format_words(self) -> str:
        if self.document is None:
            return _("link")
        return _("Word document") if self.document.name.endswith(".docx") else "PDF"

    def context(self) -> dict[str, Any]:
        home = home_organisation()
        return {
            "email": self,
            "name": self.recipient.name,
            "report": self.choice.words(),
            "period": self.period_words,
            "organisation": self.organisation,
            "document": self.document,
            "too_large": size_words(self.too_large) if self.too_large else "",
            "limit": size_words(attachment_limit()),
            "link": self.choice.link(),
            "reports_page": site_url(reverse("web:public_reports")),
            "unsubscribe": unsubscribe_url(self.subscription_id, self.recipient.email),
            "mine": site_url(reverse("web:my_subscriptions")) if self.recipient.user else "",
            "contact": text(home, "report_contact") if home else "",
            "team": (text(home, "report_team") or text(home, "name")) if home else "",
        }

    def _parts(self) -> list[_Part]:
        """The email in each of the recipient's languages, in order."""
        parts = []
        for language in languages_for(self.recipient):
            with in_language(language):
                context = self.context()
                rendered = render_to_string("distribution/email/report.txt", context)
                parts.append(
                    _Part(
                        lang="cy" if language == "cy" else "en-GB",
                        subject=self.subject,
                        text=re.sub(r"\n{3,}", "\n\n", str(rendered)).strip() + "\n",
                        html=render_to_string("distribution/email/report_body.html", context),
                        unsubscribe=context["unsubscribe"],
                    )
                )
        return parts

    def message(self, connection: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
        parts = self._parts()
        subject = " / ".join(part.subject for part in parts)
        headers = {
            "List-Unsubscribe": f"<{parts[-1].unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        message = EmailMultiAlternatives(
            subject,
            "\n----------\n\n".join(part.text for part in parts),
            sender(),
            [self.recipient.email],
            connection=connection,
            headers=headers,
        )
        html = render_to_string(
            "distribution/email/report.html", {"subject": subject, "parts": parts}
        )
        message.attach_alternative(html, "text/html")
        if self.document is not None:
            message.attach(self.document.name, self.document.content, self.document.media_type)
        return message


@dataclass(frozen=True)
class _Part:
    """The email in one language."""

    lang: str  # as <html lang> says it
    subject: str
    text: str
    html: str
    unsubscribe: str
