"""factory_boy factories for the school structure."""

import datetime

import factory
from django.utils import timezone

from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Guardianship,
    Lesson,
    LessonSlot,
    Role,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
)
from school.services import user_roles_set


def this_school_year() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 6, 30)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    external_id = factory.Sequence(lambda n: f"school-{n}")
    name = factory.Sequence(lambda n: f"ГБОУ Школа № {1500 + n}")
    short_name = factory.Sequence(lambda n: f"Школа № {1500 + n}")


class AcademicYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    name = factory.LazyFunction(
        lambda: "{}/{}".format(*(d.year for d in this_school_year()))
    )
    starts_on = factory.LazyFunction(lambda: this_school_year()[0])
    ends_on = factory.LazyFunction(lambda: this_school_year()[1])


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    academic_year = factory.SubFactory(AcademicYearFactory)
    name = "1 четверть"
    starts_on = factory.LazyAttribute(lambda o: o.academic_year.starts_on)
    ends_on = factory.LazyAttribute(
        lambda o: o.academic_year.starts_on + datetime.timedelta(days=60)
    )


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"subject-{n}")
    name = factory.Sequence(lambda n: f"Предмет {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Мария"
    last_name = factory.Sequence(lambda n: f"Иванова{n}")
    patronymic = "Петровна"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            # Through the service, so the Wagtail groups mirroring roles follow.
            user_roles_set(user=self, roles=extracted)


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup

    academic_year = factory.SubFactory(AcademicYearFactory)
    school = factory.LazyAttribute(lambda o: o.academic_year.school)
    grade = 5
    letter = factory.Sequence(lambda n: "АБВГДЕЖЗИКЛМ"[n % 12])


def make_pupil(class_group: ClassGroup, **kwargs) -> User:
    pupil = UserFactory(roles=[Role.PUPIL], **kwargs)
    pupil.schools.add(class_group.school)
    Enrolment.objects.create(
        pupil=pupil,
        class_group=class_group,
        starts_on=class_group.academic_year.starts_on,
    )
    return pupil


def make_teacher(class_group: ClassGroup, subject: Subject, **kwargs) -> User:
    teacher = UserFactory(roles=[Role.TEACHER], **kwargs)
    teacher.schools.add(class_group.school)
    TeachingAssignment.objects.create(
        teacher=teacher, class_group=class_group, subject=subject
    )
    return teacher


def make_parent(*children: User, **kwargs) -> User:
    parent = UserFactory(roles=[Role.PARENT], **kwargs)
    for child in children:
        Guardianship.objects.create(parent=parent, pupil=child)
    return parent


def make_school_admin(school: School, **kwargs) -> User:
    admin = UserFactory(roles=[Role.SCHOOL_ADMIN], **kwargs)
    admin.schools.add(school)
    return admin


def make_term(class_group: ClassGroup) -> Term:
    """The class's current term (the whole school year, for simple tests)."""
    year = class_group.academic_year
    term, _ = Term.objects.get_or_create(
        academic_year=year,
        name="Учебный год",
        defaults={"starts_on": year.starts_on, "ends_on": year.ends_on},
    )
    return term


def make_slot(school: School, number: int = 1) -> LessonSlot:
    slot, _ = LessonSlot.objects.get_or_create(
        school=school,
        number=number,
        defaults={
            "starts_at": datetime.time(8 + number, 0),
            "ends_at": datetime.time(8 + number, 45),
        },
    )
    return slot


def make_lesson(
    class_group: ClassGroup,
    subject: Subject,
    teacher: User,
    *,
    date: datetime.date | None = None,
    number: int = 1,
) -> Lesson:
    return Lesson.objects.create(
        class_group=class_group,
        subject=subject,
        term=make_term(class_group),
        teacher=teacher,
        date=date or timezone.localdate(),
        slot=make_slot(class_group.school, number),
    )
