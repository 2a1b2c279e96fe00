"""lessons:h5p_file serves package, library and player files read-only, with
headers that confine them, and nothing outside its three folders."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.lessons.h5p.install import sample_install
from tests.lessons.h5p.media import media_root_prepare

pytestmark = pytest.mark.django_db

SECRET = b"SECRET_KEY = 'do not serve me'"
PLAYER_JS = b"var H5PStandalone = {};"


@pytest.fixture
def media(settings, tmp_path):
    root = media_root_prepare(settings, tmp_path)
    player = tmp_path / "player"
    (player / "styles").mkdir(parents=True)
    (player / "main.bundle.js").write_bytes(PLAYER_JS)
    (player / "styles" / "h5p.css").write_text("body{}")
    (player / ".built").write_text("")
    settings.H5P_PLAYER_ROOT = player
    (tmp_path / "secret.py").write_bytes(SECRET)
    return root


@pytest.fixture
def package(media):
    return sample_install()


@pytest.fixture
def content_dir(media, package):
    return media / "h5p" / "content" / str(package.directory)


def url(path: str) -> str:
    return reverse("lessons:h5p_file", args=[path])


def get(path: str, **headers):
    return Client().get(url(path), headers=headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_content_json_is_served_with_confining_headers(package):
    response = get(f"content/{package.directory}/content/content.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert b'"answers"' in body(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert policy.endswith("sandbox")
    assert "max-age=" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_library_code_and_styles_have_their_types(package):
    response = get("libraries/H5P.MultiChoice-1.16/multichoice.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    css = get("libraries/H5P.MultiChoice-1.16/multichoice.css")
    assert css["Content-Type"].startswith("text/css")


def test_the_player_is_served_from_its_build_folder(media):
    response = get("player/main.bundle.js")
    assert response.status_code == 200
    assert body(response) == PLAYER_JS
    assert get("player/styles/h5p.css")["Content-Type"].startswith("text/css")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("drawing.svg", "image/svg+xml"),
        ("photo.JPG", "image/jpeg"),
        ("font.woff2", "font/woff2"),
        ("clip.mp4", "video/mp4"),
        ("sound.mp3", "audio/mpeg"),
        ("captions.vtt", "text/vtt; charset=utf-8"),
        ("page.html", "application/octet-stream"),
        ("README", "application/octet-stream"),
    ],
)
def test_content_types_come_from_a_fixed_list(content_dir, package, name, expected):
    (content_dir / "content" / name).write_bytes(b"<html><script>1</script>")
    response = get(f"content/{package.directory}/content/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == expected


@pytest.mark.parametrize(
    "path",
    [
        "content/../../secret.py",
        "content/%2e%2e/%2e%2e/secret.py",
        "libraries/../../secret.py",
        "player/../secret.py",
        "player/./main.bundle.js",
        "player//main.bundle.js",
        "player/.built",
        "player/styles",
        "player/",
        "player",
        "media/secret.py",
        "secret.py",
        "/etc/passwd",
        "content//etc/passwd",
    ],
)
def test_paths_outside_a_root_and_directories_are_not_found(media, path):
    response = Client().get(f"/library/h5p/files/{path}")
    assert response.status_code == 404


def test_a_symlink_out_of_a_package_is_not_followed(content_dir, package, tmp_path):
    (content_dir / "content" / "link.json").symlink_to(tmp_path / "secret.py")
    response = get(f"content/{package.directory}/content/link.json")
    assert response.status_code == 404


def test_an_unknown_package_directory_is_not_found(media):
    response = get(f"content/{uuid.uuid4()}/h5p.json")
    assert response.status_code == 404


def test_files_are_read_only(package):
    path = url(f"content/{package.directory}/h5p.json")
    assert Client().post(path).status_code == 405
    assert Client().get(path).status_code == 200
    assert Client().head(path).status_code == 200


def test_a_media_range_is_served_partially(content_dir, package):
    (content_dir / "content" / "clip.mp4").write_bytes(bytes(range(100)))
    response = get(f"content/{package.directory}/content/clip.mp4", Range="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/100"
    assert body(response) == bytes(range(10, 20))
    suffix = get(f"content/{package.directory}/content/clip.mp4", Range="bytes=-5")
    assert body(suffix) == bytes(range(95, 100))
    assert suffix["X-Content-Type-Options"] == "nosniff"


def test_an_unchanged_file_is_not_sent_again(package):
    path = f"content/{package.directory}/h5p.json"
    first = get(path)
    again = get(path, If_None_Match=first["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"


def test_the_debug_media_route_does_not_serve_games_without_their_headers(
    content_dir, settings
):
    """/media/h5p/… would serve the same files without the confining headers."""
    from django.http import Http404
    from django.test import RequestFactory

    from config.urls import public_media_serve

    settings.DEBUG = True
    stored = f"h5p/content/{content_dir.name}/content/content.json"
    assert (settings.MEDIA_ROOT / stored).is_file()
    request = RequestFactory().get("/media/" + stored)
    for path in [stored, f"x/../{stored}", stored.upper()]:
        with pytest.raises(Http404):
            public_media_serve(request, path)
