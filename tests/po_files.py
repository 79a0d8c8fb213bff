"""Reading a gettext catalogue (.po) for the tests of the Welsh translation:
each entry's context, English and Welsh, and whether it is marked fuzzy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WELSH_PO = ROOT / "perfreport" / "locale" / "cy" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d, %.1f; {name}, {0}, {}. "%%" and "{{" are literal text.
PLACEHOLDER = re.compile(
    r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0+]*\d*(?:\.\d+)?[sdifr]|\{\w*\}"
)
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # form -> Welsh; 0 alone if no plural
    fuzzy: bool = False
    line: int = 0  # where it starts in the file

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"{context}{self.msgid!r} (line {self.line})"


def _unquote(text: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Every entry but the header and the obsolete ones (#~)."""
    entries: list[Entry] = []
    current: dict[str, str] = {}
    flags: set[str] = set()
    field_name = ""
    start = 0

    def finish() -> None:
        if current.get("msgid"):
            forms = {int(k[7:-1]): v for k, v in current.items() if k.startswith("msgstr[")}
            if "msgstr" in current:
                forms[0] = current["msgstr"]
            entries.append(
                Entry(
                    msgid=current["msgid"],
                    msgctxt=current.get("msgctxt"),
                    msgid_plural=current.get("msgid_plural"),
                    msgstr=forms,
                    fuzzy="fuzzy" in flags,
                    line=start,
                )
            )
        current.clear()
        flags.clear()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        translated = any(name.startswith("msgstr") for name in current)
        if not line:
            finish()
        elif line.startswith("#~"):  # obsolete: no longer in the code
            continue
        elif line.startswith("#"):
            if translated:
                finish()
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith('"'):
            current[field_name] += _unquote(line)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and translated:
                finish()
            if not current:
                start = number
            field_name = keyword
            current[field_name] = _unquote(rest.strip())
    finish()
    return entries


def placeholders(text: str) -> list[str]:
    """The placeholders in ``text``, sorted, each as often as it occurs."""
    return sorted(PLACEHOLDER.findall(text.replace("%%", "").replace("{{", "").replace("}}", "")))
