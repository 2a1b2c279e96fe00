"""The demo city's timetable: Moscow bells, a weekly pattern per class built from its
teaching assignments, the year's lessons with topics for past ones; idempotent."""

import datetime
import hashlib
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.utils import timezone

from school.demo_city import demo_city_seed
from school.demo_timetable import demo_timetable_seed
from school.models import (
    CalendarFeed,
    ClassGroup,
    Lesson,
    LessonSlot,
    LessonStatus,
    School,
    TeachingAssignment,
    WeeklySlot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo city and its timetable, loaded once, rolled back after the module."""
    today = timezone.localdate()
    with django_db_blocker.unblock(), transaction.atomic():
        demo_city_seed(today=today)
        written = demo_timetable_seed(today=today)
        yield written
        transaction.set_rollback(True)


def test_first_run_writes_the_timetable(demo):
    assert demo > 1000


def minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def test_each_school_rings_eight_moscow_bells(demo):
    for school in School.objects.all():
        bells = list(LessonSlot.objects.filter(school=school).order_by("number"))
        assert [bell.number for bell in bells] == list(range(1, 9))
        assert bells[0].starts_at == datetime.time(8, 30)
        for bell, following in zip(bells, bells[1:], strict=False):
            assert bell.ends_at <= following.starts_at
            assert minutes(bell.ends_at) - minutes(bell.starts_at) == 45


def test_weekly_patterns_follow_the_teaching_assignments(demo):
    classes = ClassGroup.objects.all()
    assert classes.count() >= 8
    for class_group in classes:
        lines = list(class_group.weekly_slots.select_related("slot"))
        by_day = defaultdict(list)
        for line in lines:
            by_day[line.weekday].append(line.slot.number)
        assert sorted(by_day) == [1, 2, 3, 4, 5], class_group
        for numbers in by_day.values():
            assert 5 <= len(numbers) <= 7, class_group
            assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assignments = set(
            TeachingAssignment.objects.filter(class_group=class_group).values_list(
                "subject_id", "teacher_id"
            )
        )
        taught = Counter((line.subject_id, line.teacher_id) for line in lines)
        assert set(taught) == assignments, class_group
        assert all(1 <= count <= 5 for count in taught.values())


def test_no_teacher_is_in_two_classes_at_once(demo):
    seen = Counter(
        WeeklySlot.objects.values_list("teacher_id", "weekday", "slot__number")
    )
    assert max(seen.values()) == 1


def test_lessons_of_the_year_with_topics_for_past_ones(demo):
    today = timezone.localdate()
    for class_group in ClassGroup.objects.prefetch_related("academic_year__terms"):
        for term in class_group.academic_year.terms.all():
            lessons = Lesson.objects.filter(class_group=class_group, term=term)
            assert lessons.exists(), (class_group, term)
            assert not lessons.exclude(
                date__range=(term.starts_on, term.ends_on)
            ).exists()
    past = Lesson.objects.filter(date__lt=today, status=LessonStatus.SCHEDULED)
    assert not past.filter(topic="").exists()
    assert not Lesson.objects.filter(date__gte=today).exclude(topic="").exists()


def digest() -> dict[str, str]:
    tables = {}
    for model in (LessonSlot, WeeklySlot, Lesson, CalendarFeed):
        rows = list(model.objects.order_by("pk").values_list())
        tables[model.__name__] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return tables


def test_a_second_run_writes_nothing(demo):
    before = digest()
    assert demo_timetable_seed(today=timezone.localdate()) == 0
    assert digest() == before


def test_an_administrators_changes_are_kept(demo):
    line = WeeklySlot.objects.order_by("pk").first()
    WeeklySlot.objects.filter(pk=line.pk).update(room="999")
    bell = LessonSlot.objects.order_by("pk").first()
    LessonSlot.objects.filter(pk=bell.pk).update(starts_at=datetime.time(8, 0))
    assert demo_timetable_seed(today=timezone.localdate()) == 0
    assert WeeklySlot.objects.get(pk=line.pk).room == "999"
    assert LessonSlot.objects.get(pk=bell.pk).starts_at == datetime.time(8, 0)
