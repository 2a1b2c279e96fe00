"""The malicious-package corpus: each package is generated here and refused
with its own reason, and after a refusal nothing new exists under MEDIA_ROOT
and no row was written.

Corpus cases run as a platform administrator (who may bring library code), so
only the flaw itself can be the reason; the teacher-specific refusal is the
last case. Personas: tests/conftest.py `city`.
"""

import io
import tempfile
import zipfile

import pytest
from django.utils import translation

from lessons.h5p.archive import PackageRefused
from lessons.h5p.models import H5PLibrary, H5PPackage
from lessons.h5p.packages import h5p_package_upload
from tests.lessons.h5p import zips
from tests.lessons.h5p.media import h5p_upload, listing

pytestmark = pytest.mark.django_db
MiB = 1024 * 1024


def valid() -> bytes:
    return zips.zip_bytes(zips.package_files())


def with_files(files: dict[str, bytes]) -> bytes:
    return zips.zip_bytes(zips.package_files() | files)


def without(*names: str, libraries: bool = True) -> bytes:
    files = zips.package_files(libraries=libraries)
    return zips.zip_bytes({k: v for k, v in files.items() if k not in names})


def huge_h5p_json() -> bytes:
    files = zips.package_files()
    files["h5p.json"] = (
        files["h5p.json"][:-1] + b', "padding": "' + b"x" * 70_000 + b'"}'
    )
    return zips.zip_bytes(files)


def many_entries() -> bytes:
    return with_files({f"content/n{i}.txt": b"" for i in range(5_001)})


def not_quite_h5p_json() -> bytes:
    files = zips.package_files()
    files["h5p.json"] = b'{"title": "no main library", "preloadedDependencies": []}'
    return zips.zip_bytes(files)


def dependency_missing() -> bytes:
    files = zips.package_files()
    return zips.zip_bytes(
        {k: v for k, v in files.items() if not k.startswith(zips.folder(zips.IMAGE))}
    )


def library_without_manifest() -> bytes:
    files = zips.package_files()
    del files[f"{zips.folder(zips.QUESTION)}/library.json"]
    return zips.zip_bytes(files)


CORPUS = {
    "not-a-zip": (lambda: b"%PDF-1.7 not a zip at all", "not_a_zip"),
    "zip-slip-dotdot": (lambda: with_files({"../x.json": b"{}"}), "zip_slip"),
    "zip-slip-absolute": (lambda: with_files({"/abs.json": b"{}"}), "zip_slip"),
    "zip-slip-drive": (lambda: with_files({"C:\\x.json": b"{}"}), "zip_slip"),
    "zip-slip-inside": (
        lambda: with_files({"content/../../x.json": b"{}"}),
        "zip_slip",
    ),
    "backslash": (lambda: with_files({"content\\x.json": b"{}"}), "zip_slip"),
    "nul-in-name": (
        lambda: zips.renamed(
            with_files({"content/x.php_.png": b""}), "x.php_.png", b"x.php\0.png"
        ),
        "bad_name",
    ),
    "bomb-one-entry": (lambda: zips.bomb(20 * MiB), "compression_ratio"),
    "bomb-many-entries": (many_entries, "too_many_entries"),
    "bomb-total": (
        lambda: zips.many_small_zeros(300, 900 * 1024),
        "too_large_uncompressed",
    ),
    "lying-header": (
        lambda: zips.lying_header("content/notes.txt", b"seven " * 2_000, 600),
        "lying_header",
    ),
    "symlink": (
        lambda: zips.with_entries(
            zips.package_files(), zips.symlink_entry("content/passwd.txt", "/etc")
        ),
        "symlink",
    ),
    "encrypted": (
        lambda: zips.encrypted("content/secret.txt"),
        "encrypted",
    ),
    "svg-script": (
        lambda: with_files({"content/images/pie.svg": zips.SVG_WITH_SCRIPT}),
        "svg_script",
    ),
    "svg-event-handler": (
        lambda: with_files({"content/images/pie.svg": zips.SVG_WITH_HANDLER}),
        "svg_script",
    ),
    "svg-javascript-link": (
        lambda: with_files({"content/images/pie.svg": zips.SVG_WITH_JAVASCRIPT_LINK}),
        "svg_script",
    ),
    "svg-script-in-library": (
        lambda: with_files({"H5P.TestChoice-1.2/icon.svg": zips.SVG_WITH_SCRIPT}),
        "svg_script",
    ),
    "svg-unparseable": (
        lambda: with_files({"content/broken.svg": b"<svg><rect"}),
        "invalid_svg",
    ),
    "huge-h5p-json": (huge_h5p_json, "manifest_too_large"),
    "h5p-json-not-json": (
        lambda: with_files({"h5p.json": b"{'title': 1"}),
        "invalid_json",
    ),
    "h5p-json-no-main-library": (not_quite_h5p_json, "invalid_manifest"),
    "no-h5p-json": (lambda: without("h5p.json"), "missing_h5p_json"),
    "no-content-json": (lambda: without("content/content.json"), "missing_content"),
    "exported-without-libraries": (
        lambda: without(libraries=False),
        "missing_libraries",
    ),
    "dependency-missing": (dependency_missing, "missing_libraries"),
    "library-without-library-json": (library_without_manifest, "missing_library_json"),
    "library-folder-mismatch": (
        lambda: with_files(
            {
                "H5P.Other-9.9/library.json": zips.library_files(zips.QUESTION)[
                    f"{zips.folder(zips.QUESTION)}/library.json"
                ]
            }
        ),
        "library_folder_mismatch",
    ),
    "library-script-missing": (
        lambda: without(f"{zips.folder(zips.MAIN)}/testchoice.js"),
        "library_file_missing",
    ),
    "nested-zip": (
        lambda: with_files({"content/more.zip": zips.zip_bytes({})}),
        "nested_archive",
    ),
    "nested-zip-as-png": (
        lambda: with_files({"content/images/cat.png": zips.zip_bytes({"a.txt": b"a"})}),
        "nested_archive",
    ),
    "nested-gzip-as-txt": (
        lambda: with_files({"content/notes.txt": b"\x1f\x8b\x08\x00" + bytes(40)}),
        "nested_archive",
    ),
    "extension-php": (
        lambda: with_files({"content/shell.php": b"<?php"}),
        "disallowed_extension",
    ),
    "extension-html": (
        lambda: with_files({"content/page.html": b"<script></script>"}),
        "disallowed_extension",
    ),
    "extension-exe": (
        lambda: with_files({"content/tool.exe": b"MZ"}),
        "disallowed_extension",
    ),
    "extension-php-in-library": (
        lambda: with_files({f"{zips.folder(zips.MAIN)}/x.php": b"<?php"}),
        "disallowed_extension",
    ),
    "no-extension": (
        lambda: with_files({"content/README": b"hi"}),
        "disallowed_extension",
    ),
    "top-level-file": (lambda: with_files({"evil.json": b"{}"}), "unexpected_file"),
    "collision-unicode": (
        lambda: with_files({"content/\u00c4.png": b"1", "content/A\u0308.png": b"2"}),
        "name_collision",
    ),
    "collision-case": (
        lambda: with_files({"content/Image.png": b"1", "content/image.png": b"2"}),
        "name_collision",
    ),
    "collision-folder-case": (
        lambda: with_files({"content/Pics/a.png": b"1", "content/pics/b.png": b"2"}),
        "name_collision",
    ),
}


@pytest.mark.parametrize(
    ("build", "code"), list(CORPUS.values()), ids=list(CORPUS.keys())
)
def test_malicious_package_is_refused_and_leaves_nothing(media, root, build, code):
    data = build()
    before = listing(media)

    with pytest.raises(PackageRefused) as refused:
        h5p_package_upload(user=root, upload=h5p_upload(data))

    assert refused.value.code == code
    assert listing(media) == before
    assert not H5PPackage.objects.exists()
    assert not H5PLibrary.objects.exists()


def test_the_corpus_package_itself_is_valid(media, root):
    """Without the flaw, the base package installs: the flaws are the reasons."""
    game = h5p_package_upload(user=root, upload=h5p_upload(valid()))
    assert game.libraries.count() == 3


def test_upload_over_fifty_mebibytes_is_refused_before_reading(media, root):
    with tempfile.TemporaryFile() as upload:
        upload.write(zips.zip_bytes(zips.package_files()))
        upload.seek(50 * MiB)
        upload.write(b"\0")

        with pytest.raises(PackageRefused) as refused:
            h5p_package_upload(user=root, upload=upload)

    assert refused.value.code == "upload_too_large"
    assert not H5PPackage.objects.exists()


def test_package_without_libraries_is_told_to_be_exported_with_them(media, root):
    with pytest.raises(PackageRefused) as refused:
        h5p_package_upload(user=root, upload=h5p_upload(without(libraries=False)))

    with translation.override("en"):
        message = refused.value.message % refused.value.params
    assert "exported without libraries" in message
    assert zips.MAIN[0] in message


def test_missing_dependency_names_the_library(media, root):
    with pytest.raises(PackageRefused) as refused:
        h5p_package_upload(user=root, upload=h5p_upload(dependency_missing()))

    assert "H5P.TestImage 1.1" in refused.value.params["libraries"]


def test_teacher_bringing_new_library_code_is_refused(media, city):
    before = listing(media)

    with pytest.raises(PackageRefused) as refused:
        h5p_package_upload(user=city.teacher, upload=h5p_upload(valid()))

    assert refused.value.code == "library_code_needs_admin"
    assert zips.MAIN[0] in refused.value.params["libraries"]
    assert listing(media) == before
    assert not H5PPackage.objects.exists()
    assert not H5PLibrary.objects.exists()


@pytest.mark.parametrize("who", ["pupil_in", "parent"])
def test_pupils_and_parents_cannot_upload(media, city, who):
    with pytest.raises(PackageRefused) as refused:
        h5p_package_upload(user=getattr(city, who), upload=h5p_upload(valid()))

    assert refused.value.code == "upload_not_allowed"


def test_a_zip_written_by_python_with_a_real_symlink_flag_is_seen(media):
    data = zips.with_entries({}, zips.symlink_entry("content/x.txt", "/"))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("content/x.txt")
    assert info.external_attr >> 16 & 0o170000 == 0o120000
