"""The one rule for text that enters perfreport, and how text leaves it safely.

Text that enters (a form, the API, an import, the admin) may hold tab and new
line and any printable Unicode; a carriage return before a new line (Windows'
CRLF) becomes a plain new line. Any other control character is refused:
nothing a person types needs one, and the PDF, Word and Excel writers cannot
hold them. Text already stored is made printable by :func:`printable` before
it is rendered, so a stored control character never stops a report.

Spreadsheet cells follow OWASP's guidance on CSV injection: text starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return is a formula to Excel, so a
CSV cell gets one leading ``'`` (:func:`csv_cell`) which the import takes off
again (:func:`unguard`); a number stays a number.

>>> checked_text("Better than\\r\\nlast year", limit=100)
'Better than\\nlast year'
>>> checked_text("a\\x0bb")
Traceback (most recent call last):
...
perfreport.core.text.TextError: holds a control character (U+000B) at character 2, which cannot be stored: remove it (only tab and new line are allowed)
>>> csv_cell("=HYPERLINK(1)"), csv_cell("-5.2"), unguard("'=HYPERLINK(1)")
("'=HYPERLINK(1)", '-5.2', '=HYPERLINK(1)')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from perfreport.core.i18n import _

__all__ = [
    "COMMENTARY_LIMIT",
    "TextError",
    "checked_text",
    "csv_cell",
    "csv_record",
    "csv_row",
    "needs_guard",
    "printable",
    "unguard",
]

COMMENTARY_LIMIT = 20_000  # commentary and actions, in characters: about eight pages

# Refused on entry: C0 and C1 controls but tab and new line, DEL, lone
# surrogates (JSON can spell them) and the two XML non-characters.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Soft breaks that Word and older systems use for a new line.
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_TRIGGERS = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


class TextError(ValueError):
    """Text that breaks the rule; the caller names the field, row or column."""


def checked_text(text: str, *, limit: int | None = None) -> str:
    """``text`` with CRLF as a new line, or :class:`TextError` when it holds a
    control character other than tab and new line, or is longer than ``limit``.

    >>> checked_text("x" * 5, limit=4)
    Traceback (most recent call last):
    ...
    perfreport.core.text.TextError: is 5 characters long; at most 4 are kept
    """
    text = text.replace("\r\n", "\n")
    found = _REFUSED.search(text)
    if found is not None:
        said = (
            _(
                "holds a null character (U+%(code)s) at character %(at)s, which cannot be "
                "stored: remove it (only tab and new line are allowed)"
            )
            if found.group() == "\x00"
            else _(
                "holds a control character (U+%(code)s) at character %(at)s, which cannot be "
                "stored: remove it (only tab and new line are allowed)"
            )
        )
        raise TextError(said % {"code": f"{ord(found.group()):04X}", "at": found.start() + 1})
    if limit is not None and len(text) > limit:
        said = _("is %(length)s characters long; at most %(most)s are kept")
        raise TextError(said % {"length": len(text), "most": limit})
    return text


def printable(text: str) -> str:
    """``text`` as every renderer can hold it: line breaks of any kind become a
    new line; other control characters are dropped.

    >>> printable("one\\x0btwo\\x01")
    'one\\ntwo'
    """
    return _REFUSED.sub("", _BREAKS.sub("\n", text))


def escaped(text: str) -> str:
    """``text`` safe to print on a terminal: each control character (an
    escape sequence's ESC among them) shown as its Python escape, so a file's
    bytes can neither recolour nor rewrite the screen; tab and newline kept.

    >>> escaped("ref\x1b[31m")
    'ref\\x1b[31m'
    """
    return _REFUSED.sub(lambda match: repr(match.group())[1:-1], text)


def needs_guard(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (OWASP: it
    starts with ``= + - @``, tab or carriage return) and it is not a plain
    number; leading quotes before such a start count too, so that
    :func:`unguard` gives back exactly what was written.

    >>> needs_guard("-5"), needs_guard("-fewer"), needs_guard("'=A1"), needs_guard("'ok")
    (False, True, True, False)
    """
    start = text.lstrip("'")[:1]
    return start in _TRIGGERS and start != "" and not _NUMBER.fullmatch(text)


def csv_cell(value: object) -> object:
    """A value as a CSV cell: text that would be a formula gets one leading
    quote (and is made printable); numbers and other values are unchanged."""
    if not isinstance(value, str):
        return value
    value = printable(value)
    return "'" + value if needs_guard(value) else value


def csv_row(values: Iterable[object]) -> list[object]:
    """A row for ``csv.writer``, each cell as :func:`csv_cell`."""
    return [csv_cell(value) for value in values]


def csv_record(record: Mapping[str, object]) -> dict[str, object]:
    """A record for ``csv.DictWriter``, each cell as :func:`csv_cell`."""
    return {name: csv_cell(value) for name, value in record.items()}


def unguard(text: str) -> str:
    """A CSV cell as it was before :func:`csv_cell`: the one leading quote
    taken off where it guards a formula start.

    >>> unguard("'=1+2"), unguard("''=1"), unguard("'quoted'")
    ('=1+2', "'=1", "'quoted'")
    """
    return text[1:] if text[:1] == "'" and needs_guard(text[1:]) else text
