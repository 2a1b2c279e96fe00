"""Reads for people and schools, shaped once (no per-row queries in templates)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from school.access import administered_schools
from school.models import (
    ClassGroup,
    Enrolment,
    Guardianship,
    Notification,
    Role,
    School,
    TeachingAssignment,
    User,
)
from school.timetable.selectors import Day, teacher_next_day


def current_enrolment(pupil: User) -> Enrolment | None:
    return (
        Enrolment.objects.current()
        .filter(pupil=pupil)
        .select_related("class_group__school", "class_group__homeroom_teacher")
        .order_by("-starts_on")
        .first()
    )


def teaching_assignments_of(teacher: User) -> QuerySet[TeachingAssignment]:
    return (
        TeachingAssignment.objects.filter(teacher=teacher)
        .select_related("class_group__school", "subject")
        .order_by(
            "class_group__school__short_name",
            "class_group__grade",
            "class_group__letter",
            "subject__name",
        )
    )


def homeroom_classes_of(teacher: User) -> QuerySet[ClassGroup]:
    return ClassGroup.objects.filter(homeroom_teacher=teacher).select_related("school")


def class_subjects_with_teachers(
    class_group: ClassGroup,
) -> QuerySet[TeachingAssignment]:
    return (
        TeachingAssignment.objects.filter(class_group=class_group)
        .select_related("subject", "teacher")
        .order_by("subject__name")
    )


def class_roster(class_group: ClassGroup) -> QuerySet[User]:
    pupil_ids = (
        Enrolment.objects.current().filter(class_group=class_group).values("pupil_id")
    )
    return User.objects.filter(pk__in=pupil_ids).order_by("last_name", "first_name")


@dataclass
class ChildSummary:
    pupil: User
    enrolment: Enrolment | None


def children_of(parent: User) -> list[ChildSummary]:
    """Each child of a parent with their current class and school (two queries)."""
    links = (
        Guardianship.objects.filter(parent=parent)
        .select_related("pupil")
        .prefetch_related(
            Prefetch(
                "pupil__enrolments",
                queryset=Enrolment.objects.current().select_related(
                    "class_group__school"
                ),
                to_attr="current_enrolments",
            )
        )
        .order_by("pupil__first_name")
    )
    return [
        ChildSummary(
            pupil=link.pupil,
            enrolment=link.pupil.current_enrolments[0]
            if link.pupil.current_enrolments
            else None,
        )
        for link in links
    ]


def school_audience(*, school: School) -> QuerySet[User]:
    """Members of a school and the guardians of its current pupils."""
    pupil_ids = (
        Enrolment.objects.current()
        .filter(class_group__school=school)
        .values("pupil_id")
    )
    return User.objects.filter(
        Q(schools=school)
        | Q(pk__in=pupil_ids)
        | Q(guardianships__pupil_id__in=pupil_ids),
        is_active=True,
    ).distinct()


def recent_notifications(user: User, limit: int = 10) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user)[:limit])


@dataclass
class HomePage:
    """Everything a person's home page shows, one section per role they hold."""

    roles: frozenset[str]
    assignments: list[TeachingAssignment] = field(default_factory=list)
    next_day: Day | None = None  # the teacher's next day with lessons
    homeroom_classes: list[ClassGroup] = field(default_factory=list)
    enrolment: Enrolment | None = None
    class_subjects: list[TeachingAssignment] = field(default_factory=list)
    children: list[ChildSummary] = field(default_factory=list)
    administered: list[School] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


def home_page_for(user: User) -> HomePage:
    page = HomePage(roles=user.role_set, notifications=recent_notifications(user))
    if Role.TEACHER in page.roles:
        page.assignments = list(teaching_assignments_of(user))
        page.next_day = teacher_next_day(user, timezone.localdate())
        page.homeroom_classes = list(homeroom_classes_of(user))
    if Role.PUPIL in page.roles:
        page.enrolment = current_enrolment(user)
        if page.enrolment:
            page.class_subjects = list(
                class_subjects_with_teachers(page.enrolment.class_group)
            )
    if Role.PARENT in page.roles:
        page.children = children_of(user)
    if Role.SCHOOL_ADMIN in page.roles or user.is_superuser:
        page.administered = list(administered_schools(user))
    return page
