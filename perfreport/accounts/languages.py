"""Each person's language: the one their emails are written in.

``language_of`` reads it (the site's LANGUAGE_CODE for someone who never
chose); ``language_set`` saves it with one conditional UPDATE, so a page
that saves the language it is read in writes nothing when it has not
changed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from perfreport.accounts.models import LanguagePreference

__all__ = ["in_language", "known_language", "language_of", "language_set"]


def known_language(language: str | None) -> str | None:
    """``language`` when the site offers it ("en-gb", "cy"), else None."""
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else None


def language_of(user: Any) -> str:
    """The language ``user``'s emails are written in."""
    if user is None or not getattr(user, "pk", None):
        return str(settings.LANGUAGE_CODE)
    chosen = (
        LanguagePreference.objects.filter(user_id=user.pk)
        .values_list("language", flat=True)
        .first()
    )
    return known_language(chosen) or str(settings.LANGUAGE_CODE)


def language_set(user: Any, language: str) -> bool:
    """Save ``language`` as ``user``'s; whether it changed."""
    language = known_language(language) or str(settings.LANGUAGE_CODE)
    rows = LanguagePreference.objects.filter(user_id=user.pk)
    if rows.exclude(language=language).update(language=language):
        return True
    if language == settings.LANGUAGE_CODE:  # no row says the same
        return False
    _row, created = LanguagePreference.objects.get_or_create(
        user_id=user.pk, defaults={"language": language}
    )
    return created


def in_language(language: str) -> Any:
    """``with in_language(language_of(user)):`` renders an email in it."""
    return translation.override(known_language(language) or settings.LANGUAGE_CODE)
