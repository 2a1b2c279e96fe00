"""Serving H5P files read-only: package content, the library store, the player.

`h5p/files/<root>/<path>` maps three roots to folders:
  content/<uuid>/...      MEDIA_ROOT/h5p/content/   (h5p.json, content.json, media)
  libraries/<folder>/...  MEDIA_ROOT/h5p/libraries/ (the shared library store)
  player/...              settings.H5P_PLAYER_ROOT  (h5p-standalone's dist/)
Nothing here is personal: a package is public by its unguessable directory name,
so no session is asked for (the sandboxed player frame sends no cookies anyway).

The player frame has an opaque origin, so its fetches are cross-origin: hence
`Access-Control-Allow-Origin: *` (without credentials) and
`Cross-Origin-Resource-Policy: cross-origin`. `nosniff` and a sandboxing CSP keep a
file opened directly (an SVG, an HTML file named .json) from running as a page of
the platform.

Production: let the web server serve these same paths from the same folders, with
the same headers, and refuse dot-files and paths escaping a root, as here.
"""

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
)
MAX_AGE = 3600
CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")

# The types the H5P specification allows in a package, and the player's own.
CONTENT_TYPES = {
    "json": "application/json",
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "ico": "image/x-icon",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "vtt": "text/vtt; charset=utf-8",
    "webvtt": "text/vtt; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "md": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
MEDIA_PREFIXES = ("audio/", "video/")


def roots() -> dict[str, Path]:
    media = Path(settings.MEDIA_ROOT) / "h5p"
    return {
        "content": media / "content",
        "libraries": media / "libraries",
        "player": Path(settings.H5P_PLAYER_ROOT),
    }


def file_resolve(path: str) -> Path:
    """The file `path` names under its root; Http404 for an unknown root, a
    dot-file, a directory, a missing file or anything resolving outside the root
    (`..`, a symlink)."""
    root_name, _, rest = path.partition("/")
    root = roots().get(root_name)
    parts = rest.split("/")
    if root is None or not rest or any(not p or p.startswith(".") for p in parts):
        raise Http404("No such file.")
    base = root.resolve()
    target = (base / rest).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise Http404("No such file.")
    return target


def content_type_of(path: Path) -> str:
    """The type by extension from a fixed list; anything else is opaque bytes."""
    return CONTENT_TYPES.get(
        path.suffix.lower().lstrip("."), "application/octet-stream"
    )


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of one satisfiable `bytes=` range, else None (whole file)."""
    match = RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    return (start, end) if start <= end else None


def _range_chunks(path: Path, start: int, end: int):
    with path.open("rb") as handle:
        handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def _body(request, target: Path, content_type: str, size: int) -> HttpResponse:
    wanted = request.headers.get("Range", "")
    span = (
        _byte_range(wanted, size) if content_type.startswith(MEDIA_PREFIXES) else None
    )
    if span is None:
        response = FileResponse(target.open("rb"), content_type=content_type)
    else:
        start, end = span
        response = StreamingHttpResponse(
            _range_chunks(target, start, end), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    if content_type.startswith(MEDIA_PREFIXES):
        response["Accept-Ranges"] = "bytes"
    return response


def _confine(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    # Set here, so the platform's CSP middleware leaves it as it is.
    response["Content-Security-Policy"] = FILE_CSP
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def serve(request, path: str):
    """One H5P file with confining headers; 404 for anything outside the roots."""
    target = file_resolve(path)
    stat = target.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(stat.st_mtime)
    )
    if not_modified is not None:
        return _confine(not_modified)
    content_type = content_type_of(target)
    response = _body(request, target, content_type, stat.st_size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    return _confine(response)
