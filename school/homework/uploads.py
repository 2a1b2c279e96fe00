"""Checks homework uploads by their content and prepares them for storage.

The name a browser sends proves nothing: every file is recognised by its bytes
(magic numbers, the inside of an Office/OpenDocument zip, Pillow opening it), must
match its name, and must keep within the limits. Pictures are decoded and saved
again by Pillow, which drops EXIF (GPS position, camera serial) and XMP.
"""

import io
import posixpath
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from lib.zipsafe import central_directory_check

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_FILES = 10
MAX_PIXELS = 50_000_000
# An office document holds a few hundred parts; a zip declaring more is refused
# before its directory is read.
OFFICE_MAX_ENTRIES = 5_000
MAX_SIDE = 2560
THUMBNAIL_SIDE = 320


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str
    names: tuple[str, ...]
    picture: bool = False


KINDS = {
    "pdf": Kind(gettext_lazy("PDF document"), "application/pdf", ".pdf", (".pdf",)),
    "docx": Kind(
        gettext_lazy("Word document"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        (".docx",),
    ),
    "xlsx": Kind(
        gettext_lazy("Excel spreadsheet"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        (".xlsx",),
    ),
    "pptx": Kind(
        gettext_lazy("PowerPoint presentation"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ".pptx",
        (".pptx",),
    ),
    "odt": Kind(
        gettext_lazy("OpenDocument text"),
        "application/vnd.oasis.opendocument.text",
        ".odt",
        (".odt",),
    ),
    "txt": Kind(gettext_lazy("plain text"), "text/plain", ".txt", (".txt",)),
}
PICTURE_NAMES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
PICTURE = Kind(gettext_lazy("picture"), "image/jpeg", ".jpg", PICTURE_NAMES, True)
# HEIC only when a Pillow plugin (pillow-heif) has registered an opener for it.
PICTURE_FORMATS = ("JPEG", "PNG", "WEBP") + (("HEIF",) if "HEIF" in Image.OPEN else ())
_OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_HEIC_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypmif1", b"ftypmsf1")
# Bytes that never appear in a text file (tab, newlines, form feed, ESC do).
_BINARY_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])


@dataclass
class CheckedFile:
    """An upload that passed every check, ready to be written."""

    original_name: str
    content_type: str
    content: File
    size: int
    thumbnail: ContentFile | None = None


def allowed_types_text() -> str:
    labels = [str(kind.label) for kind in KINDS.values()]
    pictures = ", ".join(name.lstrip(".").upper() for name in PICTURE_NAMES[1:4])
    return ", ".join([*labels, _("pictures (%(types)s)") % {"types": pictures}])


def uploads_check(files) -> list[CheckedFile]:
    """Every file checked and prepared; ValidationError lists every problem found.

    Nothing is written anywhere: the caller stores the result only when the whole
    list passed, so one bad file refuses the lot.
    """
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError(
            _("You can attach at most %(limit)d files; you chose %(count)d.")
            % {"limit": MAX_FILES, "count": len(files)}
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(upload_check(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def upload_check(upload) -> CheckedFile:
    name = _clean_name(getattr(upload, "name", "") or "")
    if upload.size == 0:
        raise ValidationError(_("«%(name)s» is empty.") % {"name": name})
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            _("«%(name)s» is %(size)s; a file may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_FILE_SIZE),
            }
        )
    kind_key = _recognise(upload, name)
    if kind_key == "picture":
        return _picture_prepare(upload, name)
    kind = KINDS[kind_key]
    _require_matching_name(name, kind)
    upload.seek(0)
    content = File(upload, name=f"{uuid.uuid4().hex}{kind.extension}")
    return CheckedFile(name, kind.content_type, content, upload.size)


def _clean_name(name: str) -> str:
    name = posixpath.basename(name.replace("\\", "/"))
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return (name or _("file"))[:255]


def _extension(name: str) -> str:
    return posixpath.splitext(name)[1].lower()


def _recognise(upload, name: str) -> str:
    upload.seek(0)
    head = upload.read(16)
    if head[4:12] in _HEIC_BRANDS and "HEIF" not in PICTURE_FORMATS:
        raise ValidationError(
            _(
                "«%(name)s» is a HEIC photo, which cannot be read here. Switch the "
                "camera to JPEG (“Most compatible”) or attach a screenshot."
            )
            % {"name": name}
        )
    if _is_picture(upload):
        return "picture"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        if kind:
            return kind
    elif _is_text(upload):
        return "txt"
    return _refuse_unknown(name)


def _is_picture(upload) -> bool:
    upload.seek(0)
    try:
        with Image.open(upload, formats=PICTURE_FORMATS):
            return True
    except Image.DecompressionBombError:
        return True  # a picture, refused with the pixel limit when opened again
    except (OSError, SyntaxError, ValueError):
        return False


def _zip_kind(upload) -> str | None:
    """docx/xlsx/pptx/odt by what the archive holds; nothing is extracted."""
    upload.seek(0)
    try:
        central_directory_check(upload, max_entries=OFFICE_MAX_ENTRIES)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = [entry.filename for entry in entries]
            if entries and names[0] == "mimetype" and entries[0].file_size < 100:
                return "odt" if archive.read("mimetype") == _ODT_MIMETYPE else None
            if "[Content_Types].xml" not in names:
                return None
            for folder, kind in _OOXML_FOLDERS.items():
                if any(name.startswith(folder) for name in names):
                    return kind
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        # ZipRefused (a ValueError) too: not an office file we would accept.
        return None
    return None


def _is_text(upload) -> bool:
    upload.seek(0)
    while chunk := upload.read(1024 * 1024):
        if len(chunk.translate(None, _BINARY_BYTES)) != len(chunk):
            return False
    return True


def _refuse_unknown(name: str):
    claimed = _kind_named(name)
    if claimed is not None:
        raise ValidationError(
            _(
                "The name of «%(name)s» says it is of type “%(kind)s”, but its "
                "content is something else, so it was refused."
            )
            % {"name": name, "kind": claimed.label}
        )
    raise ValidationError(
        _("«%(name)s» is of a type that cannot be attached. Allowed: %(allowed)s.")
        % {"name": name, "allowed": allowed_types_text()}
    )


def _kind_named(name: str) -> Kind | None:
    extension = _extension(name)
    if extension in PICTURE_NAMES:
        return PICTURE
    return next((k for k in KINDS.values() if extension in k.names), None)


def _require_matching_name(name: str, kind: Kind) -> None:
    if _extension(name) not in kind.names:
        raise ValidationError(
            _(
                "«%(name)s» is of type “%(kind)s”, but its name ends differently. "
                "Rename it to end in %(extension)s and attach it again."
            )
            % {"name": name, "kind": kind.label, "extension": kind.extension}
        )


def _picture_prepare(upload, name: str) -> CheckedFile:
    _require_matching_name(name, PICTURE)
    image = _picture_open(upload, name)
    keep_png = image.format == "PNG" or _has_alpha(image)
    icc_profile = image.info.get("icc_profile")
    image = _picture_upright(image, name)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    main = _encode(image, keep_png, icc_profile)
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    thumbnail = _encode(image, keep_png, icc_profile)
    return CheckedFile(name, main.content_type, main, main.size, thumbnail=thumbnail)


def _picture_open(upload, name: str) -> Image.Image:
    upload.seek(0)
    try:
        image = Image.open(upload, formats=PICTURE_FORMATS)
    except Image.DecompressionBombError:
        image = None
    # Refuse before decoding: a few KB of PNG can claim billions of pixels.
    if image is None or image.width * image.height > MAX_PIXELS:
        raise ValidationError(
            _(
                "«%(name)s» has too many pixels: a picture may have at most "
                "%(limit)d megapixels."
            )
            % {"name": name, "limit": MAX_PIXELS // 1_000_000}
        )
    if image.format == "JPEG":
        # Decode a big photo at a reduced scale straight away: less memory.
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
    return image


def _picture_upright(image: Image.Image, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Turned as the camera meant before EXIF (and its orientation) goes.
            upright = ImageOps.exif_transpose(image)
            upright.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("«%(name)s» looks like a picture but cannot be read.") % {"name": name}
        ) from error
    mode = "RGBA" if _has_alpha(upright) else "RGB"
    if upright.mode not in ("L", mode):
        upright = upright.convert(mode)
    upright.info = {}
    return upright


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _encode(image: Image.Image, png: bool, icc_profile: bytes | None) -> ContentFile:
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if png:
        image.save(buffer, "PNG", optimize=True, **options)
    else:
        image.save(buffer, "JPEG", quality=85, optimize=True, **options)
    extension = ".png" if png else ".jpg"
    content = ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}{extension}")
    content.content_type = "image/png" if png else "image/jpeg"
    return content
