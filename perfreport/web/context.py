"""What every page's layout needs: the organisation's name and who is signed in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from perfreport.accounts.permissions import Actor
from perfreport.data.evaluations import kept
from perfreport.registry.models import Organisation


def _home_name() -> str:
    return Organisation.objects.filter(is_home=True).values_list("name", flat=True).first() or ""


def site(request: HttpRequest) -> dict[str, Any]:
    home = kept(("site-organisation",), False, _home_name)
    actor = Actor.of(getattr(request, "user", None))
    return {
        "site_organisation": home or "",
        # May see the internal pages: signed in, with a role.
        "site_is_staff": actor.can_view_internal,
        "site_signed_in": actor.user is not None,
        # Signed in by single sign-on only: perfreport keeps no password of theirs.
        "site_has_password": actor.user is not None and actor.user.has_usable_password(),
        "site_actor": actor,
    }


def languages(request: HttpRequest) -> dict[str, Any]:
    """The page's language for ``<html lang>``, and the same page in the
    other language for the switch every page carries."""
    from django.conf import settings
    from django.utils import translation

    current = translation.get_language() or settings.LANGUAGE_CODE
    welsh = current.startswith("cy")
    other = settings.LANGUAGE_CODE if welsh else "cy"
    return {
        "page_lang": "cy" if welsh else "en-GB",
        "page_is_welsh": welsh,
        "other_lang": "en-GB" if welsh else "cy",
        "other_lang_name": "English" if welsh else "Cymraeg",
        "other_lang_url": _other_language_url(request.get_full_path(), other, welsh),
    }


def _other_language_url(path: str, other: str, welsh: bool) -> str:
    """The same address in the other language; for an address no page has
    (a 404), which ``translate_url`` gives back unchanged, the same address
    with /cy/ taken off or put on."""
    from django.urls import translate_url

    url = translate_url(path, other)
    if url != path:
        return url
    if welsh:
        return path[len("/cy") :] if path.startswith("/cy/") else path
    return "/cy" + path
