"""What the H5P specification (h5p.org/specification) asks of a package's files.

Pure: turns the bytes of `h5p.json` and `library.json` into checked manifests or
raises PackageRefused. The rules follow the reference PHP implementation's
validator (its required keys, name patterns and default file-type allowlist).
"""

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext_lazy as _

from lessons.h5p.archive import Entry, PackageRefused

# The reference implementation's default content file types.
CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg "
    "mp3 m4a wav txt pdf rtf doc docx xls xlsx ppt pptx odt ods odp xml csv diff "
    "patch swf md textile vtt webvtt gltf glb".split()
)
# Library folders also carry their code.
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css"}

MACHINE_NAME = re.compile(r"^[\w.-]{1,255}$", re.ASCII)
MAIN_LIBRARY = re.compile(r"^[$a-z_][0-9a-z_.$]{1,254}$", re.IGNORECASE)
LANGUAGE = re.compile(r"^[-a-zA-Z]{1,10}$")
MAX_VERSION = 99_999
MAX_AUTHORS = 50


@dataclass(frozen=True, order=True)
class LibraryRef:
    """A dependency as h5p.json and library.json name it (no patch version)."""

    machine_name: str
    major: int
    minor: int

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"


@dataclass(frozen=True)
class PackageManifest:
    """The checked contents of a package's h5p.json."""

    title: str
    main_library: LibraryRef
    preloaded: tuple[LibraryRef, ...]
    license: str
    authors: tuple[dict[str, str], ...]
    raw: dict[str, Any]


@dataclass(frozen=True)
class LibraryManifest:
    """The checked contents of a library folder's library.json."""

    ref: LibraryRef
    patch: int
    title: str
    runnable: bool
    preloaded_files: tuple[str, ...]
    preloaded: tuple[LibraryRef, ...]
    dynamic: tuple[LibraryRef, ...]

    @property
    def needs(self) -> tuple[LibraryRef, ...]:
        """What the player loads with this library (editor dependencies are not)."""
        return self.preloaded + self.dynamic


def json_parse(data: bytes, *, name: str) -> dict[str, Any]:
    """The JSON object in `data`; a UTF-8 byte-order mark is tolerated."""
    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise PackageRefused(
            _("%(name)s is not valid JSON."), code="invalid_json", params={"name": name}
        ) from error
    if not isinstance(value, dict):
        raise PackageRefused(
            _("%(name)s is not valid JSON."), code="invalid_json", params={"name": name}
        )
    return value


def package_manifest_parse(data: bytes) -> PackageManifest:
    raw = json_parse(data, name="h5p.json")
    title = raw.get("title")
    if not isinstance(title, str) or not 0 < len(title.strip()) <= 255:
        raise _invalid("h5p.json", "title")
    language = raw.get("language", "und")
    if not isinstance(language, str) or not LANGUAGE.match(language):
        raise _invalid("h5p.json", "language")
    main = raw.get("mainLibrary")
    if not isinstance(main, str) or not MAIN_LIBRARY.match(main):
        raise _invalid("h5p.json", "mainLibrary")
    preloaded = _refs(raw.get("preloadedDependencies"), "h5p.json", required=True)
    found = [ref for ref in preloaded if ref.machine_name == main]
    if not found:
        raise _invalid("h5p.json", "preloadedDependencies")
    return PackageManifest(
        title=title.strip(),
        main_library=max(found),
        preloaded=preloaded,
        license=_short_text(raw.get("license"), 32),
        authors=_authors(raw.get("authors")),
        raw=raw,
    )


def library_manifest_parse(data: bytes, *, folder: str) -> LibraryManifest:
    name = f"{folder}/library.json"
    raw = json_parse(data, name=name)
    machine_name = raw.get("machineName")
    if not isinstance(machine_name, str) or not MACHINE_NAME.match(machine_name):
        raise _invalid(name, "machineName")
    versions = [
        _version(raw.get(key), name, key)
        for key in ("majorVersion", "minorVersion", "patchVersion")
    ]
    title = raw.get("title")
    if not isinstance(title, str) or not 0 < len(title) <= 255:
        raise _invalid(name, "title")
    if raw.get("runnable") not in (0, 1, True, False):
        raise _invalid(name, "runnable")
    ref = LibraryRef(machine_name, versions[0], versions[1])
    # The reference implementation accepts either folder form.
    if folder not in (ref.folder, machine_name):
        raise PackageRefused(
            _("The library folder %(folder)s does not match its library.json."),
            code="library_folder_mismatch",
            params={"folder": folder},
        )
    return LibraryManifest(
        ref=ref,
        patch=versions[2],
        title=title,
        runnable=bool(raw["runnable"]),
        preloaded_files=_paths(raw, name),
        preloaded=_refs(raw.get("preloadedDependencies"), name),
        dynamic=_refs(raw.get("dynamicDependencies"), name),
    )


def _invalid(name: str, key: str) -> PackageRefused:
    return PackageRefused(
        _("%(name)s has a missing or invalid “%(key)s”."),
        code="invalid_manifest",
        params={"name": name, "key": key},
    )


def _version(value: Any, name: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(name, key)
    if not 0 <= value <= MAX_VERSION:
        raise _invalid(name, key)
    return value


def _refs(value: Any, name: str, *, required: bool = False) -> tuple[LibraryRef, ...]:
    key = "preloadedDependencies"
    if value is None and not required:
        return ()
    if not isinstance(value, list) or (required and not value):
        raise _invalid(name, key)
    refs = []
    for item in value:
        if not isinstance(item, dict):
            raise _invalid(name, key)
        machine_name = item.get("machineName")
        if not isinstance(machine_name, str) or not MACHINE_NAME.match(machine_name):
            raise _invalid(name, key)
        refs.append(
            LibraryRef(
                machine_name,
                _version(item.get("majorVersion"), name, key),
                _version(item.get("minorVersion"), name, key),
            )
        )
    return tuple(refs)


def _paths(raw: dict[str, Any], name: str) -> tuple[str, ...]:
    paths = []
    for key in ("preloadedJs", "preloadedCss"):
        items = raw.get(key, [])
        if not isinstance(items, list):
            raise _invalid(name, key)
        for item in items:
            path = item.get("path") if isinstance(item, dict) else None
            if not isinstance(path, str) or not path:
                raise _invalid(name, key)
            paths.append(path)
    return tuple(paths)


def _short_text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _authors(value: Any) -> tuple[dict[str, str], ...]:
    """Name and role of each author; anything else in the list is dropped."""
    if not isinstance(value, list):
        return ()
    authors = (
        {
            "name": _short_text(a.get("name"), 255),
            "role": _short_text(a.get("role"), 64),
        }
        for a in value[:MAX_AUTHORS]
        if isinstance(a, dict)
    )
    return tuple(a for a in authors if a["name"])


@dataclass
class BundledLibrary:
    """A library folder of the package: its manifest and its files."""

    folder: str
    manifest: LibraryManifest
    entries: list[Entry]

    def relative(self, entry: Entry) -> PurePosixPath:
        return entry.path.relative_to(self.folder)


@dataclass
class Layout:
    """The package's files sorted the way the specification lays them out."""

    h5p_json: Entry
    content: list[Entry]
    library_folders: dict[str, list[Entry]]


def package_layout(entries: list[Entry]) -> Layout:
    """Sorts entries into h5p.json, content/ and library folders; checks file types."""
    h5p_json = None
    content: list[Entry] = []
    folders: dict[str, list[Entry]] = {}
    for entry in entries:
        top = entry.path.parts[0]
        if len(entry.path.parts) == 1:
            if top != "h5p.json":
                raise PackageRefused(
                    _("%(name)s does not belong at the top of an H5P package."),
                    code="unexpected_file",
                    params={"name": top},
                )
            h5p_json = entry
        elif top == "content":
            _extension_check(entry, CONTENT_EXTENSIONS)
            content.append(entry)
        else:
            _extension_check(entry, LIBRARY_EXTENSIONS)
            folders.setdefault(top, []).append(entry)
    if h5p_json is None:
        raise PackageRefused(
            _("The package has no h5p.json: it is not an H5P package."),
            code="missing_h5p_json",
        )
    if not any(e.path == PurePosixPath("content/content.json") for e in content):
        raise PackageRefused(
            _("The package has no content/content.json."), code="missing_content"
        )
    for folder, files in folders.items():
        if not any(e.path == PurePosixPath(folder, "library.json") for e in files):
            raise PackageRefused(
                _("The library folder %(folder)s has no library.json."),
                code="missing_library_json",
                params={"folder": folder},
            )
    return Layout(h5p_json, content, folders)


def library_files_check(library: BundledLibrary) -> None:
    """Every script and stylesheet library.json preloads is in the folder."""
    present = {str(library.relative(e)) for e in library.entries}
    for path in library.manifest.preloaded_files:
        if path not in present:
            raise PackageRefused(
                _("%(folder)s/library.json lists %(path)s, which is missing."),
                code="library_file_missing",
                params={"folder": library.folder, "path": path[:200]},
            )


def _extension_check(entry: Entry, allowed: frozenset[str]) -> None:
    if entry.extension not in allowed:
        raise PackageRefused(
            _("%(name)s: files of this type are not allowed in H5P packages."),
            code="disallowed_extension",
            params={"name": str(entry.path)},
        )
