"""What a library document may be, decided by its bytes as well as its name.

A document is served to every pupil of a class that has the lesson, so a file
that a browser would run (HTML, SVG, JavaScript) must never get in, whatever it
is called. Each allowed extension names the kinds of content it may hold; the
kind is read from the file's signature (`filetype`), office files are opened as
the zip containers they are, and pictures are decoded and written again by
Pillow, which drops anything hidden after or inside the picture data.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from lib.zipsafe import ZipRefused, central_directory_check

MiB = 1024 * 1024
MAX_DOCUMENT_BYTES = 200 * MiB
# Office containers hold a few hundred parts; more is a hostile archive.
MAX_ZIP_ENTRIES = 5_000


@dataclass(frozen=True)
class DocumentKind:
    content_type: str
    signatures: frozenset[str] = frozenset()  # filetype's names for the bytes
    zip_part: str = ""  # a part an office container must hold
    odf_mimetype: str = ""  # the `mimetype` entry of an OpenDocument file
    text: bool = False
    picture_format: str = ""  # Pillow's name: the picture is re-encoded


def _office(content_type: str, signature: str, part: str) -> DocumentKind:
    return DocumentKind(content_type, frozenset({signature, "zip"}), zip_part=part)


def _odf(content_type: str, signature: str) -> DocumentKind:
    return DocumentKind(
        content_type, frozenset({signature, "zip"}), odf_mimetype=content_type
    )


_OLE = frozenset({"doc", "xls", "ppt", "msi"})  # one compound-file signature
KINDS: dict[str, DocumentKind] = {
    "pdf": DocumentKind("application/pdf", frozenset({"pdf"})),
    "doc": DocumentKind("application/msword", _OLE),
    "xls": DocumentKind("application/vnd.ms-excel", _OLE),
    "ppt": DocumentKind("application/vnd.ms-powerpoint", _OLE),
    "docx": _office(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "word/document.xml",
    ),
    "xlsx": _office(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "xl/workbook.xml",
    ),
    "pptx": _office(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "ppt/presentation.xml",
    ),
    "odt": _odf("application/vnd.oasis.opendocument.text", "odt"),
    "ods": _odf("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "odp": _odf("application/vnd.oasis.opendocument.presentation", "odp"),
    "txt": DocumentKind("text/plain; charset=utf-8", text=True),
    "csv": DocumentKind("text/csv; charset=utf-8", text=True),
    "png": DocumentKind("image/png", frozenset({"png"}), picture_format="PNG"),
    "jpg": DocumentKind("image/jpeg", frozenset({"jpg"}), picture_format="JPEG"),
    "jpeg": DocumentKind("image/jpeg", frozenset({"jpg"}), picture_format="JPEG"),
    "webp": DocumentKind("image/webp", frozenset({"webp"}), picture_format="WEBP"),
    "mp4": DocumentKind("video/mp4", frozenset({"mp4", "m4v", "mov"})),
    "webm": DocumentKind("video/webm", frozenset({"webm", "mkv"})),
    "mp3": DocumentKind("audio/mpeg", frozenset({"mp3"})),
}


def content_type_for(filename: str) -> str:
    """The type a document is served as; an unknown one (a file from before the
    allow-list) as opaque bytes."""
    kind = KINDS.get(_extension(filename))
    return kind.content_type if kind else "application/octet-stream"


def _refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def document_file_check(upload):
    """The upload if its bytes are what its name says, a re-encoded copy for a
    picture; raises ValidationError (with a `code`) otherwise. Reads the file,
    writes nothing."""
    extension = _extension(upload.name)
    kind = KINDS.get(extension)
    if kind is None:
        raise _refuse(
            _("Files of type “%(extension)s” cannot be added to the library."),
            "extension",
            extension=extension or "?",
        )
    if upload.size > MAX_DOCUMENT_BYTES:
        raise _refuse(
            _("The file is larger than %(limit)s MiB."),
            "too_large",
            limit=MAX_DOCUMENT_BYTES // MiB,
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if kind.text:
        _text_check(upload)
    elif _signature(head) not in kind.signatures:
        raise _not_what_it_says(extension)
    elif kind.zip_part or kind.odf_mimetype:
        _container_check(upload, kind, extension)
    if kind.picture_format:
        return _picture_reencoded(upload, kind)
    upload.seek(0)
    return upload


def _signature(head: bytes) -> str:
    guess = filetype.guess(head)
    return guess.extension if guess else ""


def _not_what_it_says(extension: str) -> ValidationError:
    return _refuse(
        _("The file's content is not a “%(extension)s” file."),
        "content",
        extension=extension,
    )


def _text_check(upload) -> None:
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        raise _not_what_it_says(_extension(upload.name))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return
    raise _not_what_it_says(_extension(upload.name))


def _container_check(upload, kind: DocumentKind, extension: str) -> None:
    try:
        central_directory_check(upload, max_entries=MAX_ZIP_ENTRIES)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if kind.zip_part and kind.zip_part not in names:
                raise _not_what_it_says(extension)
            if kind.odf_mimetype:
                declared = archive.read("mimetype")[:200].decode("ascii", "replace")
                if declared.strip() != kind.odf_mimetype:
                    raise _not_what_it_says(extension)
    except (zipfile.BadZipFile, ZipRefused, KeyError, OSError, EOFError) as error:
        raise _not_what_it_says(extension) from error
    finally:
        upload.seek(0)


_UNREADABLE_PICTURE = (
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombWarning,
    Image.DecompressionBombError,
)


def _picture_reencoded(upload, kind: DocumentKind) -> SimpleUploadedFile:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as picture:
                picture.load()
                if kind.picture_format == "JPEG" and picture.mode not in ("RGB", "L"):
                    picture = picture.convert("RGB")
                buffer = io.BytesIO()
                picture.save(buffer, kind.picture_format)
    except _UNREADABLE_PICTURE as error:
        raise _not_what_it_says(_extension(upload.name)) from error
    return SimpleUploadedFile(upload.name, buffer.getvalue(), kind.content_type)
