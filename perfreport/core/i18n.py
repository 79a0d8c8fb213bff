"""Words in the reader's language, without Django.

The core builds sentences (period names, the Key's wording, ratings,
data-quality findings) but knows nothing of Django or of where catalogues
live. It marks each user-facing string with ``_`` (or ``ngettext`` and
``pgettext``) from here; the application installs Django's translation
functions when it starts (``perfreport.registry.apps``), so that the string
comes out in the language active for the request, the report or the command.
Until then, and in the core's own tests, the functions return the English.

Strings built at import time (a module-level table of names) are marked with
``N_`` so that ``makemessages`` finds them, and passed through ``_`` where
they are used, when a language is active.
"""

from __future__ import annotations

from collections.abc import Callable

_gettext: Callable[[str], str] = lambda message: message  # noqa: E731
_ngettext: Callable[[str, str, int], str] = lambda singular, plural, n: (  # noqa: E731
    singular if n == 1 else plural
)
_pgettext: Callable[[str, str], str] = lambda context, message: message  # noqa: E731
_get_language: Callable[[], str] = lambda: "en"  # noqa: E731


def install(
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
    pgettext: Callable[[str, str], str],
    get_language: Callable[[], str | None],
) -> None:
    """Use these functions from now on (the application calls this once)."""
    global _gettext, _ngettext, _pgettext, _get_language
    _gettext, _ngettext, _pgettext = gettext, ngettext, pgettext
    _get_language = lambda: get_language() or "en"  # noqa: E731


def _(message: str) -> str:
    """``message`` in the active language."""
    return _gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` in the active language (Welsh has four)."""
    return _ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the active language, told apart by ``context`` from
    the same English word used in another sense ("Target" the value, "Target"
    the column)."""
    return _pgettext(context, message)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it now."""
    return message


def language() -> str:
    """The active language's code: ``en-gb``, ``cy``."""
    return _get_language()


def is_welsh() -> bool:
    return language().startswith("cy")
