"""The diary links lessons that have a library lesson attached, at no extra query
per lesson (school does not import lessons: the link is a template include)."""

import datetime
import re

import pytest
from django.urls import reverse

from lessons.models import LessonPlan
from tests import factories
from tests.lessons.school_day.conftest import client_for, library_lesson
from tests.school.diary.test_queries import PAGE_QUERY_BOUND

pytestmark = pytest.mark.django_db


def diary_week(client, pupil, day: datetime.date):
    url = reverse("diary:week", args=[pupil.pk])
    return client.get(url, {"week": day.isoformat()})


@pytest.mark.parametrize("persona", ["pupil_in", "parent"])
def test_diary_links_the_lesson_material(city, plan, persona):
    bare = factories.make_lesson(
        city.class_in, city.maths, city.teacher, date=plan.lesson.date, number=2
    )
    response = diary_week(client_for(getattr(city, persona)), city.pupil_in, bare.date)
    html = response.content.decode()
    link = reverse("lessons:pupil_lesson", args=[plan.page_id, plan.lesson_id])
    assert html.count(f'href="{link}"') == 1
    assert html.count('class="lesson-material"') == 1
    lesson_html = html.split(f'data-lesson="{bare.pk}"')[1].split("</li>")[0]
    assert "lesson-material" not in lesson_html


def test_diary_with_plans_keeps_its_query_bound(
    city, plan, django_assert_max_num_queries
):
    monday = plan.lesson.date - datetime.timedelta(days=plan.lesson.date.weekday())
    for day in range(5):
        for number in (2, 3):
            lesson = factories.make_lesson(
                city.class_in,
                city.maths,
                city.teacher,
                date=monday + datetime.timedelta(days=day),
                number=number,
            )
            page = library_lesson(city.maths, title=f"Урок {day}.{number}")
            LessonPlan.objects.create(
                lesson=lesson, page=page, attached_by=city.teacher
            )
    client = client_for(city.pupil_in)
    with django_assert_max_num_queries(PAGE_QUERY_BOUND):
        response = diary_week(client, city.pupil_in, monday)
    assert response.content.decode().count('class="lesson-material"') == 11


def test_each_material_link_of_the_week_has_a_name_of_its_own(city, plan):
    """A screen reader's list of links tells the lessons apart (the subject and
    the day follow the visible words)."""
    physics = factories.SubjectFactory(code="physics", name="Физика")
    lesson = factories.make_lesson(
        city.class_in, physics, city.teacher, date=plan.lesson.date, number=2
    )
    page = library_lesson(city.maths, title="Ещё урок")
    LessonPlan.objects.create(lesson=lesson, page=page, attached_by=city.teacher)
    html = diary_week(client_for(city.pupil_in), city.pupil_in, plan.lesson.date)
    names = [
        re.sub(r"<[^>]+>", "", link)
        for link in re.findall(
            r'<p class="lesson-material"><a [^>]+>(.*?)</a>', html.content.decode()
        )
    ]
    assert len(names) == 2 and len(set(names)) == 2
    assert all(name.startswith("Материалы урока") for name in names)
