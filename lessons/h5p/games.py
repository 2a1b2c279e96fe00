"""Reads for the pupils' side of the player: a pupil's list of games.

A "game" is one H5P block of the lesson page (as taught: see
`LessonPlan.taught_page`) attached to a dated lesson of the pupil's class.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Max
from django.urls import reverse
from wagtail.models import Revision

from lessons.h5p.models import H5PAttempt, H5PPackage
from lessons.models import LessonPlan
from school.models import Enrolment, Lesson, User
from school.models.timetable import LessonStatus

# Games of lessons up to two weeks ahead: a teacher sets them before the lesson.
AHEAD = datetime.timedelta(days=14)
# The newest lessons with a page attached; older ones drop off the list.
PLANS_LIMIT = 60


@dataclass
class Game:
    lesson: Lesson
    page_title: str
    block_id: str
    title: str
    package: H5PPackage
    url: str
    best: Decimal | None = None
    max_score: Decimal | None = None
    attempts: int = 0


def _h5p_blocks(stream) -> list[dict]:
    """The stored `{"id", "value": {"package": pk, "title"}}` of each H5P block,
    read without loading the snippets (so many pages cost no extra queries)."""
    if isinstance(stream, str):
        stream = json.loads(stream or "[]")
    return [
        {"id": block["id"], "value": block.get("value") or {}}
        for block in stream
        if block.get("type") == "h5p" and block.get("id")
    ]


def _taught_bodies(plans: list[LessonPlan]) -> dict[int, tuple[str, list[dict]]]:
    """Per plan, the title and H5P blocks of the page as the class sees it
    (`LessonPlan.taught_page`): the live page, or the latest draft of an
    unpublished one, read from the revisions' stored data in one query."""
    drafts = {
        plan.page.latest_revision_id
        for plan in plans
        if not plan.page.live and plan.page.latest_revision_id
    }
    stored = {
        revision.pk: revision.content
        for revision in Revision.objects.filter(pk__in=drafts).only("content")
    }
    bodies = {}
    for plan in plans:
        page = plan.page
        content = stored.get(page.latest_revision_id) if not page.live else None
        if content is not None:
            bodies[plan.pk] = (content.get("title", page.title), content.get("body"))
        else:
            bodies[plan.pk] = (page.title, page.body.raw_data)
    return {
        pk: (title, _h5p_blocks(body or [])) for pk, (title, body) in bodies.items()
    }


def _plans_for(pupil: User, today: datetime.date) -> list[LessonPlan]:
    classes = Enrolment.objects.current(today).filter(pupil=pupil)
    return list(
        LessonPlan.objects.usable()
        .filter(
            lesson__class_group_id__in=classes.values("class_group_id"),
            lesson__date__gte=F("lesson__class_group__academic_year__starts_on"),
            lesson__date__lte=today + AHEAD,
        )
        .exclude(lesson__status=LessonStatus.CANCELLED)
        .select_related("page", "lesson__subject", "lesson__slot")
        .order_by("-lesson__date", "-lesson__slot__number", "-pk")[:PLANS_LIMIT]
    )


def _best_scores(pupil: User, lesson_ids: list[int]) -> dict:
    rows = (
        H5PAttempt.objects.filter(pupil=pupil, lesson_id__in=lesson_ids)
        .values("lesson_id", "block_id")
        .annotate(best=Max("raw_score"), out_of=Max("max_score"), tries=Count("pk"))
    )
    return {(row["lesson_id"], row["block_id"]): row for row in rows}


def games_for_pupil(pupil: User, *, today: datetime.date) -> list[Game]:
    """The H5P games of the pupil's current classes, newest lesson first (page
    order within a lesson), each with the pupil's best score and attempt count.

    At most four queries whatever the number of lessons and games: plans (the
    enrolments are a subquery), drafts' revisions, packages, attempts.
    """
    plans = _plans_for(pupil, today)
    bodies = _taught_bodies(plans)
    found = [(plan, block) for plan in plans for block in bodies[plan.pk][1]]
    package_ids = {block["value"].get("package") for _, block in found}
    packages = H5PPackage.objects.in_bulk([pk for pk in package_ids if pk])
    scores = _best_scores(pupil, [plan.lesson_id for plan in plans])
    games = []
    for plan, block in found:
        package = packages.get(block["value"].get("package"))
        if package is None:
            continue
        score = scores.get((plan.lesson_id, block["id"]), {})
        games.append(
            Game(
                lesson=plan.lesson,
                page_title=bodies[plan.pk][0],
                block_id=block["id"],
                title=block["value"].get("title") or package.title,
                package=package,
                url=reverse(
                    "lessons:h5p_play", args=[plan.page_id, plan.lesson_id, block["id"]]
                ),
                best=score.get("best"),
                max_score=score.get("out_of"),
                attempts=score.get("tries", 0),
            )
        )
    return games
