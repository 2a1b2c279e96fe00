"""Reads of the lessons app: the library, lesson plans and practice results."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from taggit.models import Tag

from lessons.models import LessonPage, LessonPageTag, LessonPlan, PracticeAttempt
from school.models import ClassGroup, Enrolment, Lesson, Subject, Term, User

PICKER_LIMIT = 50


def library_lessons_for(lesson: Lesson, query: str = ""):
    """Library lessons (see `library_find`) of the lesson's subject and its class's
    grade, for the teacher's picker; at most PICKER_LIMIT."""
    found = library_find(
        query=query.strip(),
        subject=lesson.subject,
        grade=lesson.class_group.grade,
    )
    return found[:PICKER_LIMIT]


def own_lessons_for(teacher: User, lesson: Lesson, query: str = ""):
    """The teacher's own lessons of the lesson's subject, drafts and copies
    included, newest first; at most PICKER_LIMIT."""
    own = LessonPage.objects.filter(owner=teacher, subject=lesson.subject)
    if query.strip():
        own = own.filter(title__icontains=query.strip())
    return own.order_by("-latest_revision_created_at", "-pk")[:PICKER_LIMIT]


def plan_of(lesson: Lesson) -> LessonPlan | None:
    """The library lesson attached to a dated lesson, with its page, or None."""
    return LessonPlan.objects.select_related("page").filter(lesson=lesson).first()


def term_of(lesson: Lesson) -> Term | None:
    """The term the lesson falls in (its gradebook's columns), if any."""
    return Term.objects.filter(
        academic_year_id=lesson.class_group.academic_year_id,
        starts_on__lte=lesson.date,
        ends_on__gte=lesson.date,
    ).first()


def next_lesson_date(lesson: Lesson) -> datetime.date | None:
    """The day of the class's next held lesson of the same subject, if any."""
    return (
        Lesson.objects.held()
        .filter(
            class_group_id=lesson.class_group_id,
            subject_id=lesson.subject_id,
            date__gt=lesson.date,
        )
        .order_by("date", "slot__number")
        .values_list("date", flat=True)
        .first()
    )


def suggested_due_date(*, lesson: Lesson, due_in_days: int) -> datetime.date:
    """Homework is due at the class's next lesson of the subject, else
    `due_in_days` after this one."""
    following = next_lesson_date(lesson)
    return following or lesson.date + datetime.timedelta(days=due_in_days)


def homework_suggestions(lesson: Lesson, plan: LessonPlan | None) -> list[dict]:
    """The attached page's homework suggestions (id, text, due date); one query."""
    if plan is None:
        return []
    body = plan.taught_page.body
    blocks = [b for b in body if b.block_type == "homework_suggestion"]
    if not blocks:
        return []
    following = next_lesson_date(lesson)
    return [
        {
            "id": block.id,
            "text": block.value["text"],
            "due_date": following
            or lesson.date + datetime.timedelta(days=block.value["due_in_days"]),
        }
        for block in blocks
    ]


def class_pupils(class_group: ClassGroup) -> QuerySet[User]:
    """Pupils enrolled in the class today, in register order."""
    enrolled = Enrolment.objects.current().filter(class_group=class_group)
    return User.objects.filter(
        pk__in=enrolled.values("pupil_id"), is_active=True
    ).order_by("last_name", "first_name", "pk")


def quizzes_of(page: LessonPage) -> list[dict]:
    """Each quiz block of the page: its id and title, in page order."""
    return [
        {"id": block.id, "title": block.value["title"]}
        for block in page.body
        if block.block_type == "quiz"
    ]


@dataclass
class QuizResult:
    best: int
    last: int
    max_score: int
    attempts: int


@dataclass
class PupilResults:
    pupil: User
    by_quiz: list[QuizResult | None] = field(default_factory=list)


def practice_results(page: LessonPage, class_group: ClassGroup) -> list[PupilResults]:
    """Per pupil of the class and per quiz of the page: best and last score and
    the number of attempts (None where the pupil has not tried). Two queries."""
    pupils = list(class_pupils(class_group))
    last = PracticeAttempt.objects.filter(
        page=page, pupil_id=OuterRef("pupil_id"), block_id=OuterRef("block_id")
    ).order_by("-created_at", "-pk")
    rows = (
        PracticeAttempt.objects.filter(page=page, pupil__in=[p.pk for p in pupils])
        .values("pupil_id", "block_id")
        .annotate(
            best=Max("score"),
            attempts=Count("pk"),
            max_score=Max("max_score"),
            last=Subquery(last.values("score")[:1]),
        )
        .order_by()
    )
    found = {(row["pupil_id"], row["block_id"]): row for row in rows}
    quiz_ids = [quiz["id"] for quiz in quizzes_of(page)]
    return [
        PupilResults(
            pupil=pupil,
            by_quiz=[_result(found.get((pupil.pk, quiz_id))) for quiz_id in quiz_ids],
        )
        for pupil in pupils
    ]


def _result(row: dict | None) -> QuizResult | None:
    if row is None:
        return None
    return QuizResult(
        best=row["best"],
        last=row["last"],
        max_score=row["max_score"],
        attempts=row["attempts"],
    )


# --- The library: published lessons, found and filtered, shaped for a list.
def library_lessons() -> QuerySet[LessonPage]:
    """Published lessons anyone in the library may open (not drafts, not private)."""
    return LessonPage.objects.live().public()


def library_find(
    *,
    query: str = "",
    subject: Subject | None = None,
    grade: int | None = None,
    tag: Tag | None = None,
):
    """Published lessons matching the filters: a QuerySet by title, or Wagtail
    search results by relevance when there is a query. Pages are loaded without
    their bodies; `library_cards` shapes a page of them for display."""
    pages = library_lessons().defer_streamfields()
    if subject is not None:
        pages = pages.filter(subject=subject)
    if grade is not None:
        pages = pages.filter(grade=grade)
    if tag is not None:
        tagged = LessonPageTag.objects.filter(tag=tag).values("content_object_id")
        pages = pages.filter(id__in=tagged)
    if query:
        return pages.search(query)
    return pages.order_by("title", "pk")


def _usage_counts(pages: QuerySet[LessonPage]) -> QuerySet[LessonPage]:
    # order_by(): a page's default ordering (path) would split the GROUP BY.
    copies = LessonPage.objects.filter(source=OuterRef("pk")).order_by()
    plans = LessonPlan.objects.filter(page=OuterRef("pk")).order_by()
    copies, plans = copies.values("source"), plans.values("page")
    return pages.annotate(
        copy_count=Coalesce(Subquery(copies.annotate(n=Count("pk")).values("n")), 0),
        taught_count=Coalesce(Subquery(plans.annotate(n=Count("pk")).values("n")), 0),
    )


def library_cards(pages: Iterable[LessonPage]) -> list[LessonPage]:
    """The given lessons, in their order, with subject, tags and usage counts
    (`copy_count`, `taught_count`) loaded in two queries whatever their number."""
    ids = [page.pk for page in pages]
    loaded = _usage_counts(
        LessonPage.objects.filter(pk__in=ids)
        .defer_streamfields()
        .select_related("subject")
        .prefetch_related("tagged_items__tag")
    ).in_bulk()
    return [loaded[pk] for pk in ids if pk in loaded]


def lesson_usage(page: LessonPage) -> dict[str, int]:
    """How many copies were made of a lesson and how many times it was taught."""
    return {
        "copies": LessonPage.objects.filter(source=page).count(),
        "taught": LessonPlan.objects.filter(page=page).count(),
    }


def library_tags() -> QuerySet[Tag]:
    """Tags used by at least one published lesson, by name."""
    used = LessonPageTag.objects.filter(content_object__in=library_lessons()).values(
        "tag_id"
    )
    return Tag.objects.filter(pk__in=used).order_by("name")
