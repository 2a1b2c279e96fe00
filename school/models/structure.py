"""People, schools and the structure of a school year."""

import datetime
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PUPIL = "pupil", _("Pupil")
    TEACHER = "teacher", _("Teacher")
    PARENT = "parent", _("Parent")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    METHODOLOGIST = "methodologist", _("Methodologist")


class School(models.Model):
    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    external_id = models.CharField(
        _("city id"),
        max_length=64,
        unique=True,
        help_text=_("The school's id in the city register, as sent by the city SSO."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return self.short_name


class User(AbstractUser):
    """A person with a city account; may hold several roles."""

    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    oidc_issuer = models.CharField(_("identity provider"), max_length=255, blank=True)
    oidc_sub = models.CharField(_("city account id"), max_length=255, blank=True)
    # The first-day tour of the home page is shown until the person ends it.
    tour_done_at = models.DateTimeField(null=True, blank=True, editable=False)
    schools = models.ManyToManyField(
        School, blank=True, related_name="members", verbose_name=_("schools")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_sub"],
                condition=~Q(oidc_sub=""),
                name="unique_city_account",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_name(self) -> str:
        parts = (self.last_name, self.first_name, self.patronymic)
        return " ".join(part for part in parts if part)

    @property
    def short_name(self) -> str:
        """ "Иванова М. П." — how Russian schools print names in lists."""
        initials = "".join(
            f"{part[0]}." for part in (self.first_name, self.patronymic) if part
        )
        return f"{self.last_name} {initials}".strip() or self.username

    @cached_property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.role_set


class RoleGrant(models.Model):
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_grant")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class AcademicYear(models.Model):
    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="academic_years",
        verbose_name=_("school"),
    )
    name = models.CharField(
        _("name"), max_length=32, help_text=_("For example 2026/2027.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["school", "-starts_on"]
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="unique_year_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="year_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.name}"


class Term(models.Model):
    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="terms",
        verbose_name=_("academic year"),
    )
    name = models.CharField(_("name"), max_length=64)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["academic_year", "starts_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year} — {self.name}"


class Subject(models.Model):
    """A subject of the city curriculum, shared by all schools."""

    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)

    class Meta:
        ordering = ["name"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.name


class ClassGroup(models.Model):
    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="classes",
        verbose_name=_("school"),
    )
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.CASCADE,
        related_name="classes",
        verbose_name=_("academic year"),
    )
    grade = models.PositiveSmallIntegerField(_("grade"))
    letter = models.CharField(_("letter"), max_length=4)
    homeroom_teacher = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="homeroom_classes",
        verbose_name=_("homeroom teacher"),
    )

    class Meta:
        ordering = ["school", "grade", "letter"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "grade", "letter"], name="unique_class_in_year"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=11), name="grade_from_1_to_11"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.grade}{self.letter}"

    name.fget.short_description = _("class")

    def clean(self) -> None:
        if self.academic_year_id and self.school_id:
            if self.academic_year.school_id != self.school_id:
                raise ValidationError(
                    {"academic_year": _("The academic year belongs to another school.")}
                )
        _require_role(self.homeroom_teacher, Role.TEACHER, "homeroom_teacher")


class EnrolmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "EnrolmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day
        )


class Enrolment(models.Model):
    """A pupil in a class for a span of days; a move ends one, starts another."""

    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    pupil = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("pupil"),
    )
    class_group = models.ForeignKey(
        ClassGroup,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("class"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["class_group", "pupil__last_name", "pupil__first_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil} — {self.class_group}"

    def clean(self) -> None:
        _require_role(getattr(self, "pupil", None), Role.PUPIL, "pupil")


class TeachingAssignment(models.Model):
    """A teacher teaches a subject to a class for the class's academic year."""

    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    teacher = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="teaching_assignments",
        verbose_name=_("teacher"),
    )
    class_group = models.ForeignKey(
        ClassGroup,
        on_delete=models.CASCADE,
        related_name="teaching_assignments",
        verbose_name=_("class"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        related_name="teaching_assignments",
        verbose_name=_("subject"),
    )

    class Meta:
        ordering = ["class_group", "subject__name"]
        verbose_name = _("teaching assignment")
        verbose_name_plural = _("teaching assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "class_group", "subject"], name="unique_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.class_group} — {self.subject}"

    @property
    def academic_year(self) -> AcademicYear:
        return self.class_group.academic_year

    def clean(self) -> None:
        _require_role(getattr(self, "teacher", None), Role.TEACHER, "teacher")


class Guardianship(models.Model):
    """A parent (or legal guardian) follows a pupil."""

    sourced_id = models.CharField(
        _("OneRoster sourcedId"), max_length=255, blank=True, db_index=True
    )
    parent = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="guardianships",
        verbose_name=_("parent"),
    )
    pupil = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="guardians",
        verbose_name=_("pupil"),
    )

    class Meta:
        verbose_name = _("guardianship")
        verbose_name_plural = _("guardianships")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "pupil"], name="unique_guardianship"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pupil")), name="guardian_is_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent} → {self.pupil}"

    def clean(self) -> None:
        _require_role(getattr(self, "parent", None), Role.PARENT, "parent")
        _require_role(getattr(self, "pupil", None), Role.PUPIL, "pupil")


def _require_role(user: User | None, role: str, field: str) -> None:
    if user is not None and not user.has_role(role):
        raise ValidationError(
            {
                field: _("%(person)s does not have the role %(role)s.")
                % {"person": user, "role": Role(role).label}
            }
        )


class CitySession(models.Model):
    """Ties a local session to the provider's, so back-channel logout ends it."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="city_sessions",
        verbose_name=_("user"),
    )
    sid = models.CharField(max_length=255, blank=True, db_index=True)
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.sid or 'no sid'})"


class Notification(models.Model):
    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class UsedLogoutToken(models.Model):
    """A back-channel logout token already acted on, kept until it expires: a
    replay is refused by every process (a per-process cache would forget)."""

    issuer = models.CharField(max_length=255)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "jti"], name="logout_token_used_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.jti}"
