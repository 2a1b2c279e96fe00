"""Reads of the timetable, shaped once: a week is one query for its lessons."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from school.access import administered_schools
from school.models import (
    CalendarFeed,
    ClassGroup,
    Enrolment,
    Guardianship,
    Lesson,
    LessonStatus,
    Role,
    User,
)

WORK_DAYS = 5
# How far a calendar feed reaches: enough for a phone, bounded for the server.
FEED_PAST = datetime.timedelta(days=60)
FEED_AHEAD = datetime.timedelta(days=180)


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week `day` falls in."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class Day:
    date: datetime.date
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def is_today(self) -> bool:
        return self.date == timezone.localdate()


@dataclass
class Week:
    monday: datetime.date
    days: list[Day]

    @property
    def sunday(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=6)

    @property
    def previous(self) -> datetime.date:
        return self.monday - datetime.timedelta(days=7)

    @property
    def next(self) -> datetime.date:
        return self.monday + datetime.timedelta(days=7)


def _lessons_shaped(lessons: QuerySet[Lesson]) -> QuerySet[Lesson]:
    return lessons.select_related(
        "class_group",
        "subject",
        "slot",
        "teacher",
        "substitute",
        "moved_from_slot",
    ).order_by("date", "slot__number", "status")


def _week(monday: datetime.date, lessons: QuerySet[Lesson]) -> Week:
    """Monday to Friday always; a weekend day only when it has lessons."""
    sunday = monday + datetime.timedelta(days=6)
    by_day: dict[datetime.date, list[Lesson]] = {}
    for lesson in _lessons_shaped(lessons.filter(date__range=(monday, sunday))):
        by_day.setdefault(lesson.date, []).append(lesson)
    days = [
        Day(date=day, lessons=by_day.get(day, []))
        for day in (monday + datetime.timedelta(days=n) for n in range(7))
        if day.weekday() < WORK_DAYS or day in by_day
    ]
    return Week(monday=monday, days=days)


def class_week(class_group: ClassGroup, monday: datetime.date) -> Week:
    """The class's lessons of one week, cancelled and moved ones included."""
    return _week(monday, Lesson.objects.filter(class_group=class_group))


def teacher_week(teacher: User, monday: datetime.date) -> Week:
    """Lessons the teacher gives or substitutes, and their own lessons someone
    else substitutes (shown as such)."""
    lessons = Lesson.objects.filter(Q(teacher=teacher) | Q(substitute=teacher))
    return _week(monday, lessons)


# How far ahead the home page looks for a teacher's next school day.
NEXT_DAY_HORIZON = datetime.timedelta(days=14)


def teacher_next_day(teacher: User, today: datetime.date) -> Day | None:
    """The lessons the teacher gives on the first day from `today` on that has
    any (their own unless substituted, and those they substitute; cancelled ones
    left out), in bell order; None if none within two weeks. One query."""
    lessons = Lesson.objects.filter(
        Q(teacher=teacher, substitute__isnull=True) | Q(substitute=teacher),
        date__range=(today, today + NEXT_DAY_HORIZON),
    ).exclude(status=LessonStatus.CANCELLED)
    found: list[Lesson] = []
    for lesson in _lessons_shaped(lessons):
        if found and lesson.date != found[0].date:
            break
        found.append(lesson)
    return Day(date=found[0].date, lessons=found) if found else None


def lesson_audience(lesson: Lesson) -> QuerySet[User]:
    """Who hears of a change: the class's pupils, their parents, the teacher."""
    pupil_ids = (
        Enrolment.objects.current()
        .filter(class_group_id=lesson.class_group_id)
        .values("pupil_id")
    )
    return User.objects.filter(
        Q(pk__in=pupil_ids)
        | Q(guardianships__pupil_id__in=pupil_ids)
        | Q(pk=lesson.given_by.pk),
        is_active=True,
    ).distinct()


# --- The timetable's start page and calendar feeds


@dataclass
class TimetableIndex:
    """The timetables this person may open, by role."""

    teaches: bool = False
    own_class: ClassGroup | None = None
    children: list[tuple[User, ClassGroup]] = field(default_factory=list)
    administered: list[ClassGroup] = field(default_factory=list)

    def own_timetables(self) -> list[str]:
        """The URLs of the person's own weeks: their lessons, their class, each
        child's class."""
        urls = [reverse("timetable:my_week")] if self.teaches else []
        if self.own_class is not None:
            urls.append(reverse("timetable:class_week", args=[self.own_class.pk]))
        urls += [
            reverse("timetable:class_week", args=[class_group.pk])
            for _pupil, class_group in self.children
        ]
        return urls


def _children_classes(parent: User) -> list[tuple[User, ClassGroup]]:
    enrolments = (
        Enrolment.objects.current()
        .filter(pupil__guardians__parent=parent)
        .select_related("pupil", "class_group__school")
        .order_by("pupil__first_name", "pupil__pk")
    )
    return [(enrolment.pupil, enrolment.class_group) for enrolment in enrolments]


def timetable_index(user: User) -> TimetableIndex:
    index = TimetableIndex(teaches=user.has_role(Role.TEACHER))
    if user.has_role(Role.PUPIL):
        enrolment = (
            Enrolment.objects.current()
            .filter(pupil=user)
            .select_related("class_group__school")
            .order_by("-starts_on")
            .first()
        )
        index.own_class = enrolment.class_group if enrolment else None
    if user.has_role(Role.PARENT):
        index.children = _children_classes(user)
    index.administered = list(
        ClassGroup.objects.filter(school__in=administered_schools(user))
        .select_related("school", "academic_year")
        .order_by("school__short_name", "-academic_year__starts_on", "grade", "letter")
    )
    return index


@dataclass
class FeedTarget:
    """One timetable a person may subscribe to, with its live secret URL if any."""

    pupil: User | None  # None: the teacher's own lessons
    feed: CalendarFeed | None


def feed_targets(user: User) -> list[FeedTarget]:
    """The person's own timetable and each child's, with their active feeds."""
    pupils: list[User | None] = []
    if user.has_role(Role.TEACHER):
        pupils.append(None)
    if user.has_role(Role.PUPIL):
        pupils.append(user)
    if user.has_role(Role.PARENT):
        links = Guardianship.objects.filter(parent=user).select_related("pupil")
        pupils += [link.pupil for link in links.order_by("pupil__first_name")]
    feeds = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)
    live = {feed.pupil_id: feed for feed in feeds.order_by("created_at")}
    return [
        FeedTarget(pupil=pupil, feed=live.get(pupil.pk if pupil else None))
        for pupil in pupils
    ]


def feed_lessons(feed: CalendarFeed) -> QuerySet[Lesson]:
    """The lessons a feed shows, from two months back to half a year ahead: the
    teacher's own (given or substituted), or those of the pupil's classes on the
    days the pupil was enrolled there."""
    today = timezone.localdate()
    lessons = Lesson.objects.filter(date__range=(today - FEED_PAST, today + FEED_AHEAD))
    if feed.pupil_id is None:
        lessons = lessons.filter(
            Q(substitute=feed.user_id) | Q(teacher=feed.user_id, substitute=None)
        )
    else:
        enrolments = Enrolment.objects.filter(pupil=feed.pupil_id)
        spans = Q(pk__in=[])
        for class_id, starts_on, ends_on in enrolments.values_list(
            "class_group_id", "starts_on", "ends_on"
        ):
            span = Q(class_group_id=class_id, date__gte=starts_on)
            spans |= span & Q(date__lte=ends_on) if ends_on else span
        lessons = lessons.filter(spans)
    return (
        lessons.select_related("subject", "slot", "class_group", "teacher")
        .select_related("substitute")
        .order_by("date", "slot__number")
    )
