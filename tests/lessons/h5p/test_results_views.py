"""The results endpoints as the host page and the teacher use them."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.h5p.models import H5PActivitySettings, H5PAttempt, H5PContentState
from school.models import Mark, WorkType
from tests import factories
from tests.lessons.h5p import xapi
from tests.lessons.h5p.activity import GAME_ID, package_make, plan_make
from tests.lessons.school_day.conftest import client_for

CSRF = "a" * 32
OUTSIDERS = ["pupil_out", "parent", "other_teacher", "admin_two", "teacher", None]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(city):
    return plan_make(city, package_make("multichoice", xapi.MC))


def url(name, plan, block_id=GAME_ID):
    return reverse(f"lessons:{name}", args=[plan.page_id, plan.lesson_id, block_id])


def teacher_url(name, plan, block_id=GAME_ID):
    return reverse(f"lessons:{name}", args=[plan.lesson_id, block_id])


def person(city, who):
    return None if who is None else getattr(city, who)


def post_json(client, target, payload, **extra):
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    return client.post(target, body, content_type="application/json", **extra)


def send(client, plan, statement, report=None):
    payload = {"statement": statement, "report": report}
    return post_json(client, url("h5p_statement", plan), payload)


# --- Statements.
def test_pupil_records_a_verified_attempt(city, plan):
    response = send(
        client_for(city.pupil_in), plan, xapi.statement(2, 2, response="0[,]2")
    )

    assert response.status_code == 201
    body = response.json()
    attempt = H5PAttempt.objects.get()
    assert body == {
        "attempt": attempt.pk,
        "raw": "2",
        "max": "2",
        "scaled": 1.0,
        "verification": "verified",
    }
    assert attempt.pupil == city.pupil_in


def test_forged_full_marks_are_recorded_with_the_servers_score(city, plan):
    forged = xapi.statement(2, 2, response="1[,]3", success=True)

    response = send(client_for(city.pupil_in), plan, forged)

    assert response.status_code == 201
    assert response.json()["verification"] == "mismatch"
    assert (response.json()["raw"], response.json()["max"]) == ("0", "2")
    attempt = H5PAttempt.objects.get()
    assert (attempt.raw_score, attempt.claimed_raw) == (0, 2)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_nobody_else_records(city, plan, who):
    response = send(
        client_for(person(city, who)), plan, xapi.statement(2, 2, response="0[,]2")
    )

    assert response.status_code == 404
    assert not H5PAttempt.objects.exists()


def test_the_host_page_must_send_the_csrf_token(city, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.pupil_in, backend="school.backends.LocalPasswordBackend")
    client.cookies["csrftoken"] = CSRF
    payload = {"statement": xapi.statement(2, 2, response="0[,]2"), "report": None}

    refused = post_json(client, url("h5p_statement", plan), payload)
    accepted = post_json(
        client, url("h5p_statement", plan), payload, HTTP_X_CSRFTOKEN=CSRF
    )

    assert (refused.status_code, accepted.status_code) == (403, 201)
    assert H5PAttempt.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        ({"statement": "answered"}, 400),
        ({"report": None}, 400),
        ({"statement": xapi.statement(1, 1, response="0", parent=True)}, 400),
        ({"statement": xapi.statement(1, 1, verb="progressed")}, 400),
        ({"statement": xapi.statement(1, 2, response="0"), "pad": "x" * 262_144}, 413),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(city, plan, payload, status):
    response = post_json(client_for(city.pupil_in), url("h5p_statement", plan), payload)

    assert response.status_code == status
    assert response.json()["error"]
    assert not H5PAttempt.objects.exists()


def test_statements_are_posted_only(city, plan):
    response = client_for(city.pupil_in).get(url("h5p_statement", plan))

    assert response.status_code == 405


def test_an_unknown_block_is_not_found(city, plan):
    client = client_for(city.pupil_in)
    payload = {"statement": xapi.statement(1, 2, response="0")}

    response = post_json(client, url("h5p_statement", plan, "nope"), payload)

    assert response.status_code == 404


# --- Resume state.
def test_state_round_trip(city, plan):
    client = client_for(city.pupil_in)
    target = url("h5p_state", plan)

    assert client.get(target).json() == {"state": None}
    saved = post_json(client, target, {"state": '{"progress": 1}'})

    assert saved.status_code == 204
    assert client.get(target).json() == {"state": '{"progress": 1}'}


def test_state_over_the_cap_is_refused_with_413(city, plan):
    client = client_for(city.pupil_in)
    target = url("h5p_state", plan)
    post_json(client, target, {"state": "старое"})

    response = post_json(client, target, {"state": "x" * (64 * 1024 + 1)})

    assert response.status_code == 413
    assert response.json()["error"]
    assert H5PContentState.objects.get().data == "старое"


def test_state_must_be_text(city, plan):
    response = post_json(
        client_for(city.pupil_in), url("h5p_state", plan), {"state": 5}
    )

    assert response.status_code == 400
    assert not H5PContentState.objects.exists()


@pytest.mark.parametrize("who", OUTSIDERS)
def test_state_is_the_pupils_own(city, plan, who):
    client = client_for(person(city, who))

    assert client.get(url("h5p_state", plan)).status_code == 404
    assert post_json(client, url("h5p_state", plan), {"state": "{}"}).status_code == 404


# --- The teacher's results page.
def play(city, plan, pupil, response, claimed_raw):
    statement = xapi.statement(claimed_raw, 2, response=response)
    assert send(client_for(pupil), plan, statement).status_code == 201


def test_teacher_sees_every_attempt_with_its_check(city, plan):
    play(city, plan, city.pupil_in, "0", 1)
    play(city, plan, city.pupil_in, "1", 2)  # forged

    response = client_for(city.teacher).get(teacher_url("h5p_results", plan))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-pupil="{city.pupil_in.pk}"' in html
    assert html.count('data-verification="verified"') == 1
    assert html.count('data-verification="mismatch"') == 1
    assert 'class="h5p-counts-form"' in html
    assert 'class="h5p-gradebook-form"' in html
    row = response.context["results"].rows[0]
    assert (row.counted.raw_score, row.counted_verified) == (1, True)


def test_school_admin_sees_results_without_the_teachers_forms(city, plan):
    response = client_for(city.admin_one).get(teacher_url("h5p_results", plan))

    assert response.status_code == 200
    assert 'class="h5p-counts-form"' not in response.content.decode()
    assert 'class="h5p-gradebook-form"' not in response.content.decode()


@pytest.mark.parametrize("who", ["pupil_in", "parent", "other_teacher", "admin_two"])
def test_results_are_hidden_from_others(city, plan, who):
    response = client_for(getattr(city, who)).get(teacher_url("h5p_results", plan))

    assert response.status_code == 404


def test_results_of_an_unknown_block_are_not_found(city, plan):
    response = client_for(city.teacher).get(teacher_url("h5p_results", plan, "p"))

    assert response.status_code == 404


def queries_of(client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured.captured_queries)


def test_results_page_queries_do_not_grow_with_pupils(city, plan):
    client = client_for(city.teacher)
    target = teacher_url("h5p_results", plan)
    play(city, plan, city.pupil_in, "0", 1)
    few = queries_of(client, target)
    for number in range(5):
        pupil = factories.make_pupil(city.class_in, username=f"p{number}")
        play(city, plan, pupil, "0[,]2", 2)
        play(city, plan, pupil, "1", 0)

    assert few > 5
    assert queries_of(client, target) == few


def test_plan_page_links_to_the_games_results(city, plan):
    response = client_for(city.teacher).get(
        reverse("lessons:plan", args=[plan.lesson_id])
    )

    assert teacher_url("h5p_results", plan) in response.content.decode()


# --- Choosing the counted attempt.
def test_teacher_chooses_the_counted_attempt(city, plan):
    play(city, plan, city.pupil_in, "0[,]2", 2)
    play(city, plan, city.pupil_in, "0", 1)
    client = client_for(city.teacher)

    response = client.post(teacher_url("h5p_counts", plan), {"counts": "last"})

    assert response.status_code == 302
    assert H5PActivitySettings.objects.get().counts == "last"
    page = client.get(teacher_url("h5p_results", plan))
    assert page.context["results"].rows[0].counted.raw_score == 1


def test_a_bad_choice_changes_nothing(city, plan):
    client_for(city.teacher).post(teacher_url("h5p_counts", plan), {"counts": "avg"})

    assert not H5PActivitySettings.objects.exists()


@pytest.mark.parametrize("who", ["admin_one", "pupil_in", "other_teacher"])
def test_only_the_class_teachers_choose(city, plan, who):
    client = client_for(getattr(city, who))

    response = client.post(teacher_url("h5p_counts", plan), {"counts": "last"})

    assert response.status_code == 404
    assert not H5PActivitySettings.objects.exists()


# --- Putting scores into the gradebook.
def test_gradebook_gets_marks_for_verified_scores_only(city, plan):
    forger = factories.make_pupil(city.class_in, username="forger")
    play(city, plan, city.pupil_in, "0[,]2", 2)
    play(city, plan, forger, "1", 2)
    work_type = WorkType.objects.first()

    response = client_for(city.teacher).post(
        teacher_url("h5p_gradebook", plan), {"work_type": work_type.pk}
    )

    assert response.status_code == 302
    marks = Mark.objects.values_list("pupil", "value", "work_type", "lesson")
    assert list(marks) == [(city.pupil_in.pk, 5, work_type.pk, plan.lesson_id)]


def test_gradebook_marks_use_the_gradebooks_scale(city, plan):
    from school.gradebook.services import gradebook_for

    gradebook = gradebook_for(lesson=plan.lesson)
    gradebook.scale = "hundred"
    gradebook.save(update_fields=["scale"])
    play(city, plan, city.pupil_in, "0", 1)

    client_for(city.teacher).post(
        teacher_url("h5p_gradebook", plan), {"work_type": WorkType.objects.first().pk}
    )

    mark = Mark.objects.get()
    assert (mark.scale, mark.value) == ("hundred", 50)


def test_gradebook_needs_a_work_type(city, plan):
    play(city, plan, city.pupil_in, "0[,]2", 2)

    client_for(city.teacher).post(
        teacher_url("h5p_gradebook", plan), {"work_type": "x"}
    )

    assert not Mark.objects.exists()


@pytest.mark.parametrize("who", ["admin_one", "pupil_in", "parent", "other_teacher"])
def test_only_the_class_teachers_send_marks(city, plan, who):
    play(city, plan, city.pupil_in, "0[,]2", 2)

    response = client_for(getattr(city, who)).post(
        teacher_url("h5p_gradebook", plan), {"work_type": WorkType.objects.first().pk}
    )

    assert response.status_code == 404
    assert not Mark.objects.exists()
