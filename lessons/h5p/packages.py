"""Services: uploading, renaming and deleting H5P packages.

An upload is checked completely (archive.py, spec.py) before anything is
written. It is then extracted into a temporary folder inside MEDIA_ROOT/h5p/
and moved into place with os.replace in the same transaction that writes the
rows, so a refusal or a failure leaves no rows, no files and no temp folder.
(Called inside a caller's transaction, a later rollback of that transaction
cannot take the moved folders back: call it outside one, as the admin does.)

Only the libraries the game needs (main, preloaded and dynamic dependencies,
followed through each library.json) are considered; other bundled folders,
such as editor libraries, are checked like every entry but never extracted.
"""

import json
import os
import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lessons.h5p import access, archive, spec
from lessons.h5p.archive import Entry, PackageRefused
from lessons.h5p.models import H5PLibrary, H5PPackage
from lessons.h5p.spec import BundledLibrary, LibraryManifest, LibraryRef
from lessons.h5p.svg import svg_sanitise
from school.models import User

MISSING_SHOWN = 5


@dataclass
class Plan:
    """A checked package: what to extract, install and link."""

    manifest: spec.PackageManifest
    layout: spec.Layout
    # Every library the player needs, from the package or the store.
    needed: dict[LibraryRef, LibraryManifest]
    install: list[BundledLibrary] = field(default_factory=list)


def h5p_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "h5p"


def h5p_package_upload(*, user: User, upload: IO[bytes], title: str = "") -> H5PPackage:
    """Checks, extracts and records an uploaded `.h5p`; returns the new package.

    Raises PackageRefused (nothing written) when the file is not acceptable.
    Libraries the package brings that the store lacks (or has at a lower patch)
    are installed only for those who may install library code; otherwise the
    store's copies are used and the package's own are never extracted.
    """
    if not access.can_upload_package(user):
        raise PackageRefused(
            _("You may not upload H5P games."), code="upload_not_allowed"
        )
    with archive.upload_open(upload) as zipped:
        plan = _plan(zipped, user=user)
        return _install(zipped, plan, user=user, title=title, size=_size(upload))


@transaction.atomic
def h5p_package_title_set(*, package: H5PPackage, user: User, title: str) -> None:
    """Renames the package (the uploader or a platform administrator)."""
    if not access.can_change_package(user, package):
        raise PermissionDenied
    package.title = title
    package.save(update_fields=["title"])


@transaction.atomic
def h5p_package_delete(*, package: H5PPackage, user: User) -> None:
    """Deletes the row, then (after commit) its content folder; libraries stay."""
    if not access.can_change_package(user, package):
        raise PermissionDenied
    folder = h5p_root() / "content" / str(package.directory)
    package.delete()
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


def _size(upload: IO[bytes]) -> int:
    upload.seek(0, os.SEEK_END)
    return upload.tell()


def _plan(zipped: zipfile.ZipFile, *, user: User) -> Plan:
    limits = archive.limits()
    layout = spec.package_layout(archive.entries_check(zipped))
    manifest = spec.package_manifest_parse(
        archive.entry_read(zipped, layout.h5p_json, limit=limits.h5p_json_bytes)
    )
    content_json = next(e for e in layout.content if e.path.name == "content.json")
    spec.json_parse(
        archive.entry_read(zipped, content_json, limit=limits.content_json_bytes),
        name="content/content.json",
    )
    bundled = _bundled_libraries(zipped, layout, limits.library_json_bytes)
    plan = _resolve(manifest, layout, bundled)
    if plan.install and not access.can_install_libraries(user):
        raise PackageRefused(
            _(
                "The package brings library code that is not installed yet "
                "(%(libraries)s). Ask a platform administrator to upload it."
            ),
            code="library_code_needs_admin",
            params={"libraries": _names(lib.manifest.ref for lib in plan.install)},
        )
    return plan


def _bundled_libraries(
    zipped: zipfile.ZipFile, layout: spec.Layout, limit: int
) -> dict[LibraryRef, BundledLibrary]:
    found: dict[LibraryRef, BundledLibrary] = {}
    for folder, entries in layout.library_folders.items():
        manifest_entry = next(
            e for e in entries if e.path.parts[1:] == ("library.json",)
        )
        manifest = spec.library_manifest_parse(
            archive.entry_read(zipped, manifest_entry, limit=limit), folder=folder
        )
        library = BundledLibrary(folder, manifest, entries)
        spec.library_files_check(library)
        found[manifest.ref] = library
    return found


def _resolve(
    manifest: spec.PackageManifest,
    layout: spec.Layout,
    bundled: dict[LibraryRef, BundledLibrary],
) -> Plan:
    """Follows dependencies from h5p.json through the package and the store."""
    names = {ref.machine_name for ref in bundled} | {
        ref.machine_name for ref in manifest.preloaded
    }
    stored = _store_rows(names)
    plan = Plan(manifest=manifest, layout=layout, needed={})
    missing: set[LibraryRef] = set()
    queue = list(manifest.preloaded)
    while queue:
        ref = queue.pop()
        if ref in plan.needed or ref in missing:
            continue
        if ref not in stored and ref.machine_name not in names:
            # Found only now (a dependency of a dependency): look it up too.
            names.add(ref.machine_name)
            stored.update(_store_rows({ref.machine_name}))
        library = _library_source(ref, bundled.get(ref), stored.get(ref), plan)
        if library is None:
            missing.add(ref)
            continue
        plan.needed[ref] = library
        queue.extend(library.needs)
    if missing:
        raise _missing(missing, exported_without_libraries=not bundled)
    return plan


def _library_source(
    ref: LibraryRef,
    bundled: BundledLibrary | None,
    stored: H5PLibrary | None,
    plan: Plan,
) -> LibraryManifest | None:
    """The manifest the player will use: the store's unless the package is newer."""
    stored_manifest = _stored_manifest(stored) if stored else None
    if bundled and (
        stored_manifest is None or bundled.manifest.patch > stored.patch_version
    ):
        plan.install.append(bundled)
        return bundled.manifest
    return stored_manifest


def _store_rows(names: set[str]) -> dict[LibraryRef, H5PLibrary]:
    rows = H5PLibrary.objects.filter(machine_name__in=names)
    return {
        LibraryRef(r.machine_name, r.major_version, r.minor_version): r for r in rows
    }


def _stored_manifest(row: H5PLibrary) -> LibraryManifest | None:
    """The library.json in the store's folder; None if the folder is unusable."""
    path = h5p_root() / "libraries" / row.folder / "library.json"
    try:
        return spec.library_manifest_parse(path.read_bytes(), folder=row.folder)
    except (OSError, PackageRefused):
        return None


def _names(refs) -> str:
    names = sorted(str(ref) for ref in refs)
    shown = ", ".join(names[:MISSING_SHOWN])
    return shown + (" …" if len(names) > MISSING_SHOWN else "")


def _missing(refs: set[LibraryRef], *, exported_without_libraries: bool):
    if exported_without_libraries:
        message = _(
            "The package was exported without libraries and needs %(libraries)s, "
            "which are not installed. Export it again with libraries included."
        )
    else:
        message = _("The package needs libraries it does not include: %(libraries)s.")
    return PackageRefused(
        message, code="missing_libraries", params={"libraries": _names(refs)}
    )


def _install(
    zipped: zipfile.ZipFile, plan: Plan, *, user: User, title: str, size: int
) -> H5PPackage:
    root = h5p_root()
    for folder in ("content", "libraries"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=root))
    moves = _Moves(staging)
    try:
        written = _Budget(archive.limits().total_bytes)
        _extract_package(zipped, plan, staging / "package", written)
        for library in plan.install:
            target = staging / "libraries" / library.manifest.ref.folder
            for entry in library.entries:
                _extract(zipped, entry, target, library.relative(entry), written)
        with transaction.atomic():
            package = _rows_write(plan, user=user, title=title, size=size)
            moves.move(staging / "package", root / "content" / str(package.directory))
            for library in plan.install:
                folder = library.manifest.ref.folder
                moves.move(staging / "libraries" / folder, root / "libraries" / folder)
    except BaseException:
        moves.undo()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return package


def _extract_package(
    zipped: zipfile.ZipFile, plan: Plan, target: Path, written: "_Budget"
) -> None:
    target.mkdir()
    data = json.dumps(plan.manifest.raw, ensure_ascii=False, indent=2).encode()
    written.spend(len(data))
    (target / "h5p.json").write_bytes(data)
    for entry in plan.layout.content:
        _extract(zipped, entry, target, entry.path, written)


def _extract(
    zipped: zipfile.ZipFile, entry: Entry, root: Path, relative, written: "_Budget"
) -> None:
    target = archive.safe_target(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    chunks = archive.entry_chunks(zipped, entry)
    if entry.extension == "svg":
        data = svg_sanitise(b"".join(chunks), name=str(entry.path))
        written.spend(len(data))
        chunks = iter([data])
    with open(target, "xb") as file:
        for index, chunk in enumerate(chunks):
            if index == 0:
                archive.archive_magic_check(entry, chunk)
            if entry.extension != "svg":
                written.spend(len(chunk))
            file.write(chunk)


def _rows_write(plan: Plan, *, user: User, title: str, size: int) -> H5PPackage:
    for library in plan.install:
        manifest = library.manifest
        H5PLibrary.objects.update_or_create(
            machine_name=manifest.ref.machine_name,
            major_version=manifest.ref.major,
            minor_version=manifest.ref.minor,
            defaults={
                "patch_version": manifest.patch,
                "title": manifest.title,
                "runnable": manifest.runnable,
                "installed_by": user,
            },
        )
    manifest = plan.manifest
    package = H5PPackage.objects.create(
        title=(title.strip() or manifest.title)[:255],
        directory=uuid.uuid4(),
        content_type=manifest.main_library.machine_name,
        main_library=str(manifest.main_library),
        license=manifest.license,
        authors=list(manifest.authors),
        h5p_json=manifest.raw,
        size_bytes=size,
        uploaded_by=user,
    )
    package.libraries.set(_rows_for(plan.needed))
    return package


def _rows_for(refs) -> list[H5PLibrary]:
    by_name = _store_rows({ref.machine_name for ref in refs})
    return [by_name[ref] for ref in refs]


class _Budget:
    """The running total of bytes written; the declared sizes may have lied."""

    def __init__(self, limit: int):
        self.limit = limit
        self.spent = 0

    def spend(self, count: int) -> None:
        self.spent += count
        if self.spent > self.limit:
            raise PackageRefused(
                _("Unpacked, the package would take more than %(limit)s MiB."),
                code="too_large_uncompressed",
                params={"limit": self.limit // archive.MiB},
            )


class _Moves:
    """Folders moved into place, undone in reverse if anything fails after."""

    def __init__(self, staging: Path):
        self.staging = staging
        self.done: list[tuple[Path, Path | None]] = []

    def move(self, source: Path, target: Path) -> None:
        # A directory cannot be renamed onto a non-empty one: park the old copy
        # (an older patch of a library) in staging, removed with it at the end.
        parked = None
        if target.exists():
            parked = self.staging / f"replaced-{uuid.uuid4().hex}"
            os.replace(target, parked)
        os.replace(source, target)
        self.done.append((target, parked))

    def undo(self) -> None:
        for target, parked in reversed(self.done):
            shutil.rmtree(target, ignore_errors=True)
            if parked is not None:
                os.replace(parked, target)
        self.done.clear()
