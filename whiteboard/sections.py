"""Sections of the lesson page a teacher can show on every screen of a live lesson.

A section is one block of the dated lesson's attached page that the class may see
(`lessons.practice.pupil_blocks`), rendered by its block template: never teacher
notes, the whiteboard starter, the homework suggestion or quiz answers.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from lessons import practice
from lessons.models import LessonPlan
from school.models import Lesson

TITLE_LENGTH = 60


@dataclass(frozen=True)
class Section:
    id: str  # the block id, what `section.push` carries
    title: str
    html: SafeString
    quiz: bool = False  # a quiz block: the console offers to play it as a live quiz


def lesson_sections(*, lesson: Lesson) -> list[Section]:
    """The pupil-visible blocks of the lesson's attached page, in page order;
    [] without a plan or when the plan is no longer usable by the class (see
    `LessonPlanQuerySet.usable`). A quiz shows its questions and choices, read
    only (its block template marks answers for teachers alone); a game is a link
    to play it in another tab, so the live lesson stays open."""
    plan = (
        LessonPlan.objects.usable().select_related("page").filter(lesson=lesson).first()
    )
    if plan is None:
        return []
    body = plan.taught_page.body
    bound = {block.id: block for block in body}
    context = {"plan": plan, "lesson": lesson}
    return [_section(item, bound, context) for item in practice.pupil_blocks(body)]


def _section(item: dict, bound: dict, context: dict) -> Section:
    if game := item.get("h5p"):
        context = {**context, "game": game}
        html = render_to_string("whiteboard/_section_game.html", context)
        return Section(id=game["id"], title=_short(game["title"]), html=html)
    if quiz := item.get("quiz"):
        html = bound[quiz["id"]].render()
        return Section(id=quiz["id"], title=_short(quiz["title"]), html=html, quiz=True)
    block = item["block"]
    title = _short(_block_text(block)) or str(block.block.label)
    return Section(id=block.id, title=title, html=block.render())


def _block_text(block) -> str:
    value = block.value
    if block.block_type == "heading":
        return value
    if block.block_type == "paragraph":
        return strip_tags(value.source)
    if block.block_type in ("image", "video"):
        media = value["image"] if block.block_type == "image" else value["video"]
        return value["caption"] or getattr(media, "title", "")
    if block.block_type == "document":
        return getattr(value, "title", "")
    return ""


def _short(text: str) -> str:
    return Truncator(" ".join(str(text).split())).chars(TITLE_LENGTH)
