"""The emails about a person's account: the invitation to set a password and
the link to reset a forgotten one. Both come from the home organisation's
address (``Organisation.email_from``, or the DEFAULT_FROM_EMAIL setting), name
the BI team's contact and say when their link stops working."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfreport.accounts.languages import in_language, language_of
from perfreport.accounts.signin import password_signin_allowed
from perfreport.registry.bilingual import text
from perfreport.registry.models import Organisation


def sender() -> str:
    """The address perfreport's emails come from."""
    home = Organisation.objects.filter(is_home=True).only("email_from").first()
    return (home.email_from if home else "") or settings.DEFAULT_FROM_EMAIL


def site_url(path: str) -> str:
    """``path`` on the site as its users reach it (PERFREPORT_SITE_URL)."""
    return settings.PERFREPORT_SITE_URL.rstrip("/") + path


def expiry_words(seconds: int) -> str:
    """How long a link lasts, as a person says it.

    >>> expiry_words(259200), expiry_words(86400), expiry_words(7200), expiry_words(900)
    ('3 days', '1 day', '2 hours', '15 minutes')
    """
    for size in (86400, 3600, 60):
        if (seconds >= size and seconds % size == 0) or size == 60:
            count = max(1, seconds // size)
            return _UNITS[size](count) % {"count": count}
    raise AssertionError("unreachable")


_UNITS = {
    86400: lambda n: ngettext("%(count)s day", "%(count)s days", n),
    3600: lambda n: ngettext("%(count)s hour", "%(count)s hours", n),
    60: lambda n: ngettext("%(count)s minute", "%(count)s minutes", n),
}


def long_time(moment: datetime) -> str:
    """15 January 2021 at 14:30 (in the site's time zone)."""
    local = timezone.localtime(moment)
    day = date_format(local, "j F Y")
    return _("%(day)s at %(time)s") % {"day": day, "time": f"{local:%H:%M}"}


def account_context() -> dict[str, Any]:
    """What every account email says besides its link: who it is from, how to
    sign in and whom to ask; and when a link made now stops working."""
    home = Organisation.objects.filter(is_home=True).first()
    timeout = int(settings.PASSWORD_RESET_TIMEOUT)
    return {
        "organisation": home.name if home else "",
        "contact": text(home, "report_contact") if home else "",
        "sign_in_url": site_url(reverse("web:login")),
        "reset_url": site_url(reverse("web:password_reset")),
        "expires_in": expiry_words(timeout),
        "expires_at": long_time(timezone.now() + timedelta(seconds=timeout)),
    }


@dataclass(frozen=True)
class AccountEmail:
    """An email of ``kind`` (its templates: accounts/email/<kind>.txt, .html
    and _subject.txt) to one person, in their ``language`` (build its
    context in it too: the links then lead to the pages in it)."""

    kind: str
    to: str
    context: dict[str, Any]
    language: str = settings.LANGUAGE_CODE

    def message(self) -> EmailMultiAlternatives:
        with in_language(self.language):
            return self._message()

    def _message(self) -> EmailMultiAlternatives:
        template = f"accounts/email/{self.kind}"
        subject = render_to_string(f"{template}_subject.txt", self.context)
        rendered = render_to_string(f"{template}.txt", self.context)
        text = re.sub(r"\n{3,}", "\n\n", rendered).strip() + "\n"  # blank lines tags leave
        message = EmailMultiAlternatives(" ".join(subject.split()), text, sender(), [self.to])
        message.attach_alternative(render_to_string(f"{template}.html", self.context), "text/html")
        return message


def set_password_link(user: Any, route: str = "web:welcome") -> str:
    """A link that lets ``user`` choose a password, once, until
    PASSWORD_RESET_TIMEOUT has passed (Django's password-reset token: it stops
    working as soon as the password changes or the person signs in)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url(reverse(route, args=[uid, token]))


def invitation(user: Any, invited_by: str) -> AccountEmail:
    """The invitation to a new person: what perfreport is for them, the link
    to choose a password, their username and whom to ask. Where they may not
    sign in with a password (single sign-on only), it offers no password and
    tells them to sign in with their organisation's account instead."""
    by_password = password_signin_allowed(user)
    language = language_of(user)
    with in_language(language):
        context = {
            **account_context(),
            "name": user.get_full_name() or user.get_username(),
            "username": user.get_username(),
            "invited_by": invited_by,
            "link": set_password_link(user) if by_password else "",
            "provider": "" if by_password else settings.PERFREPORT_OIDC_PROVIDER_NAME,
        }
    return AccountEmail("invitation", user.email, context, language)
