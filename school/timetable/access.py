"""Who may see and change the timetable, built on the primitives of school.access."""

from django.http import Http404

from school import access
from school.models import CalendarFeed, ClassGroup, Lesson, Role, School, User


def can_view_class_timetable(user: User, class_group: ClassGroup) -> bool:
    """Pupils and teachers of the class, its pupils' parents, the school's admins."""
    return access.can_view_class(user, class_group) or access.is_guardian_in_class(
        user, class_group
    )


def can_manage_timetable(user: User, school: School) -> bool:
    """Bells, weekly patterns, substitutions, moves and cancellations."""
    return access.can_manage_school(user, school)


def gives_lesson(user: User, lesson: Lesson) -> bool:
    """The teacher who gives the lesson: the substitute if there is one."""
    return (
        access.is_signed_in(user)
        and user.has_role(Role.TEACHER)
        and lesson.given_by.pk == user.pk
    )


def can_view_own_week(user: User) -> bool:
    return access.is_signed_in(user) and user.has_role(Role.TEACHER)


def can_have_feed_for(user: User, pupil: User | None) -> bool:
    """A feed of one's own lessons (teacher), own class (pupil) or a child's class.

    `pupil` None means the teacher's own lessons. Asked again on every download,
    so a feed stops working when the role or the family link goes.
    """
    if not access.is_signed_in(user):
        return False
    if pupil is None:
        return user.has_role(Role.TEACHER)
    if pupil.pk == user.pk:
        return user.has_role(Role.PUPIL)
    return pupil.has_role(Role.PUPIL) and access.is_guardian(user, pupil)


def get_class_timetable_for_user(user: User, class_id: int) -> ClassGroup:
    class_group = (
        ClassGroup.objects.select_related("school", "academic_year")
        .filter(pk=class_id)
        .first()
    )
    if class_group is None or not can_view_class_timetable(user, class_group):
        raise Http404("No such class.")
    return class_group


def _lesson(lesson_id: int) -> Lesson | None:
    return (
        Lesson.objects.select_related(
            "class_group__school", "subject", "slot", "term", "teacher", "substitute"
        )
        .filter(pk=lesson_id)
        .first()
    )


def get_lesson_to_teach(user: User, lesson_id: int) -> Lesson:
    """A lesson whose topic this teacher may set; Http404 for anyone else."""
    lesson = _lesson(lesson_id)
    if lesson is None or not gives_lesson(user, lesson):
        raise Http404("No such lesson.")
    return lesson


def get_lesson_to_manage(user: User, lesson_id: int) -> Lesson:
    """A lesson of a school this person administers; Http404 otherwise."""
    lesson = _lesson(lesson_id)
    if lesson is None or not can_manage_timetable(user, lesson.class_group.school):
        raise Http404("No such lesson.")
    return lesson


def get_class_to_manage(user: User, class_id: int) -> ClassGroup:
    class_group = (
        ClassGroup.objects.select_related("school", "academic_year")
        .filter(pk=class_id, school__in=access.administered_schools(user))
        .first()
    )
    if class_group is None:
        raise Http404("No such class.")
    return class_group


def get_feed_of_user(user: User, feed_id: int) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(
        pk=feed_id, user_id=user.pk, revoked_at__isnull=True
    ).first()
    if feed is None:
        raise Http404("No such calendar feed.")
    return feed


def get_feed_by_token(token: str) -> CalendarFeed:
    """The live feed for a secret token; Http404 if revoked, unknown or no longer
    allowed (the person lost the role or the family link)."""
    feed = (
        CalendarFeed.objects.select_related("user", "pupil")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if feed is None or not can_have_feed_for(feed.user, feed.pupil):
        raise Http404("No such calendar feed.")
    return feed
