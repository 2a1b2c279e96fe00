"""The demo library `seed_demo` loads: its tree, lessons, pictures and quizzes.

The city is loaded once for the module through the command, as `make run` does
(fixture shared with tests/school/test_seed_demo.py); each test runs in a
savepoint of that load.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site, WorkflowState

from lessons.demo_library import demo_library_seed
from lessons.models import (
    CoursePage,
    H5PPackage,
    LessonPage,
    LessonPlan,
    LibraryIndexPage,
    SubjectPage,
    UnitPage,
)
from school.models import Role
from tests.school.test_seed_demo import accounts_file  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(accounts_file):  # noqa: F811
    return accounts_file


def test_the_library_sits_under_the_sites_home_page(seeded):
    library = LibraryIndexPage.objects.get()
    site = Site.objects.get(is_default_site=True)
    assert library.get_parent().pk == site.root_page_id
    assert (library.title, library.slug, library.live) == (
        "Городская библиотека уроков",
        "library",
        True,
    )
    assert library.get_url() == site.root_page.get_url() + "library/"


def test_sections_courses_and_units_follow_the_citys_subjects(seeded):
    sections = SubjectPage.objects.child_of(LibraryIndexPage.objects.get())
    assert {s.subject.code for s in sections} == {
        "mathematics",
        "russian-language",
        "world-around",
    }
    courses = {c.title: c for c in CoursePage.objects.all()}
    assert courses["Математика, 5 класс"].grade == 5
    assert courses["Окружающий мир, 4 класс"].grade == 4
    units = set(UnitPage.objects.values_list("title", flat=True))
    assert {"Обыкновенные дроби", "Имя существительное", "Вода и её свойства"} <= units
    for lesson in LessonPage.objects.all():
        course = CoursePage.objects.ancestor_of(lesson).get()
        section = SubjectPage.objects.ancestor_of(lesson).get()
        assert (lesson.grade, lesson.subject_id) == (course.grade, section.subject_id)


def test_lessons_are_published_by_their_teachers_with_pictures(seeded):
    live = LessonPage.objects.live()
    assert 8 <= live.count() <= 12
    for lesson in live.select_related("owner"):
        assert lesson.live_revision is not None
        assert lesson.live_revision.user_id == lesson.owner_id
        assert lesson.owner.has_role(Role.TEACHER), lesson.title
        assert lesson.owner.teaching_assignments.filter(
            subject=lesson.subject, class_group__grade=lesson.grade
        ).exists()
        assert lesson.tags.exists() and "<li>" in lesson.objectives
        pictures = [b.value["image"] for b in lesson.body if b.block_type == "image"]
        assert pictures, lesson.title
        for image in pictures:
            assert image.collection.name == "Библиотека"
            with image.open_file() as file:
                assert Image.open(io.BytesIO(file.read())).size == (
                    image.width,
                    image.height,
                )


def quizzes(lesson: LessonPage) -> list:
    return [b.value for b in lesson.body if b.block_type == "quiz"]


def test_every_question_has_its_answer_and_a_time_limit(seeded):
    kinds = set()
    for lesson in LessonPage.objects.all():
        (quiz,) = quizzes(lesson)
        assert 3 <= len(quiz["questions"]) <= 5, lesson.title
        for question in quiz["questions"]:
            kinds.add(question["kind"])
            assert question["time_limit"] >= 5
            if question["kind"] == "choice":
                assert any(c["correct"] for c in question["choices"]), question
                assert not all(c["correct"] for c in question["choices"]), question
            else:
                assert [a for a in question["accepted_answers"] if a.strip()]
    assert kinds == {"choice", "short"}


def test_each_lesson_has_a_starter_notes_and_homework(seeded):
    for lesson in LessonPage.objects.all():
        types = [block.block_type for block in lesson.body]
        assert {"heading", "paragraph", "teacher_notes"} <= set(types)
        assert types.count("homework_suggestion") == 1
        (starter,) = [
            b.value for b in lesson.body if b.block_type == "whiteboard_starter"
        ]
        assert 1 <= len(starter["pages"]) <= 2
        grid = starter["pages"][0]["background"]
        assert grid is not None and grid.width > grid.height


def test_one_lesson_waits_for_moderation(seeded):
    (draft,) = LessonPage.objects.not_live()
    assert draft.has_unpublished_changes and draft.live_revision is None
    assert draft.latest_revision.user_id == draft.owner_id
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by_id == draft.owner_id


def test_published_lessons_are_planned_in_their_teachers_timetable(seeded):
    plans = LessonPlan.objects.select_related("lesson__class_group", "page")
    assert plans.exists()
    for plan in plans:
        lesson, page = plan.lesson, plan.page
        assert page.live and plan.attached_by_id == page.owner_id == lesson.teacher_id
        assert lesson.subject_id == page.subject_id
        assert lesson.class_group.grade == page.grade
    pages = plans.values_list("page", flat=True)
    assert LessonPage.objects.live().exclude(pk__in=pages).count() == 0


def library_snapshot() -> dict:
    image_model = get_image_model()
    models = (Page, Revision, image_model, LessonPlan, WorkflowState, H5PPackage)
    return {
        model.__name__: (model.objects.count(), model.objects.aggregate(m=Max("pk")))
        for model in models
    }


def test_fraction_lessons_carry_h5p_games_that_are_installed(seeded, settings):
    lesson = LessonPage.objects.live().get(slug="comparing-fractions")
    games = [
        block.value["package"] for block in lesson.body if block.block_type == "h5p"
    ]
    assert [game.content_type for game in games] == ["H5P.MultiChoice"] * 2
    for game in games:
        content = Path(settings.MEDIA_ROOT) / game.content_dir / "content"
        assert (content / "content.json").is_file()
        assert game.libraries.filter(machine_name="H5P.MultiChoice").exists()
    assert H5PPackage.objects.count() == 3


def test_a_second_run_writes_nothing(seeded):
    before = library_snapshot()
    call_command("seed_demo", "--quiet")
    assert library_snapshot() == before


def test_a_deleted_lesson_is_put_back_and_the_rest_kept(seeded):
    lesson = LessonPage.objects.live().get(slug="comparing-fractions")
    unit = lesson.get_parent()
    other = LessonPage.objects.live().get(slug="what-is-a-fraction")
    other.title = "Дроби: вводный урок"
    other.save_revision(user=other.owner).publish(skip_permission_checks=True)
    LessonPlan.objects.filter(page=lesson).delete()
    lesson.delete()
    assert demo_library_seed(today=other.last_published_at.date()) > 0
    restored = LessonPage.objects.child_of(unit).get(slug="comparing-fractions")
    assert restored.live and quizzes(restored)
    assert LessonPage.objects.get(pk=other.pk).title == "Дроби: вводный урок"


def test_the_author_finds_the_lessons_in_the_library(seeded, client):
    lesson = LessonPage.objects.live().get(slug="what-is-a-fraction")
    client.force_login(lesson.owner)
    listing = client.get(reverse("lessons:library"))
    assert listing.status_code == 200
    assert lesson.title in listing.text
    shown = client.get(reverse("lessons:library_lesson", args=[lesson.pk]))
    assert shown.status_code == 200
    assert "Числитель и знаменатель" in shown.text
    assert "Закрашено три восьмых круга" in shown.text  # the picture's caption
