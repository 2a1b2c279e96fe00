"""Building `.h5p` packages from our own sources in lessons/h5p/samples/.

No `.h5p` can be downloaded here, so the tests and the demo build theirs:
`samples/content/<name>/` holds a package's h5p.json and content/, and
`samples/libraries/<machineName>-<major>.<minor>/` our libraries, written to the
H5P specification. The archive has the specification's layout: h5p.json at the
root, content/, and one folder per library the content needs (its preloaded
dependencies, followed through each library.json).
"""

import io
import json
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples"
CONTENT = SAMPLES / "content"
LIBRARIES = SAMPLES / "libraries"
# Fixed timestamps make the same sources build byte-identical packages.
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def sample_names() -> list[str]:
    """The sample contents that can be built."""
    return sorted(path.name for path in CONTENT.iterdir() if path.is_dir())


def library_folder(dependency: dict) -> str:
    """`{"machineName": "H5P.MultiChoice", "majorVersion": 1, ...}` →
    `H5P.MultiChoice-1.16`."""
    return (
        f"{dependency['machineName']}-"
        f"{dependency['majorVersion']}.{dependency['minorVersion']}"
    )


def libraries_needed(h5p_json: dict) -> list[str]:
    """Library folders the content needs, dependencies first; KeyError names
    a library with no sources here."""
    ordered: list[str] = []

    def visit(dependency: dict, seen: tuple[str, ...]) -> None:
        folder = library_folder(dependency)
        if folder in ordered or folder in seen:
            return
        source = LIBRARIES / folder
        if not source.is_dir():
            raise KeyError(f"No sources for the H5P library {folder}.")
        library = json.loads((source / "library.json").read_text("utf-8"))
        for child in library.get("preloadedDependencies", []):
            visit(child, (*seen, folder))
        ordered.append(folder)

    for dependency in h5p_json.get("preloadedDependencies", []):
        visit(dependency, ())
    return ordered


def _add_tree(archive: zipfile.ZipFile, root: Path, prefix: str) -> None:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            name = f"{prefix}/{path.relative_to(root).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())


def package_build(content_name: str, *, with_libraries: bool = True) -> bytes:
    """The `.h5p` (zip) bytes of `samples/content/<content_name>`.

    `with_libraries=False` builds what h5p.org exports: the content alone,
    which a player cannot run. KeyError for an unknown sample or library.
    """
    source = CONTENT / content_name
    if content_name not in sample_names():
        raise KeyError(f"No H5P sample called {content_name!r}.")
    h5p_json_bytes = (source / "h5p.json").read_bytes()
    folders = libraries_needed(json.loads(h5p_json_bytes)) if with_libraries else []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("h5p.json", date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, h5p_json_bytes)
        _add_tree(archive, source / "content", "content")
        for folder in folders:
            _add_tree(archive, LIBRARIES / folder, folder)
    return buffer.getvalue()
