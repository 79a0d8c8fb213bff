"""Evidence files attached to a round's entries: attach, remove and who may
download them. Each attach and removal is checked against the person's role
and the entry's state, and audited; the file is kept with Django's storage
API (``default_storage``, under MEDIA_ROOT) under a random name.

Who may attach or remove a file: whoever may edit the entry (its owner, its
service lead, a BI administrator) while it is theirs to change (not
submitted, approved or published). Who may download one: the same people,
the entry's approvers and the BI administrators; never the public.
"""

from __future__ import annotations

import zipfile
from typing import Protocol

from django.conf import settings
from django.db import transaction

from perfreport.accounts.permissions import Actor, NotAllowed
from perfreport.audit import trail as audit
from perfreport.core.errors import Invalid
from perfreport.core.evidence import BY_CODE, EvidenceKind, evidence_kind, safe_filename
from perfreport.core.workflow import TransitionError
from perfreport.data.models import Entry, Evidence
from perfreport.rounds.services import entry_for_update, user_of

EVIDENCE = "evidence"  # the audit trail's name for the thing changed
TEXT_READ = 1_000_000  # a text file is checked whole up to this many bytes
MAX_FILES = 20  # files on one entry


class Upload(Protocol):
    """What is needed of an uploaded file (Django's UploadedFile)."""

    name: str | None
    size: int | None

    def seek(self, offset: int, whence: int = 0) -> int: ...
    def read(self, size: int = -1) -> bytes: ...


def max_bytes() -> int:
    return int(settings.PERFREPORT_EVIDENCE_MAX_MB) * 1_000_000


def checked_kind(upload: Upload) -> EvidenceKind:
    """The file's kind, from what it holds (Invalid ``file`` if it is empty,
    too big, or not a kind accepted)."""
    size = upload.size or 0
    if size == 0:
        raise Invalid.one("file", "is empty: choose the file to attach")
    if size > max_bytes():
        raise Invalid.one(
            "file",
            f"is {size / 1_000_000:.1f} MB, over the limit of "
            f"{settings.PERFREPORT_EVIDENCE_MAX_MB} MB for a file (the setting "
            "PERFREPORT_EVIDENCE_MAX_MB)",
        )
    upload.seek(0)
    head = upload.read(TEXT_READ)
    upload.seek(0)
    try:
        return evidence_kind(head, upload.name or "", _zip_members(upload, head))
    except ValueError as error:
        raise Invalid.one("file", str(error)) from None


def _zip_members(upload: Upload, head: bytes) -> frozenset[str]:
    if not head.startswith(b"PK\x03\x04"):
        return frozenset()
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return frozenset(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return frozenset()
    finally:
        upload.seek(0)


def _editable(actor: Actor, entry: Entry) -> None:
    actor.require_edit(entry.indicator)
    if entry.round.is_published or not entry.entry_state.is_open:
        raise TransitionError(
            f"indicator {entry.indicator.ref}'s entry is {entry.entry_state.label.lower()}: "
            "evidence can be attached or removed only while it is being worked on"
        )


@transaction.atomic
def attach_evidence(actor: Actor, entry_id: int, upload: Upload) -> Evidence:
    """Attach ``upload`` to the entry, audited."""
    entry = entry_for_update(entry_id)
    _editable(actor, entry)
    kind = checked_kind(upload)
    if entry.evidence.count() >= MAX_FILES:
        raise Invalid.one("file", f"would be more than {MAX_FILES} files on one entry")
    name = safe_filename(upload.name or "evidence")
    evidence = Evidence(
        entry=entry, name=name, kind=kind.code, size=upload.size or 0, uploaded_by=user_of(actor)
    )
    evidence.file.save(name, upload, save=False)
    try:
        evidence.save()
    except BaseException:
        evidence.file.delete(save=False)
        raise
    audit.record(
        actor,
        "attach",
        EVIDENCE,
        evidence.pk,
        indicator=entry.indicator,
        period=entry.period,
        after={"entry": entry.pk, "name": name, "kind": kind.code, "size": evidence.size},
    )
    return evidence


@transaction.atomic
def remove_evidence(actor: Actor, evidence_id: int) -> Evidence:
    """Remove a file from its entry (and from storage, once committed), audited."""
    evidence = Evidence.objects.select_related("entry").get(pk=evidence_id)
    entry = entry_for_update(evidence.entry_id)
    _editable(actor, entry)
    before = {
        "entry": entry.pk,
        "name": evidence.name,
        "kind": evidence.kind,
        "size": evidence.size,
    }
    stored = evidence.file.name
    evidence.delete()
    storage = evidence.file.storage
    transaction.on_commit(lambda: storage.delete(stored))
    audit.record(
        actor, "remove", EVIDENCE, evidence_id, indicator=entry.indicator, period=entry.period,
        before=before,
    )  # fmt: skip
    return evidence


def may_download(actor: Actor, evidence: Evidence) -> bool:
    indicator = evidence.entry.indicator
    return actor.is_admin or actor.can_edit(indicator) or actor.can_approve(indicator)


def require_download(actor: Actor, evidence: Evidence) -> None:
    if not may_download(actor, evidence):
        raise NotAllowed(
            f"{actor.name} may not open the evidence for indicator {evidence.entry.indicator.ref}: "
            "only its owner, its approvers and BI administrators may"
        )


def open_evidence(actor: Actor, evidence: Evidence) -> None:
    """Check that the person may open the file, and record that they did:
    evidence may hold what only the round's people should see."""
    require_download(actor, evidence)
    entry = evidence.entry
    audit.record(
        actor, "download", EVIDENCE, evidence.pk, indicator=entry.indicator_id,
        period=entry.period, after={"entry": entry.pk, "name": evidence.name},
    )  # fmt: skip


def content_type(evidence: Evidence) -> str:
    return BY_CODE[evidence.kind].content_type
