"""The language a report is written in: English, Welsh, or both.

A report is built and rendered with its language active (``in_language``),
so that every marked word (gettext) and every piece of content
(``registry.bilingual.text``) comes out in it. A bilingual report is the
Welsh report followed by the English one, in one document (docs/reports.md
says why): its parts are two contexts, built one after the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import gettext_lazy

ENGLISH, WELSH, BOTH = "en", "cy", "both"
LANGUAGES = (ENGLISH, WELSH, BOTH)
LANGUAGE_NAMES = {
    # A language's own name, in every language (and marked with its lang).
    ENGLISH: "English",
    WELSH: "Cymraeg",
    BOTH: gettext_lazy("Welsh and English"),
}
# Django's language codes (settings.LANGUAGES) and the tags documents carry.
DJANGO_CODES = {ENGLISH: "en-gb", WELSH: "cy"}
TAGS = {ENGLISH: "en-GB", WELSH: "cy"}


class LanguageError(ValueError):
    pass


def read_language(text: str | None) -> str:
    """``en``, ``cy`` or ``both`` from what a user typed (``EN``, ``en-GB``, ``Cymraeg``...)."""
    word = (text or ENGLISH).strip().lower()
    aliases = {"en-gb": ENGLISH, "english": ENGLISH, "cymraeg": WELSH, "welsh": WELSH,
               "cy-gb": WELSH, "bilingual": BOTH}  # fmt: skip
    word = aliases.get(word, word)
    if word not in LANGUAGES:
        raise LanguageError(f"there is no report language {text!r}: choose en, cy or both")
    return word


def parts(language: str) -> tuple[str, ...]:
    """The languages of a report's parts, in order: Welsh first."""
    return (WELSH, ENGLISH) if language == BOTH else (language,)


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """``language`` (``en`` or ``cy``) active for the words inside."""
    with translation.override(DJANGO_CODES.get(language, "en-gb")):
        yield


def tag(language: str) -> str:
    """The document's language tag: ``cy`` or ``en-GB``."""
    return TAGS.get(language, TAGS[ENGLISH])
