"""What an import's writes share: the summary of what they did, and the
create-update-or-leave-alone of one row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# What the summary's lines name, in the reader's language (the counts keep the English keys).
WHATS = (
    gettext_noop("organisations"),
    gettext_noop("schemes"),
    gettext_noop("groups"),
    gettext_noop("indicators"),
    gettext_noop("targets"),
    gettext_noop("values"),
    gettext_noop("commentary"),
    gettext_noop("round entries"),
    gettext_noop("plan items"),
    gettext_noop("actions"),
    gettext_noop("milestones"),
    gettext_noop("action updates"),
    gettext_noop("benchmark values"),
)


@dataclass
class Summary:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what a reader must know first

    def add(self, what: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(what, Counter())[outcome] += n

    def lines(self) -> list[str]:
        return [*self.notes] + [self._line(what, c) for what, c in self.counts.items()]

    @staticmethod
    def _line(what: str, counted: Counter[str]) -> str:
        said = (
            _("%(what)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged")
            if not counted["removed"]
            else _(
                "%(what)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged, "
                "%(removed)s removed"
            )
        )
        return said % {
            "what": _(what),
            "created": counted["created"],
            "updated": counted["updated"],
            "unchanged": counted["unchanged"],
            "removed": counted["removed"],
        }

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] + c["removed"] for c in self.counts.values())


def upsert(model: Any, stored: Any, identity: dict[str, Any], fields: dict[str, Any]) -> str:
    """Create, update or leave alone one row; say which ("created", "updated", "unchanged")."""
    if stored is None:
        model.objects.create(**identity, **fields)
        return "created"
    if differs(stored, fields):
        model.objects.filter(pk=stored.pk).update(**fields)
        return "updated"
    return "unchanged"


def differs(obj: Any, fields: dict[str, Any]) -> bool:
    return any(getattr(obj, name) != value for name, value in fields.items())
