"""H5P games in the Wagtail admin, as teachers and administrators use it:
upload with a file input, refusals shown on the form, listing, chooser, rename
and delete of one's own games only; pupils and parents never reach it.

Personas: tests/conftest.py `city`; `root` is a platform administrator.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.h5p.models import H5PLibrary, H5PPackage
from lessons.h5p.packages import h5p_package_upload
from tests import factories
from tests.lessons.h5p import zips
from tests.lessons.h5p.media import h5p_upload, listing

pytestmark = pytest.mark.django_db
URLS = "wagtailsnippets_lessons_h5ppackage"


@pytest.fixture
def installed(media, root):
    """The libraries in the store, as after an administrator's first upload."""
    data = zips.zip_bytes(zips.package_files())
    return h5p_package_upload(user=root, upload=h5p_upload(data))


def signed_in(client, user):
    client.force_login(user)
    return client


def post_upload(client, files=None, title=""):
    data = zips.zip_bytes(zips.package_files() if files is None else files)
    return client.post(
        reverse(f"{URLS}:add"), {"title": title, "file": h5p_upload(data)}
    )


def test_create_form_has_a_file_input_for_h5p(client, city, media):
    response = signed_in(client, city.teacher).get(reverse(f"{URLS}:add"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html
    assert 'accept=".h5p"' in html
    assert 'enctype="multipart/form-data"' in html


def test_superuser_uploads_a_game(client, root, media):
    response = post_upload(signed_in(client, root), title="Дроби")

    assert response.status_code == 302
    package = H5PPackage.objects.get()
    assert package.title == "Дроби"
    assert package.uploaded_by == root
    assert H5PLibrary.objects.count() == 3
    assert (media / "h5p" / "content" / str(package.directory) / "h5p.json").is_file()


def test_teacher_uploads_a_game_whose_libraries_are_installed(client, city, installed):
    response = post_upload(signed_in(client, city.teacher))

    assert response.status_code == 302
    package = H5PPackage.objects.get(uploaded_by=city.teacher)
    assert package.title == "Дроби: выбери ответ"
    assert package.libraries.count() == 3


def test_refusal_is_shown_on_the_form_and_nothing_is_written(client, city, media):
    before = listing(media)

    response = post_upload(signed_in(client, city.teacher))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert [error.code for error in errors] == ["library_code_needs_admin"]
    assert not H5PPackage.objects.exists()
    assert listing(media) == before


def test_listing_shows_the_games_metadata(client, city, installed):
    response = signed_in(client, city.teacher).get(reverse(f"{URLS}:list"))

    assert response.status_code == 200
    html = response.content.decode()
    for shown in ("Дроби: выбери ответ", "H5P.TestChoice", "CC BY-SA", "Алиса Петрова"):
        assert shown in html


def test_listing_offers_edit_only_on_own_games(client, city, installed):
    post_upload(signed_in(client, city.teacher))
    own = H5PPackage.objects.get(uploaded_by=city.teacher)

    html = client.get(reverse(f"{URLS}:list")).content.decode()

    assert reverse(f"{URLS}:edit", args=[own.pk]) in html
    assert reverse(f"{URLS}:delete", args=[own.pk]) in html
    assert reverse(f"{URLS}:edit", args=[installed.pk]) not in html
    assert reverse(f"{URLS}:delete", args=[installed.pk]) not in html


def test_chooser_offers_the_games(client, city, installed):
    chooser = "wagtailsnippetchoosers_lessons_h5ppackage:choose"

    response = signed_in(client, city.teacher).get(reverse(chooser))

    assert response.status_code == 200
    assert "Дроби: выбери ответ" in response.json()["html"]


def test_uploader_renames_own_game(client, city, installed):
    post_upload(signed_in(client, city.teacher))
    own = H5PPackage.objects.get(uploaded_by=city.teacher)

    response = client.post(reverse(f"{URLS}:edit", args=[own.pk]), {"title": "Моя"})

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Моя"


def test_edit_form_changes_the_title_only(client, city, installed):
    post_upload(signed_in(client, city.teacher))
    own = H5PPackage.objects.get(uploaded_by=city.teacher)

    response = client.get(reverse(f"{URLS}:edit", args=[own.pk]))

    assert list(response.context["form"].fields) == ["title"]


@pytest.mark.parametrize("view", ["edit", "delete"])
def test_teacher_cannot_change_someone_elses_game(client, city, installed, view):
    response = signed_in(client, city.teacher).get(
        reverse(f"{URLS}:{view}", args=[installed.pk])
    )

    assert response.status_code == 404


def test_teacher_deletes_own_game_and_its_files(
    client, city, installed, media, django_capture_on_commit_callbacks
):
    post_upload(signed_in(client, city.teacher))
    own = H5PPackage.objects.get(uploaded_by=city.teacher)
    folder = media / "h5p" / "content" / str(own.directory)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(f"{URLS}:delete", args=[own.pk]))

    assert response.status_code == 302
    assert not H5PPackage.objects.filter(pk=own.pk).exists()
    assert not folder.exists()
    assert (media / "h5p" / "libraries" / "H5P.TestChoice-1.2").is_dir()


def test_administrator_may_delete_any_game(client, city, installed, root):
    other = factories.UserFactory(is_superuser=True, username="root2")

    response = signed_in(client, other).post(
        reverse(f"{URLS}:delete", args=[installed.pk])
    )

    assert response.status_code == 302
    assert not H5PPackage.objects.exists()


@pytest.mark.parametrize("who", ["pupil_in", "parent"])
@pytest.mark.parametrize("view", ["list", "add"])
def test_pupils_and_parents_cannot_reach_it(client, city, media, who, view):
    signed_in(client, getattr(city, who))

    response = client.get(reverse(f"{URLS}:{view}"))
    posted = post_upload(client) if view == "add" else None

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert posted is None or posted.status_code == 302
    assert not H5PPackage.objects.exists()


def test_listing_queries_do_not_grow_with_games(client, city, installed, root):
    signed_in(client, city.teacher)
    url = reverse(f"{URLS}:list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for uploader in (root, city.teacher, city.teacher):
        data = zips.zip_bytes(zips.package_files(libraries=False))
        h5p_package_upload(user=uploader, upload=h5p_upload(data))
    with CaptureQueriesContext(connection) as four:
        client.get(url)

    assert len(four) == len(one)
