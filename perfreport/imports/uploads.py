"""An import uploaded in the browser: a zip of a CSV folder, or a workbook.

The page keeps the upload, shows a preview and applies it on confirmation;
both steps call :func:`perfreport.imports.service.import_path`, so the
browser obeys every rule the command line does. The preview is that import
run in a transaction that is rolled back: what it counts and refuses is
exactly what the import would, and it leaves nothing behind (the audit event
and the data version are written in the same transaction).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from perfreport.accounts.permissions import Actor
from perfreport.imports.problems import ImportFailed, Problem
from perfreport.imports.service import import_path
from perfreport.imports.tables import Limits, _too_big, _unpacked_size
from perfreport.imports.writing import Summary

# At most this many files in a zip: a folder to import holds about ten.
MAX_ZIP_FILES = 100
# Files a zip made on a Mac or Windows carries beside the folder's own.
_IGNORED = ("__MACOSX/", "._", ".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class Preview:
    """What an import would do: its summary and warnings, or its problems."""

    summary: Summary = field(default_factory=Summary)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors and warnings, when refused
    verdict: str = (
        ""  # the command line's last line when refused: "3 error(s); nothing was imported"
    )

    @property
    def refused(self) -> bool:
        return bool(self.verdict)


class _RolledBack(Exception):
    pass


def preview_import(path: Path, *, actor: Actor, force: bool = False) -> Preview:
    """The import of ``path`` as ``actor`` would make it, with nothing written."""
    found = Preview()
    try:
        with transaction.atomic():
            found.summary, found.warnings = import_path(path, actor=actor, force=force)
            raise _RolledBack
    except _RolledBack:
        pass
    except ImportFailed as failure:
        found.problems, found.verdict = failure.problems, str(failure)
    return found


def unpack_zip(archive: Path, folder: Path, label: str, limits: Limits) -> Path:
    """Unpack the CSV folder zipped at ``archive`` into ``folder`` (empty),
    refusing what could write outside it or fill the disk: a name that is
    absolute or climbs out with ``..``, more than :data:`MAX_ZIP_FILES`
    files, or contents that unpack to more than the import's size limit
    (the limit a workbook's contents are held to). A zip of one folder is
    read as that folder. Returns the folder to import; :class:`ImportFailed`
    names ``label`` (the uploaded file's name) when refused."""
    try:
        with zipfile.ZipFile(archive) as opened:
            members = [m for m in opened.infolist() if not m.is_dir() and not _ignored(m.filename)]
            _check_members(members, label)
            if (unpacked := _unpacked_size(archive)) > limits.max_bytes:
                raise ImportFailed([_too_big(label, True, unpacked, limits)])
            _check_one_folder(members, label)
            for member in members:
                name = PurePosixPath(member.filename.replace("\\", "/")).name
                with opened.open(member) as source, (folder / name).open("xb") as target:
                    while chunk := source.read(1 << 20):
                        target.write(chunk)
            return folder
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as error:
        raise ImportFailed(
            [Problem(label, _("is not a zip file that can be read (%(error)s)") % {"error": error})]
        ) from None
    except FileExistsError as error:
        raise ImportFailed(
            [
                Problem(
                    label,
                    _("holds two files named %(name)s")
                    % {"name": repr(Path(str(error.filename)).name)},
                )
            ]
        ) from None


def _ignored(name: str) -> bool:
    last = PurePosixPath(name).name
    return name.startswith(_IGNORED[0]) or last.startswith(_IGNORED[1]) or last in _IGNORED[2:]


def _check_members(members: list[zipfile.ZipInfo], label: str) -> None:
    if len(members) > MAX_ZIP_FILES:
        raise ImportFailed(
            [
                Problem(
                    label,
                    _("holds %(count)s files, more than the %(most)s a folder to import may hold")
                    % {"count": f"{len(members):,}", "most": MAX_ZIP_FILES},
                )
            ]
        )
    for member in members:
        name = member.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise ImportFailed(
                [
                    Problem(
                        label,
                        _("holds %(name)s, a name outside the zip's folder: refused")
                        % {"name": repr(name)},
                    )
                ]
            )
        if len(parts) > 2:
            raise ImportFailed(
                [
                    Problem(
                        label,
                        _(
                            "holds %(name)s in a folder inside a folder: zip the folder of CSV "
                            "files itself"
                        )
                        % {"name": repr(name)},
                    )
                ]
            )
    if not members:
        raise ImportFailed([Problem(label, _("holds no files: zip the folder of CSV files"))])


def _check_one_folder(members: list[zipfile.ZipInfo], label: str) -> None:
    """Every file in one folder, or all at the top: the command line reads one folder."""
    folders = {PurePosixPath(m.filename.replace("\\", "/")).parts[:-1] for m in members}
    if len(folders) > 1:
        names = ", ".join(sorted("/".join(f) or _("the top") for f in folders))
        said = _("holds files in more than one folder (%(names)s): zip one folder")
        raise ImportFailed([Problem(label, said % {"names": names})])


# -- the upload kept between the preview and the confirmation ---------------------------

UPLOADS = "imports"  # the folder in the storage (under MEDIA_ROOT)
KEPT_FOR = timedelta(days=1)
SUFFIXES = (".zip", ".xlsx")
ZIP_SIGNATURE = b"PK\x03\x04"  # a zip's first bytes; a workbook is a zip too


def upload_limits() -> Limits:
    """The import's size limit (``PERFREPORT_IMPORT_MAX_MB``), as the command line has it."""
    return Limits(max_bytes=round(settings.PERFREPORT_IMPORT_MAX_MB * 1_000_000))


def keep_upload(content: IO[bytes], suffix: str) -> str:
    """Store an uploaded file under a random name; its name in the storage."""
    from django.core.files import File

    return default_storage.save(f"{UPLOADS}/{secrets.token_hex(16)}{suffix}", File(content))


def discard_upload(name: str) -> None:
    if _is_kept_name(name) and default_storage.exists(name):
        default_storage.delete(name)


def discard_old_uploads(now: datetime) -> int:
    """Remove uploads kept for more than a day (a preview never confirmed)."""
    try:
        _, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{UPLOADS}/{name}"
        if default_storage.get_modified_time(path) < now - KEPT_FOR:
            default_storage.delete(path)
            removed += 1
    return removed


def _is_kept_name(name: str) -> bool:
    folder, _, rest = name.partition("/")
    return folder == UPLOADS and "/" not in rest and rest.endswith(SUFFIXES)


def safe_label(filename: str) -> str:
    """The uploaded file's name as messages and the audit trail give it."""
    path = PurePosixPath(filename.replace("\\", "/"))
    stem = get_valid_filename(path.stem)[:80] or "upload"
    return f"{stem}{path.suffix.lower()}"


@contextmanager
def unpacked(name: str, label: str, limits: Limits) -> Iterator[Path]:
    """The kept upload ``name`` as the import reads it, in a temporary folder:
    a workbook as ``label``, a zip unpacked into a folder named after it."""
    if not _is_kept_name(name) or not default_storage.exists(name):
        raise ImportFailed([Problem(label, _("is no longer kept: upload it again"))])
    with tempfile.TemporaryDirectory(prefix="perfreport-import-") as temporary:
        root = Path(temporary)
        copy = root / ("upload.zip" if name.endswith(".zip") else label)
        with default_storage.open(name, "rb") as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        if not name.endswith(".zip"):
            yield copy
            return
        folder = root / PurePosixPath(label).stem
        folder.mkdir()
        yield unpack_zip(copy, folder, label, limits)
