"""What an import's writes share: the summary of what they did, and the
create-update-or-leave-alone of one row."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Summary:
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what a reader must know first

    def add(self, what: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(what, Counter())[outcome] += n

    def lines(self) -> list[str]:
        return [*self.notes] + [
            f"{what}: {c['created']} new, {c['updated']} changed, {c['unchanged']} unchanged"
            + (f", {c['removed']} removed" if c["removed"] else "")
            for what, c in self.counts.items()
        ]

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
