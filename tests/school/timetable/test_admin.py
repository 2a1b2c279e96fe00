"""Bells and weekly timetables in the Wagtail admin, scoped to the editor's school;
saving a line keeps the dated lessons in line."""

import pytest
from django.urls import reverse
from django.utils import timezone

from school.models import Lesson, LessonSlot, TeachingAssignment, WeeklySlot
from school.timetable.services import lessons_generate_for_term
from tests import factories
from tests.school.timetable.conftest import signed_in

pytestmark = pytest.mark.django_db


def line_data(city, timetable, **changes) -> dict:
    data = {
        "class_group": city.class_in.pk,
        "weekday": 5,
        "slot": timetable.bells[2].pk,
        "subject": city.maths.pk,
        "teacher": city.teacher.pk,
        "room": "12",
    }
    return {**data, **changes}


def test_admin_lists_only_own_schools_bells_and_lines(city, timetable):
    foreign_line = WeeklySlot.objects.create(
        class_group=city.class_out,
        weekday=1,
        slot=LessonSlot.objects.get(school=city.school_two, number=1),
        subject=city.maths,
        teacher=city.other_teacher,
    )
    client = signed_in(city.admin_one)
    lines = client.get(reverse("weeklyslot:index")).context["object_list"]
    assert {line.pk for line in lines} == {timetable.monday.pk, timetable.wednesday.pk}
    bells = client.get(reverse("lessonslot:index")).context["object_list"]
    assert {bell.school_id for bell in bells} == {city.school_one.pk}
    for view in ("edit", "delete"):
        url = reverse(f"weeklyslot:{view}", args=[foreign_line.pk])
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("weeklyslot:delete", args=[foreign_line.pk])).status_code
        == 404
    )
    assert WeeklySlot.objects.filter(pk=foreign_line.pk).exists()


@pytest.mark.parametrize("persona", ["teacher", "pupil_in", "parent"])
def test_people_without_the_admin_role_cannot_open_it(city, timetable, persona):
    client = signed_in(getattr(city, persona))
    response = client.get(reverse("weeklyslot:index"))
    assert response.status_code in (302, 403)


def test_a_new_line_adds_future_lessons_to_a_generated_term(city, timetable):
    lessons_generate_for_term(class_group=city.class_in, term=timetable.term)
    response = signed_in(city.admin_one).post(
        reverse("weeklyslot:add"), line_data(city, timetable)
    )
    assert response.status_code == 302
    line = WeeklySlot.objects.get(weekday=5)
    fridays = Lesson.objects.filter(pattern=line)
    assert fridays.exists()
    assert all(lesson.date > timezone.localdate() for lesson in fridays)
    assert {lesson.room for lesson in fridays} == {"12"}


def test_editing_a_line_changes_future_lessons(city, timetable):
    lessons_generate_for_term(class_group=city.class_in, term=timetable.term)
    url = reverse("weeklyslot:edit", args=[timetable.monday.pk])
    data = line_data(city, timetable, weekday=1, slot=timetable.bells[0].pk, room="404")
    response = signed_in(city.admin_one).post(url, data)
    assert response.status_code == 302
    today = timezone.localdate()
    mondays = Lesson.objects.filter(pattern=timetable.monday)
    assert {lesson.room for lesson in mondays if lesson.date > today} == {"404"}
    assert {lesson.room for lesson in mondays if lesson.date <= today} <= {"21"}


def test_deleting_a_line_removes_its_future_lessons(city, timetable):
    lessons_generate_for_term(class_group=city.class_in, term=timetable.term)
    url = reverse("weeklyslot:delete", args=[timetable.wednesday.pk])
    assert signed_in(city.admin_one).post(url).status_code == 302
    assert not WeeklySlot.objects.filter(pk=timetable.wednesday.pk).exists()
    wednesdays = Lesson.objects.filter(class_group=city.class_in, date__week_day=4)
    assert not wednesdays.filter(date__gt=timezone.localdate()).exists()


def test_a_crafted_line_with_another_schools_teacher_or_bell_is_refused(
    city, timetable
):
    client = signed_in(city.admin_one)
    foreign_bell = LessonSlot.objects.get(school=city.school_two, number=3)
    for changes in ({"teacher": city.other_teacher.pk}, {"slot": foreign_bell.pk}):
        response = client.post(
            reverse("weeklyslot:add"), line_data(city, timetable, **changes)
        )
        assert response.status_code == 200  # the form again, with its error
    crafted_class = line_data(city, timetable, class_group=city.class_out.pk)
    assert client.post(reverse("weeklyslot:add"), crafted_class).status_code == 200
    assert not WeeklySlot.objects.filter(weekday=5).exists()


def test_a_teacher_cannot_be_in_two_classes_at_once(city, timetable):
    other_class = factories.ClassGroupFactory(
        academic_year=city.class_in.academic_year, school=city.school_one, letter="Я"
    )
    TeachingAssignment.objects.create(
        teacher=city.teacher, class_group=other_class, subject=city.maths
    )
    data = line_data(city, timetable, class_group=other_class.pk, weekday=1)
    data["slot"] = timetable.bells[0].pk  # Monday, 1st lesson: Alice is in 5А then
    response = signed_in(city.admin_one).post(reverse("weeklyslot:add"), data)
    assert response.status_code == 200
    assert "already teaches class 5А" in response.content.decode()
    assert not WeeklySlot.objects.filter(class_group=other_class).exists()


def test_a_teacher_without_the_assignment_is_refused(city, timetable):
    response = signed_in(city.admin_one).post(
        reverse("weeklyslot:add"),
        line_data(city, timetable, teacher=timetable.substitute.pk),
    )
    assert response.status_code == 200
    assert "add the teaching assignment first" in response.content.decode()
    assert not WeeklySlot.objects.filter(weekday=5).exists()


def test_admin_adds_a_bell_to_own_school_only(city, timetable):
    client = signed_in(city.admin_one)
    data = {
        "school": city.school_one.pk,
        "number": 7,
        "starts_at": "14:25",
        "ends_at": "15:10",
    }
    assert client.post(reverse("lessonslot:add"), data).status_code == 302
    assert LessonSlot.objects.filter(school=city.school_one, number=7).exists()
    foreign = {**data, "school": city.school_two.pk, "number": 8}
    assert client.post(reverse("lessonslot:add"), foreign).status_code == 200
    assert not LessonSlot.objects.filter(number=8).exists()
    backwards = {**data, "number": 8, "starts_at": "15:00", "ends_at": "14:00"}
    assert client.post(reverse("lessonslot:add"), backwards).status_code == 200
    assert not LessonSlot.objects.filter(number=8).exists()
