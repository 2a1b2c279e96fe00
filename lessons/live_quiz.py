"""A lesson's quiz block played as a live quiz game (the game is gamification's)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gamification.models import QuizGame
from gamification.quiz.services import TIME_LIMITS, quiz_game_create
from lessons import access
from lessons.models import LessonPlan
from school.models import Lesson, User


def quiz_block_questions(quiz: dict) -> list[dict]:
    """The block's choice questions as the game takes them; short-answer ones are
    left out (a live game has buttons, not typing)."""
    questions = []
    for question in quiz["questions"]:
        if question["kind"] != "choice":
            continue
        choices = list(question["choices"])
        questions.append(
            {
                "text": question["text"],
                "choices": [choice["text"] for choice in choices],
                "correct": [i for i, choice in enumerate(choices) if choice["correct"]],
                "time_limit": min(
                    max(question["time_limit"], TIME_LIMITS[0]), TIME_LIMITS[1]
                ),
            }
        )
    return questions


@dataclass(frozen=True)
class LiveQuizBlock:
    """A quiz block as the plan page offers it for a live game."""

    id: str
    title: str
    playable: int  # choice questions: the game has buttons
    typed: int  # typed-answer questions: they stay in the self-paced practice


def live_quiz_blocks(page) -> list[LiveQuizBlock]:
    blocks = []
    for block in page.body:
        if block.block_type != "quiz":
            continue
        kinds = [question["kind"] for question in block.value["questions"]]
        playable = kinds.count("choice")
        blocks.append(
            LiveQuizBlock(
                block.id, block.value["title"], playable, len(kinds) - playable
            )
        )
    return blocks


def typed_questions_left_out(lesson: Lesson, block_id: str) -> int:
    """How many questions of the attached lesson's quiz `block_id` a live game
    leaves out (typed answers)."""
    plan = LessonPlan.objects.select_related("page").filter(lesson=lesson).first()
    if plan is None:
        return 0
    blocks = live_quiz_blocks(plan.taught_page)
    return next((block.typed for block in blocks if block.id == block_id), 0)


def lesson_quiz_game_start(*, teacher: User, lesson: Lesson, block_id: str) -> QuizGame:
    """A live game, for the lesson's class, of the attached lesson's quiz block
    `block_id`. PermissionDenied unless `teacher` plans this lesson;
    ValidationError if there is no such quiz or it has no choice questions."""
    if not access.can_plan(teacher, lesson):
        raise PermissionDenied(_("Only the teacher of this lesson can plan it."))
    plan = LessonPlan.objects.select_related("page").filter(lesson=lesson).first()
    if plan is None:
        raise ValidationError(_("Attach a library lesson first."))
    block = next(
        (
            block
            for block in plan.taught_page.body
            if block.block_type == "quiz" and block.id == block_id
        ),
        None,
    )
    if block is None:
        raise ValidationError(_("This quiz is not in the attached lesson."))
    questions = quiz_block_questions(block.value)
    if not questions:
        raise ValidationError(_("This quiz has no choice questions to play live."))
    return quiz_game_create(
        host=teacher,
        title=block.value["title"],
        questions=questions,
        class_group=lesson.class_group,
        subject=lesson.subject,
    )
