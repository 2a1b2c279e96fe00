"""Homework: assigned at a lesson, submitted by pupils, reviewed and marked."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from school.models.journal import Mark
from school.models.structure import User
from school.models.timetable import Lesson


class Homework(models.Model):
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.CASCADE,
        related_name="homework",
        verbose_name=_("lesson"),
    )
    due_date = models.DateField(_("due date"))
    text = models.TextField(_("task"))
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("teacher")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("homework")
        verbose_name_plural = _("homework")

    def __str__(self) -> str:
        return f"{self.lesson}: {self.text[:40]}"


class HomeworkAttachment(models.Model):
    homework = models.ForeignKey(
        Homework, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="homework/tasks/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class SubmissionStatus(models.TextChoices):
    DONE = "done", _("Done")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


class Submission(models.Model):
    homework = models.ForeignKey(
        Homework, on_delete=models.CASCADE, related_name="submissions"
    )
    pupil = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("pupil"),
    )
    text = models.TextField(_("answer"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SubmissionStatus.choices
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    teacher_comment = models.TextField(_("teacher's comment"), blank=True)
    mark = models.OneToOneField(
        Mark,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
    )

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["homework", "pupil"], name="one_submission")
        ]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.homework}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to="homework/answers/%Y/%m/")
    thumbnail = models.ImageField(upload_to="homework/thumbs/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name
