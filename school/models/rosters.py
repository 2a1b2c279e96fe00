"""What OneRoster rows map to, where the school structure has no place for it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from school.models.structure import ClassGroup, Subject


class RosterClass(models.Model):
    """A OneRoster class: a class group's homeroom, or its section for one subject.

    Rosters usually send one class per class group and subject ("5А Математика");
    the platform keeps one class group (5А) and remembers each section here, so a
    later file that names a section by its sourcedId alone still resolves, and an
    export writes the sections back under their own ids.
    """

    sourced_id = models.CharField(_("OneRoster sourcedId"), max_length=255, unique=True)
    class_group = models.ForeignKey(
        ClassGroup,
        on_delete=models.CASCADE,
        related_name="roster_classes",
        verbose_name=_("class"),
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="roster_classes",
        verbose_name=_("subject"),
    )
    course_sourced_id = models.CharField(
        _("OneRoster course sourcedId"), max_length=255, blank=True, db_index=True
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    class_code = models.CharField(_("class code"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("roster class")
        verbose_name_plural = _("roster classes")

    def __str__(self) -> str:
        return self.title or self.sourced_id
