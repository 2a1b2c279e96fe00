"""The demo city's journal: a term under way after `seed_demo`, as users see it.

The city is loaded once per module through the command (the fixture of
test_seed_demo.py); each test runs in a savepoint of that load.
"""

import datetime
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from school.demo_journal import demo_journal_seed
from school.demo_plan import demo_city_plan, demo_logins
from school.gradebook.services import mark_delete
from school.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    Enrolment,
    Gradebook,
    Homework,
    Lesson,
    LessonStatus,
    Mark,
    MarkChange,
    Submission,
    SubmissionStatus,
    TeachingAssignment,
    Term,
    TermMark,
    User,
)
from school.models.journal import SCALE_RANGES
from tests.school.test_seed_demo import accounts_file, snapshot  # noqa: F401

pytestmark = pytest.mark.django_db

JOURNAL = (Mark, MarkChange, Attendance, AbsenceNotice, Homework, Submission)
JOURNAL += (TermMark, Gradebook)


@pytest.fixture
def seeded(accounts_file):  # noqa: F811
    return accounts_file


def showcased(label: str) -> User:
    logins = dict(demo_logins(demo_city_plan()))
    return User.objects.get(username=logins[label])


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def current_term_of(class_group_id: int, today: datetime.date) -> Term:
    return (
        Term.objects.filter(academic_year__classes=class_group_id, starts_on__lte=today)
        .order_by("-starts_on")
        .first()
    )


def test_the_two_school_childrens_weeks_have_marks_attendance_and_homework(seeded):
    today = timezone.localdate()
    parent = showcased("parent of children in two schools")
    children = Enrolment.objects.current().filter(pupil__guardians__parent=parent)
    assert children.values("class_group__school").distinct().count() == 2
    checked = 0
    for enrolment in children:
        pupil, class_id = enrolment.pupil_id, enrolment.class_group_id
        held = Lesson.objects.filter(
            class_group_id=class_id,
            term=current_term_of(class_id, today),
            status=LessonStatus.SCHEDULED,
            date__lt=today,
        )
        for start in (monday(today) - datetime.timedelta(days=7), monday(today)):
            week = held.filter(date__gte=start, date__lt=start + datetime.timedelta(7))
            if not week.exists():
                continue  # holidays, or a Monday morning
            checked += 1
            assert Mark.objects.filter(pupil_id=pupil, lesson__in=week).exists()
            assert Attendance.objects.filter(pupil_id=pupil, lesson__in=week).exists()
            assert Homework.objects.filter(lesson__in=week).exists()
    if not checked:
        pytest.skip("No lesson of the current term was held this week or last.")
    upcoming = Homework.objects.filter(
        lesson__class_group__in=children.values("class_group"),
        lesson__date__gte=today,
        lesson__date__lt=monday(today) + datetime.timedelta(days=14),
    )
    assert upcoming.exists()


def test_the_showcased_teacher_teaches_this_week(seeded):
    today = timezone.localdate()
    teacher = showcased("teacher")
    lessons = Lesson.objects.taught_by(teacher).held()
    this_week = lessons.filter(
        date__gte=monday(today), date__lt=monday(today) + datetime.timedelta(days=7)
    )
    in_term = Term.objects.filter(
        academic_year__classes__lessons__in=lessons,
        starts_on__lte=monday(today) + datetime.timedelta(days=4),
        ends_on__gte=monday(today),
    )
    if not in_term.exists():
        pytest.skip("This week falls in the holidays.")
    assert this_week.exists()


def test_marks_keep_the_rules_of_the_gradebook(seeded):
    today = timezone.localdate()
    teachers = set(
        TeachingAssignment.objects.values_list("class_group", "subject", "teacher")
    )
    scales = {
        (g.class_group_id, g.subject_id, g.term_id): g.scale
        for g in Gradebook.objects.all()
    }
    history = {
        change.mark_id: change
        for change in MarkChange.objects.filter(mark__isnull=False)
    }
    away = set(
        Attendance.objects.filter(
            status__in=[AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
        ).values_list("lesson_id", "pupil_id")
    )
    marks = Mark.objects.select_related("lesson")
    values = defaultdict(int)
    assert marks.count() > 1000
    for mark in marks:
        lesson = mark.lesson
        low, high = SCALE_RANGES[mark.scale]
        assert low <= mark.value <= high
        assert (
            mark.scale
            == scales[(lesson.class_group_id, lesson.subject_id, lesson.term_id)]
        )
        assert (
            lesson.class_group_id,
            lesson.subject_id,
            mark.created_by_id,
        ) in teachers
        assert lesson.date < today and lesson.status == LessonStatus.SCHEDULED
        change = history[mark.pk]
        assert (change.old_value, change.new_value) == (None, mark.value)
        assert change.changed_by_id == mark.created_by_id
        assert (mark.lesson_id, mark.pupil_id) not in away
        values[mark.value] += 1
    # Mostly fours and fives, some threes, few twos.
    assert values[4] + values[5] > 0.7 * marks.count()
    assert 0 < values[2] < values[3] < values[4]


def test_marks_and_answers_belong_to_pupils_of_the_class(seeded):
    def enrolled(pupil: str, lesson: str):
        return Exists(
            Enrolment.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef(f"{lesson}__date")),
                pupil=OuterRef(pupil),
                class_group=OuterRef(f"{lesson}__class_group"),
                starts_on__lte=OuterRef(f"{lesson}__date"),
            )
        )

    assert not Mark.objects.exclude(enrolled("pupil", "lesson")).exists()
    assert not Attendance.objects.exclude(enrolled("pupil", "lesson")).exists()
    answers = Submission.objects.exclude(enrolled("pupil", "homework__lesson"))
    assert not answers.exists()


def test_reviewed_homework_is_marked_in_the_gradebook(seeded):
    answers = Submission.objects.select_related("mark__work_type", "homework")
    reviewed = [answer for answer in answers if answer.status == "reviewed"]
    assert len(reviewed) > 100
    for answer in reviewed:
        mark = answer.mark
        assert mark.work_type.code == "homework"
        assert (mark.lesson_id, mark.pupil_id) == (
            answer.homework.lesson_id,
            answer.pupil_id,
        )
    others = [answer for answer in answers if answer.status != "reviewed"]
    assert {answer.status for answer in others} == {
        SubmissionStatus.DONE,
        SubmissionStatus.SUBMITTED,
    }
    assert all(answer.mark_id is None for answer in others)
    assert all(answer.homework.due_date < timezone.localdate() for answer in answers)


def test_homework_is_due_at_the_subjects_next_lesson(seeded):
    lessons = defaultdict(list)
    for class_id, subject_id, day in Lesson.objects.held().values_list(
        "class_group", "subject", "date"
    ):
        lessons[(class_id, subject_id)].append(day)
    homework = Homework.objects.select_related("lesson")
    assert homework.count() > 300
    for task in homework:
        lesson = task.lesson
        dates = lessons[(lesson.class_group_id, lesson.subject_id)]
        later = sorted(d for d in dates if d > lesson.date)
        assert task.due_date == later[0]
        assert task.created_by_id == (lesson.substitute_id or lesson.teacher_id)
        assert task.text.strip()


def test_attendance_looks_like_a_school_term(seeded):
    today = timezone.localdate()
    held = Lesson.objects.filter(date__lt=today, marks__isnull=False).distinct()
    places = sum(
        Enrolment.objects.current(on=lesson.date)
        .filter(class_group_id=lesson.class_group_id)
        .count()
        for lesson in held[:40]
    ) / min(40, held.count())
    rows = Attendance.objects.filter(lesson__in=held)
    seats = places * held.count()
    away = rows.filter(status__in=["absent", "excused"]).count()
    late = rows.filter(status="late").count()
    assert 0.02 < away / seats < 0.09
    assert 0.005 < late / seats < 0.04
    assert rows.filter(status="excused").exists()
    notice = AbsenceNotice.objects.get(starts_on__gte=today)
    assert notice.announced_by.guardianships.filter(pupil=notice.pupil).exists()
    assert notice.announced_by == showcased("parent of children in two schools")


def test_term_marks_only_for_terms_that_ended(seeded):
    today = timezone.localdate()
    ended = Term.objects.filter(ends_on__lt=today)
    term_marks = TermMark.objects.all()
    assert set(term_marks.values_list("term", flat=True)) == set(
        ended.filter(academic_year__classes__isnull=False).values_list("pk", flat=True)
    ) - set(Term.objects.filter(starts_on__gte=today).values_list("pk", flat=True))
    teachers = set(
        TeachingAssignment.objects.values_list("class_group", "subject", "teacher")
    )
    for term_mark in term_marks:
        low, high = SCALE_RANGES[term_mark.scale]
        assert low <= term_mark.value <= high
        key = (term_mark.class_group_id, term_mark.subject_id, term_mark.set_by_id)
        assert key in teachers


def tops() -> dict[str, tuple[int, int | None]]:
    return {
        model.__name__: (
            model.objects.count(),
            model.objects.aggregate(top=Max("pk"))["top"],
        )
        for model in JOURNAL
    }


def test_a_second_run_changes_nothing(seeded):
    before, journal = snapshot(), tops()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 rows written" in out.getvalue()
    assert tops() == journal
    assert snapshot() == before


def test_a_run_next_day_adds_only_the_lessons_that_ended(seeded):
    today = timezone.localdate()
    journal = tops()
    rows = {model: set(model.objects.values_list()) for model in JOURNAL}
    demo_journal_seed(today=today + datetime.timedelta(days=1))
    for model in JOURNAL:
        top = journal[model.__name__][1] or 0
        assert set(model.objects.filter(pk__lte=top).values_list()) == rows[model]
    added = Mark.objects.filter(pk__gt=journal["Mark"][1])
    # Today's lessons are filled; homework due today gets its answers reviewed.
    reviews = added.filter(submission__homework__due_date=today)
    assert set(
        added.exclude(pk__in=reviews).values_list("lesson__date", flat=True)
    ) <= {today}
    if Lesson.objects.held().filter(date=today).exists():
        assert added.filter(lesson__date=today).exists()


def test_a_teachers_deletion_is_not_undone(seeded):
    mark = (
        Mark.objects.exclude(work_type__code="homework")
        .select_related("lesson", "pupil", "work_type", "created_by")
        .first()
    )
    mark_delete(teacher=mark.created_by, mark=mark)
    call_command("seed_demo", "--quiet")
    assert not Mark.objects.filter(
        lesson=mark.lesson, pupil=mark.pupil, work_type=mark.work_type
    ).exists()


def test_the_parents_diary_shows_the_marks(seeded, client):
    parent = showcased("parent of children in two schools")
    client.force_login(parent)
    for guardianship in parent.guardianships.all():
        pupil = guardianship.pupil_id
        mark = Mark.objects.filter(pupil_id=pupil).order_by("-lesson__date").first()
        week = monday(mark.lesson.date)
        response = client.get(
            reverse("diary:week", args=[pupil]), {"week": week.isoformat()}
        )
        assert response.status_code == 200
        assert f'data-mark="{mark.pk}"' in response.text


def test_the_teachers_gradebook_shows_the_marks(seeded, client):
    teacher = showcased("teacher")
    mark = Mark.objects.filter(created_by=teacher).select_related("lesson").last()
    lesson = mark.lesson
    client.force_login(teacher)
    url = reverse(
        "gradebook:grid",
        args=[lesson.class_group_id, lesson.subject_id, lesson.term_id],
    )
    response = client.get(url)
    assert response.status_code == 200
    cell = f'data-lesson="{lesson.pk}" data-pupil="{mark.pupil_id}">'
    assert cell in response.text
    after = response.text.split(cell, 1)[1].split("</td>", 1)[0]
    assert f'data-value="{mark.value}"' in after
