"""One error model for every layer: each error says what *kind* of failure
it is, and each transport maps the kind once (the pages and the API to an
HTTP status, the command line to an exit status), so that the same refusal
reads the same everywhere.

>>> error = Invalid({"value": "is empty"})
>>> error.kind, str(error)
(<Kind.INVALID: 'invalid'>, 'value: is empty')
>>> Refused("the round is published").kind
<Kind.REFUSED: 'refused'>
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

__all__ = ["Invalid", "Kind", "PerfreportError", "Refused", "Stale"]


class Kind(StrEnum):
    INVALID = "invalid"  # the input cannot be accepted (a field, a row, a setting)
    NOT_ALLOWED = "not_allowed"  # the person's role does not allow it
    NOT_FOUND = "not_found"  # what was named does not exist
    STALE = "stale"  # made against a version someone has changed since
    REFUSED = "refused"  # the state of things does not allow it now (a published round)


class PerfreportError(Exception):
    """The base of every error perfreport explains to a person."""

    kind: ClassVar[Kind] = Kind.INVALID


class Invalid(PerfreportError, ValueError):
    """Input that cannot be accepted: a message for each field."""

    kind = Kind.INVALID

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)

    @classmethod
    def one(cls, field: str, message: str) -> Invalid:
        return cls({field: message})


class Refused(PerfreportError, ValueError):
    """A step the state of things does not allow; the message says what
    stands in the way and what to do instead."""

    kind = Kind.REFUSED


class Stale(PerfreportError):
    """A change made against a version that is no longer current: nothing was
    written. Subclasses carry what changed in between."""

    kind = Kind.STALE
