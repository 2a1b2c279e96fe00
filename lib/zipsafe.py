"""Sizing up a zip's central directory before `zipfile` reads it.

`zipfile.ZipFile` reads the whole central directory into memory, one ZipInfo
object per entry, before any of our checks can look at it: a small upload that
declares millions of entries costs memory and seconds in the constructor. The
end-of-central-directory record (and its zip64 form) states the entry count and
the directory's size in a few bytes at the end of the file; this module reads
only those and refuses what is over the limits.
"""

import struct
from typing import IO

EOCD_SIGNATURE = b"PK\x05\x06"
EOCD_SIZE = 22
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_LOCATOR_SIZE = 20
ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
MAX_COMMENT = 0xFFFF


class ZipRefused(ValueError):
    """Not a zip, or a central directory bigger than allowed; `reason` says which:
    "not_a_zip", "too_many_entries" or "directory_too_large"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def central_directory_check(
    file: IO[bytes], *, max_entries: int, max_directory_bytes: int = 16 * 1024 * 1024
) -> int:
    """The number of entries the zip declares, if within the limits; raises
    ZipRefused otherwise. Reads at most the last 64 KiB; leaves the file at 0."""
    file.seek(0, 2)
    size = file.tell()
    tail_start = max(0, size - EOCD_SIZE - MAX_COMMENT)
    file.seek(tail_start)
    tail = file.read()
    at = tail.rfind(EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < EOCD_SIZE:
        file.seek(0)
        raise ZipRefused("not_a_zip")
    entries, directory_bytes = _eocd(tail[at : at + EOCD_SIZE])
    locator_at = at - ZIP64_LOCATOR_SIZE
    if locator_at >= 0 and tail[locator_at : locator_at + 4] == ZIP64_LOCATOR_SIGNATURE:
        entries, directory_bytes = _zip64(file, tail[locator_at:at], size)
    file.seek(0)
    if entries > max_entries:
        raise ZipRefused("too_many_entries")
    if directory_bytes > max_directory_bytes or directory_bytes > size:
        raise ZipRefused("directory_too_large")
    return entries


def _eocd(record: bytes) -> tuple[int, int]:
    # signature, disk, directory disk, entries on disk, entries, size, offset
    _sig, _disk, _cd_disk, on_disk, total, directory_bytes, _offset, _comment = (
        struct.unpack("<4sHHHHIIH", record)
    )
    return max(on_disk, total), directory_bytes


def _zip64(file: IO[bytes], locator: bytes, size: int) -> tuple[int, int]:
    _sig, _disk, record_offset, _disks = struct.unpack("<4sIQI", locator)
    if record_offset + 56 > size:
        raise ZipRefused("not_a_zip")
    file.seek(record_offset)
    record = file.read(56)
    if record[:4] != ZIP64_EOCD_SIGNATURE:
        raise ZipRefused("not_a_zip")
    on_disk, total, directory_bytes = struct.unpack("<QQQ", record[24:48])
    return max(on_disk, total), directory_bytes
