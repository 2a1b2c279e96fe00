"""The electronic journal: marks with their history, final term marks, attendance."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from school.models.structure import ClassGroup, Subject, Term, User
from school.models.timetable import Lesson


class Scale(models.TextChoices):
    FIVE_POINT = "five", _("5-point")
    HUNDRED_POINT = "hundred", _("100-point")
    PASS_FAIL = "pass_fail", _("Pass/fail")


# The values each scale allows, inclusive; pass/fail stores 1 for pass, 0 for fail.
SCALE_RANGES = {
    Scale.FIVE_POINT: (1, 5),
    Scale.HUNDRED_POINT: (0, 100),
    Scale.PASS_FAIL: (0, 1),
}


def _value_in_scale() -> Q:
    condition = Q()
    for scale, (low, high) in SCALE_RANGES.items():
        condition |= Q(scale=scale, value__gte=low, value__lte=high)
    return condition


class Gradebook(models.Model):
    """The journal page of one class × subject × term; holds its settings."""

    class_group = models.ForeignKey(
        ClassGroup,
        on_delete=models.CASCADE,
        related_name="gradebooks",
        verbose_name=_("class"),
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.CASCADE,
        related_name="gradebooks",
        verbose_name=_("term"),
    )
    scale = models.CharField(
        _("scale"), max_length=16, choices=Scale.choices, default=Scale.FIVE_POINT
    )

    class Meta:
        verbose_name = _("gradebook")
        verbose_name_plural = _("gradebooks")
        constraints = [
            models.UniqueConstraint(
                fields=["class_group", "subject", "term"], name="unique_gradebook"
            )
        ]

    def __str__(self) -> str:
        return f"{self.class_group} {self.subject} {self.term.name}"


class WorkType(models.Model):
    """What a mark was for (classwork, homework, test…) and how much it weighs."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        ordering = ["weight", "name"]
        verbose_name = _("work type")
        verbose_name_plural = _("work types")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="weight_1_to_10"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Mark(models.Model):
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="marks", verbose_name=_("lesson")
    )
    pupil = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="marks", verbose_name=_("pupil")
    )
    work_type = models.ForeignKey(
        WorkType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("work type"),
    )
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices)
    value = models.PositiveSmallIntegerField(_("mark"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("teacher")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "pupil", "work_type"], name="one_mark_per_work"
            ),
            models.CheckConstraint(condition=_value_in_scale(), name="mark_in_scale"),
        ]
        indexes = [models.Index(fields=["pupil", "lesson"])]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.value} ({self.lesson})"


class MarkChange(models.Model):
    """Every change of a mark, kept for good: who, when, old → new."""

    mark = models.ForeignKey(
        Mark, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    work_type = models.ForeignKey(WorkType, on_delete=models.PROTECT, related_name="+")
    old_value = models.PositiveSmallIntegerField(null=True, blank=True)
    new_value = models.PositiveSmallIntegerField(null=True, blank=True)
    old_comment = models.CharField(max_length=500, blank=True)
    new_comment = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("mark change")
        verbose_name_plural = _("mark changes")

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value}"


class TermMark(models.Model):
    """The final mark of a term, set by the teacher (the weighted average advises)."""

    pupil = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="term_marks",
        verbose_name=_("pupil"),
    )
    class_group = models.ForeignKey(
        ClassGroup, on_delete=models.CASCADE, related_name="+", verbose_name=_("class")
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject")
    )
    term = models.ForeignKey(
        Term, on_delete=models.CASCADE, related_name="+", verbose_name=_("term")
    )
    scale = models.CharField(_("scale"), max_length=16, choices=Scale.choices)
    value = models.PositiveSmallIntegerField(_("mark"))
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("term mark")
        verbose_name_plural = _("term marks")
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "subject", "term"], name="one_term_mark"
            ),
            models.CheckConstraint(
                condition=_value_in_scale(), name="term_mark_in_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.value} ({self.subject}, {self.term.name})"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """A pupil's attendance at one lesson; no row means present."""

    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("lesson"),
    )
    pupil = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("pupil"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AttendanceStatus.choices
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "pupil"], name="one_attendance")
        ]
        indexes = [models.Index(fields=["pupil", "lesson"])]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.get_status_display()} ({self.lesson})"


class AbsenceNotice(models.Model):
    """A parent announces in advance that their child will be away."""

    pupil = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="absence_notices",
        verbose_name=_("pupil"),
    )
    announced_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("parent")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("absence notice")
        verbose_name_plural = _("absence notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="notice_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.starts_on}–{self.ends_on}"
