"""H5P.SingleChoiceSet 1.11 (H5P_SCORING.md §2): scored from the report only.

Live question statements carry display positions of shuffled alternatives and
cannot be re-scored; the report's children (from 1.11.72) carry the original
index, and alternative 0 is always the right one.
"""

from django.utils.translation import gettext as _

from lessons.h5p.scoring.statements import (
    child_statement,
    report_children,
    response_of,
    subcontent_id,
)
from lessons.h5p.scoring.text import indices
from lessons.h5p.scoring.verdict import Malformed, Score, number, percent_passed


def _choices(params: dict) -> list[dict]:
    choices = params.get("choices")
    if not isinstance(choices, list):
        return []
    return [choice if isinstance(choice, dict) else {} for choice in choices]


def max_score(params: dict) -> int:
    return len(_choices(params))


def score_report(params: dict, report) -> Score:
    choices = _choices(params)
    children = report_children(report)
    if children is None:
        raise Malformed(_("The game sent no per-question answers to check."))
    if len(children) != len(choices):
        raise Malformed(
            _("The answer has %(found)d questions, the game has %(count)d.")
            % {"found": len(children), "count": len(choices)}
        )
    raw = 0
    for choice, child in zip(choices, children, strict=True):
        raw += _question_score(choice, child_statement(child))
    behaviour = params.get("behaviour")
    behaviour = behaviour if isinstance(behaviour, dict) else {}
    passing = number(behaviour.get("passPercentage"), 100)
    return Score(raw, len(choices), percent_passed(raw, len(choices), passing))


def _question_score(choice: dict, statement: dict | None) -> int:
    response = response_of(statement)
    if response is None:
        raise Malformed(_("A question of the set has no answer field."))
    own_id, sent_id = choice.get("subContentId"), subcontent_id(statement)
    if own_id and sent_id and own_id != sent_id:
        raise Malformed(_("The answers are not in the order of the questions."))
    answers = choice.get("answers")
    picked = indices(response, len(answers) if isinstance(answers, list) else 0)
    if len(picked) > 1:
        raise Malformed(_("A question of the set got several answers."))
    return int(picked == [0])
