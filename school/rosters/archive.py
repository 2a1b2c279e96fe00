"""Reads the CSV files of a roster from a folder or from an untrusted zip archive.

A zip comes from outside: its size, entry count and unpacked size are limited
(the sizes in its directory may lie, so reading stops at the limit), and an
entry with an absolute path, a `..` component or a symbolic link refuses the
whole archive. Only the roster's own file names are read; nothing is extracted
to disk.
"""

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.utils.translation import gettext as _

from lib.zipsafe import ZipRefused, central_directory_check
from school.rosters.spec import FILES

MANIFEST = "manifest.csv"
WANTED = frozenset({MANIFEST, *(spec.name for spec in FILES)})
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
MAX_FILE_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_ENTRIES = 64


class ArchiveError(ValueError):
    """The roster cannot be read at all; the message says why."""


@dataclass
class RosterSource:
    """The decoded text of each roster file present, by file name."""

    texts: dict[str, str] = field(default_factory=dict)


def source_read(source: str | Path | BinaryIO) -> RosterSource:
    """Reads a folder, a zip file path or an open zip file; raises ArchiveError."""
    if isinstance(source, str | Path) and Path(source).is_dir():
        return _folder_read(Path(source))
    if isinstance(source, str | Path) and not Path(source).exists():
        raise ArchiveError(_("%(path)s does not exist.") % {"path": source})
    return _zip_read(source)


def _folder_read(folder: Path) -> RosterSource:
    result = RosterSource()
    for name in sorted(WANTED):
        path = folder / name
        if not path.is_file():
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ArchiveError(_("%(name)s is too large.") % {"name": name})
        result.texts[name] = _decode(name, path.read_bytes())
    return result


def _zip_read(source: str | Path | BinaryIO) -> RosterSource:
    size = _size_of(source)
    if size > MAX_ARCHIVE_BYTES:
        raise ArchiveError(_("The archive is larger than the limit."))
    try:
        _directory_check(source)
        with zipfile.ZipFile(source) as archive:
            members = _checked_members(archive)
            return _members_read(archive, members)
    except (zipfile.BadZipFile, ZipRefused) as error:
        if getattr(error, "reason", "not_a_zip") != "not_a_zip":
            raise ArchiveError(
                _("The archive lists more files than a roster has.")
            ) from error
        raise ArchiveError(_("The file is not a zip archive.")) from error


def _directory_check(source: str | Path | BinaryIO) -> None:
    if isinstance(source, str | Path):
        with open(source, "rb") as file:
            central_directory_check(file, max_entries=MAX_ENTRIES)
    else:
        position = source.tell()
        central_directory_check(source, max_entries=MAX_ENTRIES)
        source.seek(position)


def _size_of(source: str | Path | BinaryIO) -> int:
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    position = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(position)
    return size


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ArchiveError(_("The archive has too many entries."))
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _refuse_unsafe(info)
        name = PurePosixPath(info.filename).name
        if info.is_dir() or name not in WANTED:
            continue
        if name in members:
            raise ArchiveError(_("The archive holds %(name)s twice.") % {"name": name})
        members[name] = info
    return members


def _refuse_unsafe(info: zipfile.ZipInfo) -> None:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    is_link = stat.S_ISLNK(info.external_attr >> 16)
    if path.is_absolute() or ".." in path.parts or ":" in name or is_link:
        raise ArchiveError(
            _("The archive entry %(name)s points outside the archive; refused.")
            % {"name": info.filename}
        )


def _members_read(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
) -> RosterSource:
    result = RosterSource()
    total = 0
    for name, info in members.items():
        with archive.open(info) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        total += len(data)
        if len(data) > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
            raise ArchiveError(_("The archive unpacks to more than the limit."))
        result.texts[name] = _decode(name, data)
    return result


def _decode(name: str, data: bytes) -> str:
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs put in front.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArchiveError(_("%(name)s is not UTF-8 text.") % {"name": name}) from error
