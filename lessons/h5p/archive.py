"""Reading an uploaded zip without trusting it.

Everything here is decided from the central directory before a byte is
extracted: size, entry count, declared total, compression ratio, names (no
escape from the target folder, no collisions), entry types (no symlinks, no
encryption). Extraction then streams each entry with a cap at its declared
size, because the central directory can lie.
"""

import copy
import re
import stat
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.zipsafe import ZipRefused, central_directory_check

MiB = 1024 * 1024
CHUNK = 64 * 1024


class PackageRefused(ValidationError):
    """An upload refused before anything was written; `code` names the reason."""


@dataclass(frozen=True)
class Limits:
    """Defaults; settings.H5P_PACKAGE_LIMITS (a dict) may lower or raise them."""

    upload_bytes: int = 50 * MiB
    entries: int = 5_000
    total_bytes: int = 250 * MiB
    # A ratio over 100:1 is past what text, JSON or media reach in practice
    # (JSON ~5-20:1); under 1 MiB even an extreme ratio cannot hurt.
    ratio: int = 100
    ratio_from_bytes: int = 1 * MiB
    h5p_json_bytes: int = 64 * 1024
    library_json_bytes: int = 64 * 1024
    content_json_bytes: int = 16 * MiB


def limits() -> Limits:
    return Limits(**getattr(settings, "H5P_PACKAGE_LIMITS", {}))


# Kinds of zip compression Python reads: stored, deflate, bzip2, lzma.
READABLE_METHODS = frozenset({0, 8, 12, 14})
ARCHIVE_EXTENSIONS = frozenset(
    "zip h5p jar war apk rar 7z tar gz tgz bz2 tbz2 xz txz zst lz lzma z cab iso"
    " cpio".split()
)
# Office documents are zip containers by design: their own magic is expected.
ZIP_CONTAINER_EXTENSIONS = frozenset("docx xlsx pptx odt ods odp glb".split())
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\x1f\x8b",  # gzip
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"MSCF",  # cab
)
BZIP2 = re.compile(rb"^BZh[1-9]1AY&SY")
DRIVE = re.compile(r"^[A-Za-z]:")
# Left out of the listing, never extracted: what an OS adds when zipping a folder.
JUNK_FOLDERS = frozenset({"__MACOSX"})
JUNK_FILES = frozenset({"thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class Entry:
    """A regular file of the archive whose name and sizes passed the checks."""

    info: zipfile.ZipInfo
    path: PurePosixPath

    @property
    def extension(self) -> str:
        return self.path.suffix[1:].lower()


def upload_open(upload: IO[bytes]) -> zipfile.ZipFile:
    """The upload as a zip, after the size check; PackageRefused if it is not one."""
    upload.seek(0, 2)
    if upload.tell() > limits().upload_bytes:
        raise PackageRefused(
            _("The file is larger than %(limit)s MiB."),
            code="upload_too_large",
            params={"limit": limits().upload_bytes // MiB},
        )
    upload.seek(0)
    try:
        central_directory_check(upload, max_entries=limits().entries)
        return zipfile.ZipFile(upload)
    except ZipRefused as refused:
        if refused.reason == "too_many_entries":
            raise _too_many_entries() from refused
        if refused.reason == "directory_too_large":
            raise PackageRefused(
                _("The package's list of files is too large."),
                code="directory_too_large",
            ) from refused
        raise _not_a_zip() from refused
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise _not_a_zip() from error


def _not_a_zip() -> PackageRefused:
    return PackageRefused(
        _("The file is not an H5P package (not a zip archive)."), code="not_a_zip"
    )


def _too_many_entries() -> PackageRefused:
    return PackageRefused(
        _("The package has more than %(limit)s files."),
        code="too_many_entries",
        params={"limit": limits().entries},
    )


def entries_check(archive: zipfile.ZipFile) -> list[Entry]:
    """The archive's files to consider, checked from the central directory alone.

    Junk (`__MACOSX/`, `.DS_Store` and other dot-files, Thumbs.db) and folder
    entries are checked like the rest but left out of the result.
    """
    infos = archive.infolist()
    limit = limits()
    if len(infos) > limit.entries:
        raise _too_many_entries()
    total = 0
    for info in infos:
        _name_check(info)
        _type_check(info)
        _ratio_check(info, limit)
        total += info.file_size
    if total > limit.total_bytes:
        raise PackageRefused(
            _("Unpacked, the package would take more than %(limit)s MiB."),
            code="too_large_uncompressed",
            params={"limit": limit.total_bytes // MiB},
        )
    _collisions_check(infos)
    files = [
        Entry(info, PurePosixPath(info.filename))
        for info in infos
        if not info.is_dir() and not _is_junk(PurePosixPath(info.filename))
    ]
    for entry in files:
        if entry.extension in ARCHIVE_EXTENSIONS:
            raise _nested(entry.info.filename)
    return files


def entry_read(archive: zipfile.ZipFile, entry: Entry, *, limit: int) -> bytes:
    """A small entry (a manifest) in memory; refused past `limit` bytes."""
    if entry.info.file_size > limit:
        raise PackageRefused(
            _("%(name)s is larger than %(limit)s KiB."),
            code="manifest_too_large",
            params={"name": entry.info.filename, "limit": limit // 1024},
        )
    return b"".join(entry_chunks(archive, entry))


def entry_chunks(archive: zipfile.ZipFile, entry: Entry) -> Iterator[bytes]:
    """The entry's bytes, refused if they differ from the declared size or CRC."""
    declared = entry.info.file_size
    # zipfile stops at the declared size (and then fails on the CRC), which
    # hides a lie: let it run one read past the claim, so the extra bytes show.
    probe = copy.copy(entry.info)
    probe.file_size = declared + CHUNK + 1
    produced = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(CHUNK):
                produced += len(chunk)
                if produced > declared:
                    raise _lying(entry.info.filename)
                yield chunk
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as error:
        raise PackageRefused(
            _("%(name)s is damaged in the archive."),
            code="corrupt_entry",
            params={"name": entry.info.filename},
        ) from error
    if produced != declared:
        raise _lying(entry.info.filename)


def archive_magic_check(entry: Entry, head: bytes) -> None:
    """Refuses an archive hidden under another file type."""
    if entry.extension in ZIP_CONTAINER_EXTENSIONS:
        return
    tar = len(head) > 262 and head[257:262] == b"ustar"
    if head.startswith(ARCHIVE_MAGIC) or BZIP2.match(head) or tar:
        raise _nested(entry.info.filename)


def _name_check(info: zipfile.ZipInfo) -> None:
    name = info.filename
    # zipfile cuts a name at NUL ("x.php\0.png"); the original shows the trick.
    if info.orig_filename != name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise _bad_name(name)
    if "\\" in name or name.startswith("/") or DRIVE.match(name):
        raise _slip(name)
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise _slip(name)
    if len(name) > 1024 or any(len(part.encode()) > 255 for part in parts):
        raise _bad_name(name)


def _type_check(info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:
        raise PackageRefused(
            _("The package is encrypted."),
            code="encrypted",
        )
    if info.compress_type not in READABLE_METHODS:
        raise PackageRefused(
            _("%(name)s uses a compression method that cannot be read."),
            code="unsupported_compression",
            params={"name": info.filename},
        )
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PackageRefused(
            _("%(name)s is a symbolic link; links are not allowed."),
            code="symlink",
            params={"name": info.filename},
        )
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise PackageRefused(
            _("%(name)s is not an ordinary file."),
            code="special_file",
            params={"name": info.filename},
        )


def _ratio_check(info: zipfile.ZipInfo, limit: Limits) -> None:
    if info.compress_type == zipfile.ZIP_STORED and (
        info.compress_size != info.file_size
    ):
        raise _lying(info.filename)
    big = info.file_size > limit.ratio_from_bytes
    if big and info.file_size > limit.ratio * max(info.compress_size, 1):
        raise PackageRefused(
            _("%(name)s is compressed suspiciously well (a zip bomb?)."),
            code="compression_ratio",
            params={"name": info.filename},
        )


def _collisions_check(infos: list[zipfile.ZipInfo]) -> None:
    """Two names that one filesystem would see as the same file are refused.

    Compared after Unicode NFC normalisation and case folding, for files and
    for every folder on their path (a file `a` and a folder `A/` collide too).
    """
    seen: dict[str, tuple[str, bool]] = {}
    for info in infos:
        parts = info.filename.rstrip("/").split("/")
        for depth in range(1, len(parts) + 1):
            name = "/".join(parts[:depth])
            is_dir = depth < len(parts) or info.is_dir()
            key = unicodedata.normalize(
                "NFC", unicodedata.normalize("NFC", name).casefold()
            )
            if seen.setdefault(key, (name, is_dir)) != (name, is_dir):
                raise PackageRefused(
                    _("%(name)s and %(other)s would be the same file."),
                    code="name_collision",
                    params={"name": name, "other": seen[key][0]},
                )


def _is_junk(path: PurePosixPath) -> bool:
    return (
        path.parts[0] in JUNK_FOLDERS
        or any(part.startswith(".") for part in path.parts)
        or path.name.lower() in JUNK_FILES
    )


def _slip(name: str) -> PackageRefused:
    return PackageRefused(
        _("%(name)s points outside the package; the archive is refused."),
        code="zip_slip",
        params={"name": name},
    )


def _bad_name(name: str) -> PackageRefused:
    return PackageRefused(
        _("The file name %(name)s is not allowed."),
        code="bad_name",
        params={"name": name.encode("unicode_escape").decode()[:200]},
    )


def _lying(name: str) -> PackageRefused:
    return PackageRefused(
        _("%(name)s holds more or less data than the archive declares."),
        code="lying_header",
        params={"name": name},
    )


def _nested(name: str) -> PackageRefused:
    return PackageRefused(
        _("%(name)s is an archive inside the package; archives are not allowed."),
        code="nested_archive",
        params={"name": name},
    )


def safe_target(root: Path, path: PurePosixPath) -> Path:
    """`root/path`, asserted to stay inside `root` (names were checked already)."""
    target = (root / path).resolve()
    if not target.is_relative_to(root.resolve()):
        raise _slip(str(path))
    return target
