"""Uploading valid H5P packages: where the files go, which rows are written,
what metadata is shown, and who may bring library code.

Personas: tests/conftest.py `city` (alice = city.teacher, bob = other_teacher);
`root` is a platform administrator.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied

from lessons.h5p.archive import PackageRefused
from lessons.h5p.models import H5PLibrary, H5PPackage
from lessons.h5p.packages import (
    h5p_package_delete,
    h5p_package_title_set,
    h5p_package_upload,
)
from tests.lessons.h5p import zips
from tests.lessons.h5p.media import h5p_upload, listing

pytestmark = pytest.mark.django_db


def upload(user, files=None, **kwargs):
    data = zips.zip_bytes(zips.package_files() if files is None else files)
    return h5p_package_upload(user=user, upload=h5p_upload(data), **kwargs)


def test_administrator_installs_a_package_with_its_libraries(media, root):
    package = upload(root)

    content = media / "h5p" / "content" / str(package.directory)
    assert json.loads((content / "h5p.json").read_text())["mainLibrary"] == zips.MAIN[0]
    assert (content / "content" / "content.json").is_file()
    assert (content / "content" / "images" / "photo.png").is_file()
    libraries = media / "h5p" / "libraries"
    for library in zips.ALL_LIBRARIES:
        assert (libraries / zips.folder(library) / "library.json").is_file()
    assert (libraries / "H5P.TestChoice-1.2" / "testchoice.js").is_file()
    assert (libraries / "H5P.TestChoice-1.2" / "styles" / "main.css").is_file()
    # The package's own library folders are not kept with its content.
    assert sorted(p.name for p in content.iterdir()) == ["content", "h5p.json"]
    assert not any(p.name.startswith(".incoming") for p in (media / "h5p").iterdir())


def test_metadata_comes_from_h5p_json(media, root):
    package = upload(root)

    assert package.title == "Дроби: выбери ответ"
    assert package.content_type == "H5P.TestChoice"
    assert package.main_library == "H5P.TestChoice 1.2"
    assert package.license == "CC BY-SA"
    assert package.authors == [
        {"name": "Алиса Петрова", "role": "Author"},
        {"name": "Школа №1", "role": "Editor"},
    ]
    assert package.h5p_json["language"] == "ru"
    assert package.uploaded_by == root
    assert package.size_bytes == len(zips.zip_bytes(zips.package_files()))


def test_the_uploader_may_give_a_title(media, root):
    assert upload(root, title="  Дроби, 5 класс ").title == "Дроби, 5 класс"


def test_package_lists_every_library_it_needs(media, root):
    package = upload(root)

    rows = {
        (lib.machine_name, lib.major_version, lib.minor_version, lib.patch_version)
        for lib in package.libraries.all()
    }
    # Main, its preloaded dependency and its dynamic dependency.
    assert rows == {(*library, 0) for library in zips.ALL_LIBRARIES}
    main = H5PLibrary.objects.get(machine_name=zips.MAIN[0])
    assert main.runnable
    assert main.installed_by == root


def test_svg_is_stored_without_outside_references(media, root):
    package = upload(root)

    drawings = [
        media / "h5p" / "content" / str(package.directory) / "content/images/pie.svg",
        media / "h5p" / "libraries" / "H5P.TestChoice-1.2" / "icon.svg",
    ]
    for drawing in drawings:
        stored = drawing.read_bytes()
        assert b"<circle" in stored
        assert b"tracker.example" not in stored
        assert b"foreignObject" not in stored


def test_teacher_reuploads_with_libraries_already_in_the_store(media, root, city):
    upload(root)
    libraries = media / "h5p" / "libraries"
    before = {p: p.read_bytes() for p in libraries.rglob("*") if p.is_file()}

    # The package brings its own copies (with other code): they are ignored.
    files = zips.package_files() | zips.library_files(
        zips.MAIN, preloaded=[zips.QUESTION], dynamic=[zips.IMAGE], code="steal()"
    )
    package = upload(city.teacher, files)

    assert package.uploaded_by == city.teacher
    assert package.libraries.count() == 3
    assert {p: p.read_bytes() for p in libraries.rglob("*") if p.is_file()} == before
    assert H5PLibrary.objects.count() == 3


def test_teacher_uploads_a_package_exported_without_libraries(media, root, city):
    upload(root)

    package = upload(city.teacher, zips.package_files(libraries=False))

    assert package.libraries.count() == 3


def test_teacher_may_bring_an_older_patch_of_an_installed_library(media, root, city):
    upload(root, zips.package_files(patch=3))

    package = upload(city.teacher, zips.package_files(patch=1))

    assert {lib.patch_version for lib in package.libraries.all()} == {3}


def test_teacher_bringing_a_newer_patch_is_refused(media, root, city):
    upload(root, zips.package_files(patch=1))

    with pytest.raises(PackageRefused) as refused:
        upload(city.teacher, zips.package_files(patch=2))

    assert refused.value.code == "library_code_needs_admin"
    assert H5PPackage.objects.count() == 1


def test_administrator_updates_a_library_to_a_newer_patch(media, root):
    first = upload(root, zips.package_files(patch=1))

    upload(root, zips.package_files(patch=2))

    main = H5PLibrary.objects.get(machine_name=zips.MAIN[0])
    assert main.patch_version == 2
    script = media / "h5p" / "libraries" / "H5P.TestChoice-1.2" / "testchoice.js"
    assert script.read_text() == "window.H5P.TestChoice = 2;"
    # The earlier package now plays with the updated library.
    assert main in first.libraries.all()
    assert not any(p.name.startswith(".") for p in (media / "h5p").iterdir())


def test_os_junk_is_left_out(media, root):
    files = zips.package_files() | {
        "__MACOSX/content/._content.json": b"\0\5\26\7",
        "content/.DS_Store": b"\0\0\0\1Bud1",
        "content/images/Thumbs.db": b"\xd0\xcf\x11\xe0",
    }
    package = upload(root, files)

    stored = listing(media / "h5p" / "content" / str(package.directory))
    assert not any("MACOSX" in p or "DS_Store" in p or "Thumbs" in p for p in stored)


def test_h5p_json_with_a_byte_order_mark_is_read(media, root):
    files = zips.package_files()
    files["h5p.json"] = b"\xef\xbb\xbf" + files["h5p.json"]

    assert upload(root, files).content_type == zips.MAIN[0]


def test_uploader_renames_and_another_teacher_cannot(media, root, city):
    upload(root)
    package = upload(city.teacher)

    h5p_package_title_set(package=package, user=city.teacher, title="Новое имя")
    with pytest.raises(PermissionDenied):
        h5p_package_title_set(package=package, user=city.other_teacher, title="x")

    package.refresh_from_db()
    assert package.title == "Новое имя"


def test_delete_removes_the_content_folder_but_not_libraries(
    media, root, django_capture_on_commit_callbacks
):
    package = upload(root)
    content = media / "h5p" / "content" / str(package.directory)

    with django_capture_on_commit_callbacks(execute=True):
        h5p_package_delete(package=package, user=root)

    assert not content.exists()
    assert not H5PPackage.objects.exists()
    assert (media / "h5p" / "libraries" / "H5P.TestChoice-1.2").is_dir()
    assert H5PLibrary.objects.count() == 3


def test_another_teacher_cannot_delete(media, root, city):
    upload(root)
    package = upload(city.teacher)

    with pytest.raises(PermissionDenied):
        h5p_package_delete(package=package, user=city.other_teacher)

    assert H5PPackage.objects.filter(pk=package.pk).exists()


def test_failure_while_moving_into_place_leaves_nothing(media, root, monkeypatch):
    """A disk failing half-way through the moves (cannot be caused for root
    here, so os.replace fails on its third call): the moved folders go back."""
    from lessons.h5p import packages

    real_replace = packages.os.replace
    calls = []

    def replace(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError("No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(packages.os, "replace", replace)
    before = listing(media)

    with pytest.raises(OSError):
        upload(root)

    assert len(calls) == 3
    assert listing(media) == before
    assert not H5PPackage.objects.exists()
    assert not H5PLibrary.objects.exists()
