"""Packages built from our own H5P sources have the specification's layout and
install through the same upload service as any `.h5p`."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lessons.h5p import builder
from lessons.h5p.archive import PackageRefused
from lessons.h5p.packages import h5p_package_upload
from tests.lessons.h5p.install import platform_admin
from tests.lessons.h5p.media import media_root_prepare

LIBRARY_KEYS = {
    "title",
    "machineName",
    "majorVersion",
    "minorVersion",
    "patchVersion",
    "runnable",
    "preloadedJs",
    "preloadedCss",
    "embedTypes",
}


def opened(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_every_sample_builds_with_h5p_json_at_the_root_and_its_library_folders():
    for name in builder.sample_names():
        archive = opened(builder.package_build(name))
        names = archive.namelist()
        assert names[0] == "h5p.json"
        assert "content/content.json" in names
        manifest = json.loads(archive.read("h5p.json"))
        for key in ("title", "mainLibrary", "language", "preloadedDependencies"):
            assert key in manifest, (name, key)
        main = next(
            d
            for d in manifest["preloadedDependencies"]
            if d["machineName"] == manifest["mainLibrary"]
        )
        assert f"{builder.library_folder(main)}/library.json" in names
        json.loads(archive.read("content/content.json"))


def test_library_json_names_its_version_and_files_that_exist():
    archive = opened(builder.package_build("fractions-choice"))
    names = set(archive.namelist())
    library = json.loads(archive.read("H5P.MultiChoice-1.16/library.json"))
    assert LIBRARY_KEYS <= set(library)
    assert (library["machineName"], library["majorVersion"]) == ("H5P.MultiChoice", 1)
    assert (library["minorVersion"], library["runnable"]) == (16, 1)
    for asset in library["preloadedJs"] + library["preloadedCss"]:
        assert f"H5P.MultiChoice-1.16/{asset['path']}" in names
    semantics = json.loads(archive.read("H5P.MultiChoice-1.16/semantics.json"))
    assert {field["name"] for field in semantics} >= {"question", "answers"}


def test_the_same_sources_build_the_same_bytes():
    assert builder.package_build("fractions-choice") == builder.package_build(
        "fractions-choice"
    )


def test_without_libraries_holds_only_the_content():
    names = opened(
        builder.package_build("fractions-choice", with_libraries=False)
    ).namelist()
    assert sorted(names) == ["content/content.json", "h5p.json"]


def test_an_unknown_sample_is_refused_by_name():
    with pytest.raises(KeyError, match="no-such-game"):
        builder.package_build("no-such-game")


def test_the_sample_content_follows_the_multichoice_format():
    content = json.loads(
        (builder.CONTENT / "fractions-choice" / "content" / "content.json").read_text()
    )
    assert content["question"]
    assert [answer["correct"] for answer in content["answers"]] == [True, False, False]
    for answer in content["answers"]:
        assert set(answer) == {"text", "correct", "tipsAndFeedback"}
    assert content["behaviour"]["type"] in {"auto", "multi", "single"}


@pytest.mark.django_db
def test_a_built_package_installs_through_the_upload_service(settings, tmp_path):
    media = media_root_prepare(settings, tmp_path)
    upload = SimpleUploadedFile("g.h5p", builder.package_build("fractions-choice"))
    package = h5p_package_upload(user=platform_admin(), upload=upload)
    assert package.main_library == "H5P.MultiChoice 1.16"
    content = media / "h5p" / "content" / str(package.directory)
    assert (content / "content" / "content.json").is_file()
    library = media / "h5p" / "libraries" / "H5P.MultiChoice-1.16"
    assert (library / "multichoice.js").is_file()


@pytest.mark.django_db
def test_a_package_built_without_libraries_is_refused(settings, tmp_path):
    media_root_prepare(settings, tmp_path)
    data = builder.package_build("fractions-choice", with_libraries=False)
    with pytest.raises(PackageRefused) as refused:
        h5p_package_upload(
            user=platform_admin(), upload=SimpleUploadedFile("g.h5p", data)
        )
    assert refused.value.code == "missing_libraries"
