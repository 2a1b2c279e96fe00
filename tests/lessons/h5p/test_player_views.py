"""The confined player: the frame document's headers, the host page's access,
and the pupil's lesson page showing its games without their answers.

Personas from tests/conftest.py `city`: Петя (pupil_in) is in 5А where Алиса
teaches; Вася (pupil_out) is in 7Б where Борис teaches; Ольга is Петя's parent,
Игорь is Вася's.
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.lessons.h5p import install
from tests.lessons.h5p.media import media_root_prepare
from tests.lessons.school_day.conftest import client_for, library_lesson

pytestmark = pytest.mark.django_db

TITLE_FOR_PUPILS = "Игра-про-дроби"


@pytest.fixture
def package(settings, tmp_path):
    media_root_prepare(settings, tmp_path)
    return install.sample_install()


@pytest.fixture
def plan(city, package):
    body = install.game_body(package, title=TITLE_FOR_PUPILS)
    page = library_lesson(city.maths, body=body)
    return install.game_plan(city.class_in, city.maths, city.teacher, page)


def play_url(plan, block_id: str = install.GAME_ID) -> str:
    return reverse("lessons:h5p_play", args=[plan.page_id, plan.lesson_id, block_id])


def frame_url(package) -> str:
    return reverse("lessons:h5p_frame", args=[package.directory])


# --- The frame document.


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    pairs = (part.strip().partition(" ") for part in policy.split(";"))
    return {name: value for name, _, value in pairs}


def test_the_frame_runs_sandboxed_under_its_own_policy(package):
    response = Client().get(frame_url(package))
    assert response.status_code == 200
    policy = directives(response)
    assert policy["sandbox"] == "allow-scripts"
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"
    assert policy["form-action"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-cache"


def test_the_frame_loads_the_player_and_names_the_packages_files(package):
    html = Client().get(frame_url(package)).content.decode()
    files = reverse("lessons:h5p_file", args=["x"])[: -len("x")]
    assert f'src="{files}player/main.bundle.js"' in html
    assert f'data-content="{files}content/{package.directory}"' in html
    assert f'data-libraries="{files}libraries"' in html
    # No inline script: the policy would refuse it.
    assert "<script>" not in html


def test_the_frame_holds_nothing_personal_and_sets_no_cookie(package, city):
    response = client_for(city.pupil_in).get(frame_url(package))
    html = response.content.decode()
    assert city.pupil_in.first_name not in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies


def test_an_unknown_package_has_no_frame(package):
    url = reverse("lessons:h5p_frame", args=[uuid.uuid4()])
    assert Client().get(url).status_code == 404


# --- The host page.


def test_a_pupil_of_the_class_gets_the_sandboxed_player_that_records(
    city, plan, package
):
    response = client_for(city.pupil_in).get(play_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'sandbox="allow-scripts"' in html
    assert "allow-same-origin" not in html
    assert f'src="{frame_url(package)}"' in html
    assert 'data-record="true"' in html
    state = reverse(
        "lessons:h5p_state", args=[plan.page_id, plan.lesson_id, install.GAME_ID]
    )
    assert f'data-state-url="{state}"' in html
    assert TITLE_FOR_PUPILS in html


@pytest.mark.parametrize("who", ["teacher", "parent"])
def test_the_class_teacher_and_the_parent_get_a_preview_that_records_nothing(
    city, plan, who
):
    response = client_for(getattr(city, who)).get(play_url(plan))
    assert response.status_code == 200
    assert 'data-record="false"' in response.content.decode()


@pytest.mark.parametrize(
    "who", ["pupil_out", "other_parent", "other_teacher", "admin_two"]
)
def test_people_outside_the_class_cannot_tell_the_game_exists(city, plan, who):
    assert client_for(getattr(city, who)).get(play_url(plan)).status_code == 404


def test_a_visitor_is_sent_to_sign_in(plan):
    response = Client().get(play_url(plan))
    assert response.status_code == 302


@pytest.mark.parametrize("block_id", ["p", "no-such-block"])
def test_a_block_that_is_not_a_game_has_no_player(city, plan, block_id):
    response = client_for(city.pupil_in).get(play_url(plan, block_id))
    assert response.status_code == 404


def test_a_game_of_a_lesson_not_attached_there_is_not_found(city, plan, package):
    other = library_lesson(
        city.maths, title="Другой урок", body=install.game_body(package)
    )
    url = reverse("lessons:h5p_play", args=[other.pk, plan.lesson_id, install.GAME_ID])
    assert client_for(city.pupil_in).get(url).status_code == 404


# --- The pupil's lesson page.


def test_the_lesson_page_links_each_game_to_its_player_without_the_answers(city, plan):
    url = reverse("lessons:pupil_lesson", args=[plan.page_id, plan.lesson_id])
    response = client_for(city.pupil_in).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-block-id="{install.GAME_ID}"' in html
    assert f'href="{play_url(plan)}"' in html
    assert TITLE_FOR_PUPILS in html
    # Only the player, in its frame, ever fetches content.json.
    for answer in (install.RIGHT_ANSWER, *install.WRONG_ANSWERS):
        assert answer not in html
    assert '"correct"' not in html
    assert "content.json" not in html
