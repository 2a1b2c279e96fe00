"""Self-paced practice: checking a pupil's answers to a quiz block and scoring them.

The answer key never leaves the server: a pupil gets the questions through
`pupil_blocks`, sends answers back, and learns per question only whether it was
right, never which answer was. Only a whole attempt is marked: with a question
left blank nothing is stored or told, or a pupil could try one question at a
time and learn its answer before handing in.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.blocks import StreamValue

from lessons.blocks import TEACHER_ONLY_BLOCKS

# The starter and the homework suggestion are for the teacher's planning only.
HIDDEN_FROM_PUPILS = TEACHER_ONLY_BLOCKS | {"whiteboard_starter", "homework_suggestion"}
SHORT_ANSWER_MAX_LENGTH = 255


def quiz_of(body: StreamValue, block_id: str):
    """The stored value (with the key) of the quiz block `block_id`, or
    ValidationError when there is no such block or it is not a quiz."""
    for block in body:
        if block.id == block_id:
            if block.block_type != "quiz":
                raise ValidationError(_("This part of the lesson is not a quiz."))
            return block.value
    raise ValidationError(_("This lesson has no such quiz."))


def normalised(text: str) -> str:
    """Case, spacing and ё/е do not matter in a short answer."""
    return " ".join(text.split()).casefold().replace("ё", "е")


def _choice_answer_checked(question, given) -> list[int]:
    if not isinstance(given, list) or any(
        type(item) is not int or not 0 <= item < len(question["choices"])
        for item in given
    ):
        raise ValidationError(_("Pick answers from the choices given."))
    if len(set(given)) != len(given):
        raise ValidationError(_("Each choice may be picked only once."))
    if not given:
        raise ValidationError(_("Answer every question before handing in."))
    return sorted(given)


def _short_answer_checked(given) -> str:
    if not isinstance(given, str):
        raise ValidationError(_("A short answer must be text."))
    if len(given) > SHORT_ANSWER_MAX_LENGTH:
        raise ValidationError(
            _("An answer may have at most %(limit)d characters.")
            % {"limit": SHORT_ANSWER_MAX_LENGTH}
        )
    if not given.strip():
        raise ValidationError(_("Answer every question before handing in."))
    return given.strip()


def answers_checked(quiz, answers) -> list:
    """Answers in the stored shape: per question, in order, a sorted list of
    choice numbers (from 0) or a text. Raises ValidationError on any other shape."""
    questions = list(quiz["questions"])
    if not isinstance(answers, list) or len(answers) != len(questions):
        raise ValidationError(_("Answer each question of the quiz once."))
    return [
        _choice_answer_checked(question, given)
        if question["kind"] == "choice"
        else _short_answer_checked(given)
        for question, given in zip(questions, answers, strict=True)
    ]


def answers_from_form(quiz, data: Mapping) -> list:
    """The answers of a submitted practice form (`q-<n>` fields) as a list.

    Choice numbers that are not numbers become -1, which `answers_checked`
    refuses; so malformed input is refused in one place.
    """
    answers = []
    for number, question in enumerate(quiz["questions"]):
        name = f"q-{number}"
        if question["kind"] == "choice":
            values = data.getlist(name) if hasattr(data, "getlist") else []
            answers.append([int(v) if v.isdigit() else -1 for v in values])
        else:
            answers.append(data.get(name, ""))
    return answers


def _is_right(question, given) -> bool:
    if question["kind"] == "choice":
        key = [n for n, choice in enumerate(question["choices"]) if choice["correct"]]
        return given == key
    accepted = {normalised(answer) for answer in question["accepted_answers"]}
    return normalised(given) in accepted - {""}


def quiz_marked(quiz, answers: list) -> list[bool]:
    """Per question: right or wrong. Choice questions are all-or-nothing (exactly
    the correct choices); `answers` must have passed `answers_checked`."""
    return [
        _is_right(question, given)
        for question, given in zip(quiz["questions"], answers, strict=True)
    ]


def _question_for_pupil(question) -> dict:
    return {
        "text": question["text"],
        "kind": question["kind"],
        "choices": [choice["text"] for choice in question["choices"]],
    }


def _game_for_pupil(block) -> dict | None:
    """An H5P block as a link to its player; None when its game was removed."""
    package = block.value["package"]
    if package is None:
        return None
    return {"id": block.id, "title": block.value["title"] or package.title}


def pupil_blocks(body: StreamValue) -> list[dict]:
    """What a pupil's page shows: each visible block, quizzes as bare questions.

    Items are `{"quiz": {...}}` (title, id, questions without answers),
    `{"h5p": {"id", "title"}}` (a game, played on its own page) or
    `{"block": <bound block>}` for everything else the pupil may see.
    """
    items = []
    for block in body:
        if block.block_type in HIDDEN_FROM_PUPILS:
            continue
        if block.block_type == "h5p":
            if game := _game_for_pupil(block):
                items.append({"h5p": game})
        elif block.block_type == "quiz":
            questions = [_question_for_pupil(q) for q in block.value["questions"]]
            quiz = {
                "id": block.id,
                "title": block.value["title"],
                "questions": questions,
            }
            items.append({"quiz": quiz})
        else:
            items.append({"block": block})
    return items


def outcome_attach(items: list[dict], *, block_id: str, **outcome) -> None:
    """Puts a submission's outcome on its quiz among `pupil_blocks` items: an
    `error`, or the `attempt` and per question `marked` right/wrong (the pupil's
    own answers are shown again; the correct ones are not)."""
    for item in items:
        quiz = item.get("quiz")
        if quiz is None or quiz["id"] != block_id:
            continue
        quiz["error"] = outcome.get("error")
        attempt = outcome.get("attempt")
        if attempt is not None:
            quiz["attempt"] = attempt
            for question, given, right in zip(
                quiz["questions"], attempt.answers, outcome["marked"], strict=True
            ):
                question.update(given=given, right=right)


def outcome_json(attempt, marked: list[bool]) -> dict:
    return {
        "attempt": attempt.pk,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "questions": [{"number": n + 1, "right": r} for n, r in enumerate(marked)],
    }
