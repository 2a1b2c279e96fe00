"""The access policy: who may see or change what.

Every view, API endpoint, admin view and websocket consumer asks these functions;
none repeats the rules. `can_*` answer a yes/no question; `get_*_for_user` load a
protected row and raise Http404 when the person may not see it, so a wrong person
cannot even learn that the row exists.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    LessonSlot,
    Role,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
    WeeklySlot,
)


def is_platform_admin(user: User) -> bool:
    return user.is_active and user.is_superuser


def is_signed_in(user: User) -> bool:
    """An authenticated, active person.

    A deactivated account can still ride an old session (the city-account backend
    does not re-check `is_active` when it loads the session's user), so every rule
    checks it here rather than trusting the login.
    """
    return user.is_authenticated and user.is_active


def administered_schools(user: User) -> QuerySet[School]:
    """Schools this person administers (all of them for a platform administrator)."""
    if is_platform_admin(user):
        return School.objects.all()
    if not is_signed_in(user) or not user.has_role(Role.SCHOOL_ADMIN):
        return School.objects.none()
    return user.schools.all()


def can_manage_school(user: User, school: School) -> bool:
    return administered_schools(user).filter(pk=school.pk).exists()


def _current_class_ids_of(pupil: User) -> QuerySet:
    return Enrolment.objects.current().filter(pupil=pupil).values("class_group_id")


def teaches_class(user: User, class_group: ClassGroup) -> bool:
    """A teacher with an assignment in the class, or its homeroom teacher."""
    if not is_signed_in(user) or not user.has_role(Role.TEACHER):
        return False
    return (
        class_group.homeroom_teacher_id == user.pk
        or class_group.teaching_assignments.filter(teacher=user).exists()
    )


def is_pupil_of_class(user: User, class_group: ClassGroup) -> bool:
    """A signed-in pupil enrolled in the class today."""
    return (
        is_signed_in(user)
        and user.has_role(Role.PUPIL)
        and Enrolment.objects.current()
        .filter(pupil=user, class_group=class_group)
        .exists()
    )


def is_guardian(user: User, pupil: User) -> bool:
    """A signed-in parent linked to this pupil (not their teachers or admins)."""
    return (
        is_signed_in(user)
        and user.has_role(Role.PARENT)
        and user.guardianships.filter(pupil=pupil).exists()
    )


def is_guardian_in_class(user: User, class_group: ClassGroup) -> bool:
    """A signed-in parent of a pupil enrolled in the class today."""
    return (
        is_signed_in(user)
        and user.has_role(Role.PARENT)
        and Enrolment.objects.current()
        .filter(class_group=class_group, pupil__guardians__parent=user)
        .exists()
    )


def can_view_class(user: User, class_group: ClassGroup) -> bool:
    """Teachers of the class, its pupils and its school's administrators."""
    if not is_signed_in(user):
        return False
    if teaches_class(user, class_group) or can_manage_school(user, class_group.school):
        return True
    return (
        user.has_role(Role.PUPIL)
        and Enrolment.objects.current()
        .filter(pupil=user, class_group=class_group)
        .exists()
    )


def can_view_pupil(user: User, pupil: User) -> bool:
    """The pupil, their guardians, current teachers and school administrators."""
    if not is_signed_in(user) or not pupil.has_role(Role.PUPIL):
        return False
    if user.pk == pupil.pk:
        return True
    if user.has_role(Role.PARENT) and user.guardianships.filter(pupil=pupil).exists():
        return True
    class_ids = _current_class_ids_of(pupil)
    if user.has_role(Role.TEACHER):
        teaches = ClassGroup.objects.filter(pk__in=class_ids).filter(
            Q(homeroom_teacher=user) | Q(teaching_assignments__teacher=user)
        )
        if teaches.exists():
            return True
    schools = ClassGroup.objects.filter(pk__in=class_ids).values("school_id")
    return administered_schools(user).filter(pk__in=schools).exists()


def can_edit_gradebook(user: User, class_group: ClassGroup, subject: Subject) -> bool:
    """Only the teacher assigned to this class and subject writes its marks."""
    return (
        is_signed_in(user)
        and user.has_role(Role.TEACHER)
        and class_group.teaching_assignments.filter(
            teacher=user, subject=subject
        ).exists()
    )


def can_announce_to_school(user: User, school: School) -> bool:
    return can_manage_school(user, school)


def get_class_for_user(user: User, class_id: int) -> ClassGroup:
    class_group = (
        ClassGroup.objects.select_related("school", "academic_year")
        .filter(pk=class_id)
        .first()
    )
    if class_group is None or not can_view_class(user, class_group):
        raise Http404("No such class.")
    return class_group


def get_pupil_for_user(user: User, pupil_id: int) -> User:
    pupil = User.objects.filter(pk=pupil_id, is_active=True).first()
    if pupil is None or not can_view_pupil(user, pupil):
        raise Http404("No such pupil.")
    return pupil


def get_school_for_admin(user: User, school_id: int) -> School:
    school = administered_schools(user).filter(pk=school_id).first()
    if school is None:
        raise Http404("No such school.")
    return school


# --- What the Wagtail admin may list and change, per model of the school structure.


def admin_queryset_for(user: User, model) -> QuerySet:
    """Rows of a school-structure model that this person may manage in the admin."""
    schools = administered_schools(user)
    if is_platform_admin(user):
        return model.objects.all()
    by_model = {
        School: Q(pk__in=schools),
        ClassGroup: Q(school__in=schools),
        Enrolment: Q(class_group__school__in=schools),
        AcademicYear: Q(school__in=schools),
        Term: Q(academic_year__school__in=schools),
        TeachingAssignment: Q(class_group__school__in=schools),
        LessonSlot: Q(school__in=schools),
        WeeklySlot: Q(class_group__school__in=schools),
        # Only while the child is enrolled there now: the school a pupil left must
        # not keep managing the family's links.
        Guardianship: Q(
            pupil__in=Enrolment.objects.current()
            .filter(class_group__school__in=schools)
            .values("pupil_id")
        ),
    }
    if model is Subject:
        # The subject catalogue is citywide: only platform administrators change it.
        return model.objects.none()
    condition = by_model.get(model)
    if condition is None:
        return model.objects.none()
    return model.objects.filter(condition).distinct()


def can_manage_in_admin(user: User, instance) -> bool:
    if is_platform_admin(user):
        return True
    return admin_queryset_for(user, type(instance)).filter(pk=instance.pk).exists()
