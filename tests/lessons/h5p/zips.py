"""Small H5P packages and broken archives, written by the tests themselves.

A valid package has the specification's layout: h5p.json, content/content.json
and one folder per library (`<machineName>-<major>.<minor>/library.json` and
its code). The game's main library preloads a question library and loads an
image library dynamically, so dependency resolution is exercised.
"""

import io
import json
import stat
import struct
import zipfile

MAIN = ("H5P.TestChoice", 1, 2)
QUESTION = ("H5P.TestQuestion", 1, 0)
IMAGE = ("H5P.TestImage", 1, 1)
ALL_LIBRARIES = (MAIN, QUESTION, IMAGE)
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script>"
    b'<circle cx="5" cy="5" r="4" fill="orange"/></svg>'
)
SVG_WITH_HANDLER = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b'<circle cx="5" cy="5" r="4" fill="orange"/></svg>'
)
SVG_WITH_JAVASCRIPT_LINK = (
    b'<svg xmlns="http://www.w3.org/2000/svg" '
    b'xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<a xlink:href=" java\tscript:alert(1)"><circle r="4"/></a></svg>'
)
# No script, but things svg-hush removes: a tracking picture from another site
# and HTML inside the drawing.
SVG_WITH_OUTSIDE_REFERENCES = (
    b'<svg xmlns="http://www.w3.org/2000/svg">'
    b'<image href="https://tracker.example/pixel.png"/>'
    b'<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div>'
    b"</foreignObject>"
    b'<circle cx="5" cy="5" r="4" fill="orange"/></svg>'
)


def folder(library: tuple[str, int, int]) -> str:
    name, major, minor = library
    return f"{name}-{major}.{minor}"


def dependency(library: tuple[str, int, int]) -> dict:
    name, major, minor = library
    return {"machineName": name, "majorVersion": major, "minorVersion": minor}


def h5p_json(**overrides) -> dict:
    manifest = {
        "title": "Дроби: выбери ответ",
        "language": "ru",
        "mainLibrary": MAIN[0],
        "embedTypes": ["iframe"],
        "license": "CC BY-SA",
        "authors": [
            {"name": "Алиса Петрова", "role": "Author"},
            {"name": "Школа №1", "role": "Editor", "extra": "dropped"},
        ],
        "preloadedDependencies": [dependency(MAIN)],
    }
    manifest.update(overrides)
    return manifest


def library_files(
    library: tuple[str, int, int],
    *,
    patch: int = 0,
    preloaded=(),
    dynamic=(),
    code: str = "",
) -> dict[str, bytes]:
    name, major, minor = library
    script = f"{name.split('.')[-1].lower()}.js"
    manifest = {
        "title": f"Test {name}",
        "machineName": name,
        "majorVersion": major,
        "minorVersion": minor,
        "patchVersion": patch,
        "runnable": int(library == MAIN),
        "preloadedJs": [{"path": script}],
        "preloadedCss": [{"path": "styles/main.css"}],
        "preloadedDependencies": [dependency(d) for d in preloaded],
        "dynamicDependencies": [dependency(d) for d in dynamic],
    }
    root = folder(library)
    return {
        f"{root}/library.json": json.dumps(manifest).encode(),
        f"{root}/{script}": (code or f"window.{name} = {patch};").encode(),
        f"{root}/styles/main.css": b".h5p-test { color: teal; }",
        f"{root}/icon.svg": SVG_WITH_OUTSIDE_REFERENCES,
    }


def all_libraries(*, patch: int = 0) -> dict[str, bytes]:
    return (
        library_files(MAIN, patch=patch, preloaded=[QUESTION], dynamic=[IMAGE])
        | library_files(QUESTION, patch=patch)
        | library_files(IMAGE, patch=patch)
    )


def package_files(*, libraries: bool = True, patch: int = 0, **h5p) -> dict[str, bytes]:
    """The files of a valid package; with `libraries=False` as if exported without."""
    files = {
        "h5p.json": json.dumps(h5p_json(**h5p), ensure_ascii=False).encode(),
        "content/content.json": json.dumps(
            {"question": "<p>1/8 + 2/8 = ?</p>", "answers": ["3/8", "3/16"]}
        ).encode(),
        "content/images/pie.svg": SVG_WITH_OUTSIDE_REFERENCES,
        "content/images/photo.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    }
    if libraries:
        files |= all_libraries(patch=patch)
    return files


def zip_bytes(files: dict[str, bytes], *, level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


def with_entries(files: dict[str, bytes], *infos: tuple[zipfile.ZipInfo, bytes]):
    """A valid package plus hand-made entries (symlinks, encrypted flags...)."""
    buffer = io.BytesIO(zip_bytes(files))
    with zipfile.ZipFile(buffer, "a") as z:
        for info, data in infos:
            z.writestr(info, data)
    return buffer.getvalue()


def symlink_entry(name: str, points_to: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode bits in external_attr count
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, points_to.encode()


def zeros_entry(z: zipfile.ZipFile, name: str, size: int) -> None:
    """`size` zero bytes, compressed as they are written (never all in memory)."""
    block = bytes(min(size, 1024 * 1024))
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as out:
        left = size
        while left > 0:
            out.write(block[: min(left, len(block))])
            left -= len(block)


def bomb(size: int) -> bytes:
    buffer = io.BytesIO(zip_bytes(package_files()))
    with zipfile.ZipFile(buffer, "a", compresslevel=9) as z:
        zeros_entry(z, "content/zeros.txt", size)
    return buffer.getvalue()


def many_small_zeros(count: int, size: int) -> bytes:
    """Entries each under the ratio check's threshold; together too big."""
    buffer = io.BytesIO(zip_bytes(package_files()))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        block = bytes(size)
        for number in range(count):
            z.writestr(f"content/part{number}.txt", block)
    return buffer.getvalue()


def central_record(data: bytes, name: str) -> int:
    """Where the central directory describes `name`."""
    encoded = name.encode()
    record = data.find(b"PK\x01\x02")
    while record != -1:
        name_length = struct.unpack_from("<H", data, record + 28)[0]
        if data[record + 46 : record + 46 + name_length] == encoded:
            return record
        record = data.find(b"PK\x01\x02", record + 4)
    raise AssertionError(f"{name} not found in the central directory")


def lying_header(name: str, real: bytes, claimed: int) -> bytes:
    """A package whose entry `name` declares `claimed` bytes but holds `real`."""
    data = bytearray(zip_bytes(package_files() | {name: real}))
    record = central_record(data, name)
    # The uncompressed size: +24 in the central record, +22 in the local header.
    struct.pack_into("<I", data, record + 24, claimed)
    local = struct.unpack_from("<I", data, record + 42)[0]
    struct.pack_into("<I", data, local + 22, claimed)
    return bytes(data)


def encrypted(name: str) -> bytes:
    """A package whose entry `name` is flagged as encrypted (bit 0)."""
    data = bytearray(zip_bytes(package_files() | {name: b"secret"}))
    record = central_record(data, name)
    local = struct.unpack_from("<I", data, record + 42)[0]
    for offset in (record + 8, local + 6):
        struct.pack_into("<H", data, offset, data[offset] | 0x1)
    return bytes(data)


def renamed(data: bytes, old: str, new: bytes) -> bytes:
    """The archive with a name changed in place (names Python will not write)."""
    assert len(old.encode()) == len(new)
    return data.replace(old.encode(), new)
