"""What a bilingual publication still lacks in Welsh (issue 17).

An organisation that publishes in Welsh and English (``Organisation.bilingual``)
must not publish a Welsh page less complete than the English one (the Welsh
Language Standards (No. 1) Regulations 2015: Welsh no less favourably): a round is
published only when every text that would become public and is written in
English is written in Welsh too. The rule, for each text:

    missing = the English is written and the Welsh is not

so a commentary left empty in English needs no Welsh, and a report title left
empty (the default, which perfreport translates itself) needs none either.

>>> from perfreport.core.periods import parse_period
>>> texts = [
...     Text("indicator", "184", "title", "Children in care", "Plant mewn gofal"),
...     Text("commentary", "184", "commentary", "Up on last quarter", "", parse_period("2020-12")),
...     Text("commentary", "184", "actions", "", ""),
... ]
>>> [m.sentence for m in missing_welsh(texts)]
['Indicator 184, December 2020: the commentary has no Welsh']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from perfreport.core.errors import Refused
from perfreport.core.i18n import N_, _, ngettext
from perfreport.core.periods import Period, in_words

__all__ = ["Missing", "Text", "WelshMissing", "missing_welsh"]

# What each missing text is called, by (kind, field); %(ref)s and %(period)s
# are filled in where the sentence is said.
SENTENCES = {
    ("indicator", "title"): N_("Indicator %(ref)s: its title has no Welsh"),
    ("commentary", "commentary"): N_("Indicator %(ref)s, %(period)s: the commentary has no Welsh"),
    ("commentary", "actions"): N_("Indicator %(ref)s, %(period)s: the actions have no Welsh"),
    ("plan item", "title"): N_("Plan item %(ref)s: its title has no Welsh"),
    ("action", "title"): N_("Action or project %(ref)s: its title has no Welsh"),
    ("action update", "progress"): N_(
        "Action or project %(ref)s, %(period)s: the progress note has no Welsh"
    ),
    ("report", "title"): N_("The reports' title has no Welsh"),
}
UNKNOWN = N_("%(ref)s: its %(field)s has no Welsh")


@dataclass(frozen=True)
class Text:
    """A text that would become public, in English and in Welsh. ``where``
    is where a person adds the Welsh (a page's address), opaque here."""

    kind: str  # "indicator", "commentary", "plan item", "action", "action update", "report"
    ref: str
    field: str  # "title", "commentary", "actions", "progress"
    english: str
    welsh: str
    period: Period | None = None
    where: str = ""


@dataclass(frozen=True)
class Missing:
    """A text written in English and not in Welsh."""

    kind: str
    ref: str
    field: str
    period: Period | None = None
    where: str = ""

    @property
    def sentence(self) -> str:
        """What is missing, in the active language: "Indicator 184: its
        title has no Welsh"."""
        template = SENTENCES.get((self.kind, self.field), UNKNOWN)
        period = in_words(self.period) if self.period else ""
        return _(template) % {"ref": self.ref, "period": period, "field": self.field}


def missing_welsh(texts: Iterable[Text]) -> list[Missing]:
    """The texts whose English is written and Welsh is not, in the order given."""
    return [
        Missing(t.kind, t.ref, t.field, t.period, t.where)
        for t in texts
        if t.english.strip() and not t.welsh.strip()
    ]


class WelshMissing(Refused):
    """Publishing refused in bilingual mode: ``missing`` lists what lacks
    its Welsh text. Nothing was published."""

    def __init__(self, period: str, missing: Sequence[Missing]) -> None:
        self.missing = list(missing)
        count = len(self.missing)
        lead = ngettext(
            "the round for %(period)s cannot be published in Welsh and English yet: "
            "%(count)d text has no Welsh",
            "the round for %(period)s cannot be published in Welsh and English yet: "
            "%(count)d texts have no Welsh",
            count,
        ) % {"period": period, "count": count}
        lines = [f"- {m.sentence}" + (f" ({m.where})" if m.where else "") for m in self.missing]
        super().__init__("\n".join([f"{lead}:", *lines]))
