"""Evidence files attached to an entry: which kinds are accepted, told by
what the file holds (its signature), not only by its name, and the name it
is given when downloaded.

A file is accepted when its first bytes are those of its kind and its name
ends as that kind's names do: a PDF starts ``%PDF-``, a PNG ``\\x89PNG``, a
JPEG ``\\xff\\xd8\\xff``; a workbook (XLSX) or a document (DOCX) is a zip
holding ``xl/workbook.xml`` or ``word/document.xml``; CSV and plain text are
UTF-8 text with no control character but tab, new line and carriage
return. Anything else (a program, a web page, a PDF named ``.png``) is
refused with a message saying why.

>>> evidence_kind(b"%PDF-1.7 ...", "Calls Q3.pdf").label
'PDF'
>>> safe_filename('../../etc/"passwd".pdf')
'passwd.pdf'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["KINDS", "EvidenceKind", "evidence_kind", "safe_filename"]


@dataclass(frozen=True, slots=True)
class EvidenceKind:
    code: str  # kept with the file: "pdf"
    label: str  # said to people: "PDF"
    extensions: tuple[str, ...]
    content_type: str


KINDS = (
    EvidenceKind("pdf", "PDF", (".pdf",), "application/pdf"),
    EvidenceKind("png", "PNG picture", (".png",), "image/png"),
    EvidenceKind("jpeg", "JPEG picture", (".jpg", ".jpeg"), "image/jpeg"),
    EvidenceKind(
        "xlsx",
        "Excel workbook",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    EvidenceKind(
        "docx",
        "Word document",
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    EvidenceKind("csv", "CSV file", (".csv",), "text/csv"),
    EvidenceKind("txt", "text file", (".txt",), "text/plain"),
)
BY_CODE = {kind.code: kind for kind in KINDS}
_SIGNATURES = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
_ZIP = b"PK\x03\x04"
_ZIP_MEMBERS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ALLOWED = "PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT"


def evidence_kind(
    head: bytes, name: str, zip_members: frozenset[str] = frozenset()
) -> EvidenceKind:
    """The kind of an uploaded file from its first bytes (``head``: all of a
    text file, which is read whole) and its name; ``zip_members``, the names
    inside it when it is a zip. Raises ValueError saying why it is refused."""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((k for k in KINDS if extension in k.extensions), None)
    if kind is None:
        raise ValueError(f"is not a kind of file that can be attached: attach a {ALLOWED} file")
    if kind.code in _SIGNATURES and head.startswith(_SIGNATURES[kind.code]):
        return kind
    zipped = kind.code in _ZIP_MEMBERS and head.startswith(_ZIP)
    if zipped and _ZIP_MEMBERS[kind.code] in zip_members:
        return kind
    if kind.code in ("csv", "txt") and _is_text(head):
        return kind
    return _refuse(kind)


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not _TEXT_CONTROLS.search(text)


def _refuse(kind: EvidenceKind) -> EvidenceKind:
    raise ValueError(
        f"is named as a {kind.label}, but what it holds is not one: attach the file itself, "
        f"as a {ALLOWED} file"
    )


def safe_filename(name: str, limit: int = 120) -> str:
    """A file's name safe to keep, show and send back in a download: the last
    part of any path, letters, digits, spaces, dots, hyphens and underscores
    only, no leading dot, at most ``limit`` characters with its extension kept.

    >>> safe_filename("Q3 calls (final).xlsx")
    'Q3 calls _final.xlsx'
    """
    base = re.split(r"[\\\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9 ._-]+", "_", base))
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:10]
    stem = stem.strip(" ._")[: limit - len(ext) - 1].rstrip(" ._") or "evidence"
    return f"{stem}.{ext}" if ext else stem
