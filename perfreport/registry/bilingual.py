"""Content in the reader's language: a title, description, commentary or
progress note kept in English (``title``) and, for an organisation that
publishes bilingually, in Welsh beside it (``title_cy``).

A Welsh page shows the Welsh text where there is one and the English where
there is not yet; the English then carries ``lang="en-GB"`` so that a screen
reader reads it as English (WCAG 3.1.2, language of parts).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

WELSH = "cy"


def is_welsh(language: str | None = None) -> bool:
    return (language or translation.get_language() or "").startswith(WELSH)


class Text(str):
    """A piece of content and the language it is written in."""

    lang: str

    def __new__(cls, value: str, lang: str) -> Text:
        text = super().__new__(cls, value)
        text.lang = lang
        return text

    @property
    def is_fallback(self) -> bool:
        """English shown on a Welsh page for want of the Welsh."""
        return is_welsh() and self.lang != WELSH


def welsh_field(field: str) -> str:
    return f"{field}_{WELSH}"


def text(obj: Any, field: str, language: str | None = None) -> Text:
    """``obj.field`` in ``language`` (the active language by default): the
    Welsh (``field_cy``) when Welsh is asked for and written, else the English."""
    if is_welsh(language):
        welsh = getattr(obj, welsh_field(field), "") or ""
        if welsh.strip():
            return Text(welsh, WELSH)
    return Text(getattr(obj, field, "") or "", "en-GB")


def pick(english: str, welsh: str, language: str | None = None) -> Text:
    """The same choice for two strings already in hand (a published
    snapshot's, a row's)."""
    if is_welsh(language) and (welsh or "").strip():
        return Text(welsh, WELSH)
    return Text(english or "", "en-GB")
