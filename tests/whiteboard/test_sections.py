"""Sections of the lesson page a teacher shows on every screen of a live lesson:
what the class may see of the attached library lesson, rendered, and nothing else.

The lesson is a real Wagtail page (tests/lessons/school_day/conftest.py builds it
with teacher notes, a whiteboard starter, a homework suggestion and two quizzes).
"""

import pytest
from django.test import Client
from django.urls import reverse

from lessons.h5p.models import H5PPackage
from lessons.models import LessonPlan
from tests import factories
from tests.lessons.school_day.conftest import (
    ACCEPTED,
    ALSO_RIGHT,
    HOMEWORK_TEXT,
    QUIZ_ID,
    RIGHT_CHOICE,
    SECOND_QUIZ_ID,
    STARTER_TITLE,
    TEACHER_NOTE,
    WRONG_CHOICE,
    full_body,
    library_lesson,
)
from whiteboard import live
from whiteboard.sections import lesson_sections

pytestmark = pytest.mark.django_db

SECRETS = (TEACHER_NOTE, STARTER_TITLE, HOMEWORK_TEXT, ACCEPTED, "десятых")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


def attach(city, lesson, **page_fields) -> LessonPlan:
    page = library_lesson(city.maths, **page_fields)
    return LessonPlan.objects.create(lesson=lesson, page=page, attached_by=city.teacher)


def test_sections_are_the_blocks_the_class_may_see_in_page_order(city, lesson):
    attach(city, lesson)
    sections = lesson_sections(lesson=lesson)
    assert [section.id for section in sections] == ["h", "p", QUIZ_ID, SECOND_QUIZ_ID]
    assert [section.title for section in sections] == [
        "Сравнение дробей",
        "Какая дробь больше?",
        "Проверь себя",
        "Ещё раз",
    ]


def test_no_teacher_notes_starter_homework_or_answers(city, lesson):
    attach(city, lesson)
    html = "".join(section.html for section in lesson_sections(lesson=lesson))
    assert "Сколько будет 1/8 + 2/8?" in html
    for choice in (RIGHT_CHOICE, WRONG_CHOICE, ALSO_RIGHT):
        assert choice in html
    for secret in SECRETS:
        assert secret not in html
    # Nothing tells a right choice from a wrong one.
    assert "correct" not in html
    assert "✓" not in html


def test_a_long_paragraph_gets_a_short_title(city, lesson):
    words = " ".join(["дробь"] * 40)
    body = [{"type": "paragraph", "id": "long", "value": f"<p><b>{words}</b></p>"}]
    attach(city, lesson, body=body)
    [section] = lesson_sections(lesson=lesson)
    assert len(section.title) <= 60
    assert section.title.startswith("дробь дробь")
    assert "<b>" in section.html


def test_a_game_is_a_link_to_play_it(city, lesson):
    package = H5PPackage.objects.create(
        title="Дроби",
        content_type="H5P.MultiChoice",
        main_library="H5P.MultiChoice 1.16",
    )
    body = [
        {"type": "h5p", "id": "game", "value": {"package": package.pk, "title": ""}}
    ]
    plan = attach(city, lesson, body=body)
    [section] = lesson_sections(lesson=lesson)
    play = reverse("lessons:h5p_play", args=[plan.page_id, lesson.pk, "game"])
    assert section.title == "Дроби"
    assert f'href="{play}"' in section.html


def test_no_plan_or_an_unusable_one_has_no_sections(city, lesson):
    assert lesson_sections(lesson=lesson) == []
    # Another author's unpublished lesson is not the class's to see.
    plan = attach(city, lesson, live=False)
    plan.page.owner = city.other_teacher
    plan.page.save(update_fields=["owner"])
    assert lesson_sections(lesson=lesson) == []


def test_sections_cost_one_query(city, lesson, django_assert_num_queries):
    attach(city, lesson)
    with django_assert_num_queries(1):
        lesson_sections(lesson=lesson)


# --- The pages that carry them


@pytest.fixture
def session(city, lesson):
    attach(city, lesson, body=full_body())
    return live.live_session_start(teacher=city.teacher, lesson=lesson)


def test_the_console_offers_each_section_to_show(city, session):
    html = client_for(city.teacher).get(
        reverse("whiteboard:live_console", args=[session.pk])
    )
    content = html.content.decode()
    for block_id in ("h", "p", QUIZ_ID, SECOND_QUIZ_ID):
        assert f'data-section-push="{block_id}"' in content
    assert 'data-section-push="n"' not in content
    assert TEACHER_NOTE not in content


def test_the_room_holds_every_section_hidden_until_one_is_shown(city, session):
    url = reverse("whiteboard:live_room", args=[session.pk])
    content = client_for(city.pupil_in).get(url).content.decode()
    assert 'id="live-section"' in content
    assert f'data-section="{QUIZ_ID}" data-title="Проверь себя" hidden' in content
    for secret in SECRETS:
        assert secret not in content

    live.live_section_push(teacher=city.teacher, session=session, section=QUIZ_ID)
    content = client_for(city.pupil_in).get(url).content.decode()
    assert f'data-section="{QUIZ_ID}" data-title="Проверь себя">' in content
    assert 'data-section="p" data-title="Какая дробь больше?" hidden' in content


@pytest.mark.parametrize("persona", ["pupil_out", "other_teacher", "parent"])
def test_the_room_and_its_sections_are_for_the_class_only(city, session, persona):
    url = reverse("whiteboard:live_room", args=[session.pk])
    assert client_for(getattr(city, persona)).get(url).status_code == 404


def test_the_console_plays_a_quiz_section_as_a_live_quiz(city, session):
    client = client_for(city.teacher)
    content = client.get(
        reverse("whiteboard:live_console", args=[session.pk])
    ).content.decode()
    assert f'data-quiz-block="{QUIZ_ID}"' in content
    assert 'data-quiz-block="h"' not in content
    response = client.post(
        reverse("lessons:plan_quiz_game", args=[session.lesson_id]),
        {"block": QUIZ_ID},
    )
    assert response.status_code == 302
    assert response.url.startswith("/points/quiz/")
