"""Library moderation: methodologists of a subject approve lessons of that subject.

Teachers may add lessons and edit their own (Wagtail's owner rule for the "add"
page permission) but never publish; a page under the library goes live only when
the "Library moderation" workflow's one task, SubjectMethodologistTask, is
approved by a methodologist of the page's subject.
"""

from django.conf import settings
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from school.models import Role


class MethodologistSubject(models.Model):
    """A subject whose library lessons a methodologist moderates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderated_subjects",
        verbose_name=_("methodologist"),
    )
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("subject"),
    )

    class Meta:
        app_label = "lessons"
        verbose_name = _("methodologist's subject")
        verbose_name_plural = _("methodologists' subjects")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subject"], name="unique_methodologist_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.subject}"


def page_subject_id(page: Page) -> int | None:
    """A lesson's own subject, else the subject of the library section it is in."""
    from lessons.models import SubjectPage

    subject_id = getattr(page.specific_deferred, "subject_id", None)
    if subject_id is None:
        section = SubjectPage.objects.ancestor_of(page, inclusive=True).first()
        subject_id = section.subject_id if section else None
    return subject_id


def moderated_subject_ids(user) -> set[int]:
    """Subjects the user moderates; none unless they hold the methodologist role."""
    if not user.is_authenticated or not user.has_role(Role.METHODOLOGIST):
        return set()
    return set(user.moderated_subjects.values_list("subject_id", flat=True))


def pages_moderated_by(user) -> models.QuerySet:
    """Pages whose subject (as page_subject_id finds it) the user moderates."""
    from lessons.models import SubjectPage

    subject_ids = moderated_subject_ids(user)
    in_sections = Q(pk__in=[])
    for path in SubjectPage.objects.filter(subject_id__in=subject_ids).values_list(
        "path", flat=True
    ):
        in_sections |= Q(path__startswith=path)
    own_subject = Q(lessonpage__subject_id__in=subject_ids)
    no_subject = Q(lessonpage__isnull=True) | Q(lessonpage__subject__isnull=True)
    return Page.objects.filter(own_subject | (in_sections & no_subject))


class SubjectMethodologistTask(Task):
    """Approved or sent back, with comments, by a methodologist of the subject."""

    class Meta:
        app_label = "lessons"
        verbose_name = _("subject methodologist approval")
        verbose_name_plural = _("subject methodologist approvals")

    @classmethod
    def get_description(cls):
        return _("A methodologist of the lesson's subject approves or rejects it.")

    def user_moderates(self, obj, user) -> bool:
        """Superusers, and methodologists of the page's subject (cached per user)."""
        if user.is_superuser:
            return True
        subject_ids = getattr(user, "_moderated_subject_ids", None)
        if subject_ids is None:
            subject_ids = moderated_subject_ids(user)
            user._moderated_subject_ids = subject_ids
        return bool(subject_ids) and page_subject_id(obj) in subject_ids

    def user_can_access_editor(self, obj, user):
        return self.user_moderates(obj, user)

    def locked_for_user(self, obj, user):
        # While in review the author waits; only the reviewers may change the page.
        return not self.user_moderates(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_moderates(obj, user)

    def get_actions(self, obj, user):
        if not self.user_moderates(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        # object_id is text in Wagtail's generic relation; compare as text.
        page_ids = (
            pages_moderated_by(user)
            .annotate(pk_text=Cast("pk", CharField()))
            .values("pk_text")
        )
        return states.filter(workflow_state__object_id__in=page_ids)
