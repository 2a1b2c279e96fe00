"""The demo city's lesson library: a page tree with lessons teachers wrote.

`demo_library_seed()` runs after the journal seed. It builds the library from
`lessons.demo_library_content`: subject, course and unit pages, published lessons
with a picture, a quiz, a whiteboard starter, notes and homework, and one lesson
waiting for moderation. A page is looked up by its slug under its parent and
created only when missing, so a second run writes nothing and an editor's changes
are kept. Finally each published lesson is planned for the next free lesson of its
author's classes, so pupils find material in their timetable.

Pages go through Wagtail's own actions (`add_child`, `save_revision`, `publish`,
`Workflow.start`), as the admin does, so revisions and logs are the real ones.
"""

import datetime
import io
import logging
from dataclasses import dataclass, field

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.module_loading import import_string
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site, Workflow

from lessons import demo_library_content as content
from lessons.demo_games import demo_games_ensure
from lessons.demo_library_art import grid_background
from lessons.models import (
    CoursePage,
    LessonPage,
    LessonPlan,
    LibraryIndexPage,
    SubjectPage,
    UnitPage,
)
from school.models import Lesson, LessonStatus, Role, Subject, TeachingAssignment, User

# Library moderation is built alongside this seed; looked up at run time so the
# demo still loads (the moderated lesson then stays a draft) where it is absent.
MODERATION_SETUP = "lessons.moderation_setup.library_moderation_setup"
MODERATOR_SUBJECT = "lessons.moderation.MethodologistSubject"
QUIZ_TITLE = "Проверь себя"
WARM_UP_TITLE = "Разминка"


@dataclass
class _Seed:
    today: datetime.date
    editor: User | None  # owns the library's sections
    authors: dict[tuple[str, int], User]  # (subject code, grade) → a teacher of it
    subjects: dict[str, Subject]
    workflow: Workflow | None = None
    collection: Collection | None = None
    grid: object | None = None  # the whiteboard background image
    games: dict = field(default_factory=dict)  # H5P sample name → package
    written: int = 0


def demo_library_seed(*, today: datetime.date) -> int:
    """Builds what is missing of the demo library; returns the rows written.

    Does nothing (returns 0) before the demo city's subjects exist.
    """
    # Wagtail logs each page created and published at INFO: dozens of lines that
    # would bury the demo logins `make run` prints.
    logger = logging.getLogger("wagtail")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        return _library_seed(today, games=demo_games_ensure())
    finally:
        logger.setLevel(level)


@transaction.atomic
def _library_seed(today: datetime.date, *, games: dict) -> int:
    codes = [spec.code for spec in content.SUBJECTS]
    subjects = {s.code: s for s in Subject.objects.filter(code__in=codes)}
    if not subjects:
        return 0
    seed = _Seed(
        today=today,
        editor=_editor(),
        authors=_authors(today, codes),
        subjects=subjects,
        games=games,
    )
    library = _library_ensure(seed)
    seed.workflow = _moderation_ensure(seed, library)
    for spec in content.SUBJECTS:
        if spec.code in subjects:
            _subject_ensure(seed, library, spec)
    return seed.written


def _editor() -> User | None:
    methodologists = User.objects.filter(role_grants__role=Role.METHODOLOGIST)
    return (
        methodologists.order_by("username").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )


def _authors(today: datetime.date, codes: list[str]) -> dict[tuple[str, int], User]:
    """The teacher of each subject × grade in the first school's first class."""
    assignments = (
        TeachingAssignment.objects.filter(
            subject__code__in=codes,
            class_group__academic_year__starts_on__lte=today,
            class_group__academic_year__ends_on__gte=today,
        )
        .select_related("teacher", "subject", "class_group")
        .order_by(
            "class_group__school__external_id",
            "class_group__grade",
            "class_group__letter",
        )
    )
    authors: dict[tuple[str, int], User] = {}
    for assignment in assignments:
        key = (assignment.subject.code, assignment.class_group.grade)
        authors.setdefault(key, assignment.teacher)
    return authors


def _moderation_ensure(seed: _Seed, library: Page) -> Workflow | None:
    """Puts the library under moderation, with the demo methodologist moderating
    its subjects; None where this build has no library moderation."""
    try:
        setup = import_string(MODERATION_SETUP)
        moderator_subject = import_string(MODERATOR_SUBJECT)
    except ImportError:
        return None
    if seed.editor is not None and seed.editor.has_role(Role.METHODOLOGIST):
        for subject in seed.subjects.values():
            _link, created = moderator_subject.objects.get_or_create(
                user=seed.editor, subject=subject
            )
            seed.written += created
    return setup(library=library)


def _child(parent: Page, slug: str) -> Page | None:
    page = Page.objects.child_of(parent).filter(slug=slug).first()
    return page.specific if page else None


def _publish_new(seed: _Seed, parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    revision = page.save_revision(user=page.owner)
    # Demo authors hold no publish permission yet; the seed stands in for moderation.
    revision.publish(user=page.owner, skip_permission_checks=True)
    seed.written += 2  # the page and its revision
    return page


def _library_ensure(seed: _Seed) -> LibraryIndexPage:
    library = LibraryIndexPage.objects.first()  # max_count is 1
    if library is not None:
        return library
    site = Site.objects.filter(is_default_site=True).select_related("root_page")
    # Under the site's home page, so Wagtail serves it at <home>/library/.
    parent = site.first().root_page if site.exists() else Page.get_first_root_node()
    page = LibraryIndexPage(
        title=content.LIBRARY_TITLE,
        slug=content.LIBRARY_SLUG,
        intro=content.LIBRARY_INTRO,
        owner=seed.editor,
    )
    return _publish_new(seed, parent, page)


def _subject_ensure(seed: _Seed, library: Page, spec: content.SubjectSpec) -> None:
    page = _child(library, spec.slug) or _publish_new(
        seed,
        library,
        SubjectPage(
            title=spec.title,
            slug=spec.slug,
            subject=seed.subjects[spec.code],
            owner=seed.editor,
        ),
    )
    for course in spec.courses:
        _course_ensure(seed, page, spec.code, course)


def _course_ensure(
    seed: _Seed, parent: Page, code: str, spec: content.CourseSpec
) -> None:
    course = _child(parent, spec.slug) or _publish_new(
        seed,
        parent,
        CoursePage(
            title=spec.title,
            slug=spec.slug,
            grade=spec.grade,
            intro=spec.intro,
            owner=seed.editor,
        ),
    )
    for unit_spec in spec.units:
        unit = _child(course, unit_spec.slug) or _publish_new(
            seed,
            course,
            UnitPage(
                title=unit_spec.title,
                slug=unit_spec.slug,
                intro=unit_spec.intro,
                owner=seed.editor,
            ),
        )
        author = seed.authors.get((code, spec.grade), seed.editor)
        for lesson_spec in unit_spec.lessons:
            lesson = _child(unit, lesson_spec.slug) or _lesson_create(
                seed, unit, lesson_spec, code=code, grade=spec.grade, author=author
            )
            if lesson.live:
                _plans_ensure(seed, lesson)


def _lesson_create(
    seed: _Seed,
    parent: Page,
    spec: content.LessonSpec,
    *,
    code: str,
    grade: int,
    author: User | None,
) -> LessonPage:
    picture = _image_create(seed, spec.title, spec.slug, spec.picture(), author)
    page = LessonPage(
        title=spec.title,
        slug=spec.slug,
        owner=author,
        subject=seed.subjects[code],
        grade=grade,
        duration_minutes=spec.duration_minutes,
        objectives="".join(
            ["<ul>", *(f"<li>{o}</li>" for o in spec.objectives), "</ul>"]
        ),
        body=_body(spec, picture, _grid(seed), seed.games),
    )
    page.tags.add(*spec.tags)
    if spec.published:
        return _publish_new(seed, parent, page)
    page.live = False
    parent.add_child(instance=page)
    page.save_revision(user=author)
    seed.written += 2
    if seed.workflow is not None:
        seed.workflow.start(page, author)
        seed.written += 1
    return page


def _body(spec: content.LessonSpec, picture, grid, games: dict):
    """The lesson's StreamField value, checked by the blocks' own validation."""
    blocks = []
    for index, (heading, html) in enumerate(spec.sections):
        blocks += [("heading", heading), ("paragraph", html)]
        if index == 0:
            blocks.append(("image", {"image": picture.pk, "caption": spec.caption}))
    questions = [
        {
            "text": q.text,
            "kind": q.kind,
            "choices": [{"text": text, "correct": ok} for text, ok in q.choices],
            "accepted_answers": list(q.accepted),
            "time_limit": q.time_limit,
        }
        for q in spec.quiz
    ]
    starter_pages = [
        {"title": WARM_UP_TITLE, "background": grid.pk},
        {"title": spec.title, "background": None},
    ]
    blocks += [
        ("quiz", {"title": QUIZ_TITLE, "questions": questions}),
        *(
            ("h5p", {"package": games[name].pk, "title": ""})
            for name in spec.games
            if name in games
        ),
        ("whiteboard_starter", {"pages": starter_pages}),
        ("teacher_notes", spec.notes),
        ("homework_suggestion", {"text": spec.homework, "due_in_days": 2}),
    ]
    stream_block = LessonPage.body.field.stream_block
    value = stream_block.to_python([{"type": t, "value": v} for t, v in blocks])
    return stream_block.clean(value)


def _collection(seed: _Seed) -> Collection:
    if seed.collection is None:
        found = Collection.objects.filter(name=content.IMAGES_COLLECTION).first()
        seed.collection = found or Collection.get_first_root_node().add_child(
            name=content.IMAGES_COLLECTION
        )
        seed.written += found is None
    return seed.collection


def _grid(seed: _Seed):
    if seed.grid is None:
        found = (
            get_image_model()
            .objects.filter(collection=_collection(seed), title=content.GRID_TITLE)
            .first()
        )
        seed.grid = found or _image_create(
            seed, content.GRID_TITLE, "grid", grid_background(), seed.editor
        )
    return seed.grid


def _image_create(seed: _Seed, title: str, slug: str, png: bytes, user):
    image = get_image_model()(
        title=title,
        collection=_collection(seed),
        uploaded_by_user=user,
        file=ImageFile(io.BytesIO(png), name=f"demo-{slug}.png"),
    )
    image._set_image_file_metadata()
    image.save()
    seed.written += 1
    return image


def _plans_ensure(seed: _Seed, page: LessonPage) -> None:
    """Plans the lesson for the next unplanned lesson of each class its author
    teaches in its grade, unless that class already has it planned."""
    upcoming = Lesson.objects.filter(
        teacher=page.owner,
        subject=page.subject,
        class_group__grade=page.grade,
        date__gte=seed.today,
        status=LessonStatus.SCHEDULED,
        plan__isnull=True,
    ).order_by("date", "slot__number")
    planned = set(page.plans.values_list("lesson__class_group", flat=True))
    classes = upcoming.exclude(class_group__in=planned).values_list(
        "class_group", flat=True
    )
    for class_group in sorted(set(classes)):
        lesson = upcoming.filter(class_group=class_group).first()
        LessonPlan.objects.create(lesson=lesson, page=page, attached_by=page.owner)
        seed.written += 1
