"""The citywide lesson library: a Wagtail page tree from subjects down to lessons."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from lessons.blocks import RICH_TEXT_FEATURES, LessonBodyBlock

GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(11)]


class LibraryServeMixin:
    """Library pages are read through the library's views, which ask the access policy.

    Wagtail would otherwise serve every live page to anyone at its URL.
    """

    def serve(self, request, *args, **kwargs):
        return redirect("lessons:library")

    def serve_preview(self, request, *args, **kwargs):
        return self.serve(request)


class LibraryIndexPage(LibraryServeMixin, Page):
    """The root of the citywide library."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["lessons.SubjectPage"]
    max_count = 1

    class Meta:
        verbose_name = _("lesson library")


class SubjectPage(LibraryServeMixin, Page):
    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subject"),
    )

    content_panels = [*Page.content_panels, FieldPanel("subject")]
    parent_page_types = ["lessons.LibraryIndexPage"]
    subpage_types = ["lessons.CoursePage"]

    class Meta:
        verbose_name = _("library subject")


class CoursePage(LibraryServeMixin, Page):
    grade = models.PositiveSmallIntegerField(_("grade"), validators=GRADE_VALIDATORS)
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("grade"), FieldPanel("intro")]
    parent_page_types = ["lessons.SubjectPage"]
    subpage_types = ["lessons.UnitPage"]

    class Meta:
        verbose_name = _("course")


class UnitPage(LibraryServeMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lessons.CoursePage"]
    subpage_types = ["lessons.LessonPage"]

    class Meta:
        verbose_name = _("unit")


class LessonPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "lessons.LessonPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class LessonPage(Page):
    """A library lesson; its quiz answers and teacher notes never reach pupils."""

    subject = models.ForeignKey(
        "school.Subject",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subject"),
        help_text=_("Filled in from the library section when left empty."),
        null=True,
        blank=True,
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=GRADE_VALIDATORS, null=True, blank=True
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"),
        default=45,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    objectives = RichTextField(_("objectives"), features=RICH_TEXT_FEATURES)
    tags = ClusterTaggableManager(
        through=LessonPageTag, blank=True, verbose_name=_("tags and competencies")
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("lesson"), blank=True)
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("objectives"),
        FieldPanel("duration_minutes"),
        FieldPanel("grade"),
        FieldPanel("subject"),
        FieldPanel("tags"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("objectives"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("subject"),
        index.FilterField("grade"),
    ]
    api_fields = [
        APIField("objectives"),
        APIField("duration_minutes"),
        APIField("grade"),
        APIField("subject_id"),
        APIField("tags"),
        # The body goes out through a pupil-safe serializer, never as stored.
        APIField("public_body"),
    ]
    parent_page_types = ["lessons.UnitPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("library lesson")
        verbose_name_plural = _("library lessons")

    def serve(self, request, *args, **kwargs):
        return redirect("lessons:library_lesson", page_id=self.pk)

    def serve_preview(self, request, *args, **kwargs):
        # The editor's preview is the one place this page's own template renders.
        context = {**self.get_context(request), "show_teacher_notes": True}
        return TemplateResponse(request, "lessons/lesson_page.html", context)

    @property
    def public_body(self) -> list[dict]:
        from lessons.rendering import pupil_safe_body

        return pupil_safe_body(self.body)


class LessonPlanQuerySet(models.QuerySet):
    def usable(self):
        """Plans whose page a class may open: a published library lesson, or the
        attaching teacher's own lesson (a copy being adapted, a draft)."""
        return self.filter(
            models.Q(page__live=True) | models.Q(page__owner_id=F("attached_by_id"))
        )


class LessonPlan(models.Model):
    """A library lesson attached to a dated lesson of the timetable."""

    lesson = models.OneToOneField(
        "school.Lesson",
        on_delete=models.CASCADE,
        related_name="plan",
        verbose_name=_("lesson"),
    )
    page = models.ForeignKey(
        LessonPage,
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("library lesson"),
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attached_at = models.DateTimeField(auto_now_add=True)

    objects = LessonPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson plan")
        verbose_name_plural = _("lesson plans")

    def __str__(self) -> str:
        return f"{self.lesson} → {self.page}"

    @cached_property
    def taught_page(self) -> LessonPage:
        """The version the class sees and is scored against: the published lesson,
        or, for the teacher's own unpublished lesson, its latest saved draft."""
        page = self.page
        if page.live or page.latest_revision_id is None:
            return page
        return page.get_latest_revision_as_object()


class PracticeAttempt(models.Model):
    """A pupil's self-paced try at one quiz block of a lesson, scored by the server."""

    pupil = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_attempts",
    )
    page = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="attempts"
    )
    block_id = models.CharField(max_length=64)
    answers = models.JSONField()
    score = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["page", "pupil"])]

    def __str__(self) -> str:
        return f"{self.pupil}: {self.score}/{self.max_score}"


# Moderation's models live in their own module; importing them registers them here.
from lessons.h5p.models import (  # noqa: E402, F401
    H5PActivitySettings,
    H5PAttempt,
    H5PContentState,
    H5PLibrary,
    H5PPackage,
)
from lessons.moderation import (  # noqa: E402, F401
    MethodologistSubject,
    SubjectMethodologistTask,
)
