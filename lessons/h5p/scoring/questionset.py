"""H5P.QuestionSet 1.21 (H5P_SCORING.md §7): the sum of its questions' scores.

Children are matched to content.json by subContentId, from the report the host
page sends with the set's statement. A question left out of the report counts
as untouched (its blank state still scores, e.g. a choice with no right answer).
With `poolSize` only that many questions are in play: the report must name
exactly that many, so a pupil cannot shrink the maximum by naming fewer.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from django.utils.translation import gettext as _

from lessons.h5p.scoring import blanks, dragtext, markthewords, multichoice, truefalse
from lessons.h5p.scoring.statements import (
    child_statement,
    report_children,
    response_of,
    subcontent_id,
)
from lessons.h5p.scoring.verdict import Malformed, Score, number, percent_passed

# The children QS 1.21 allows whose scores the server can recompute.
CHILDREN: dict[tuple[str, str], ModuleType] = {
    ("H5P.MultiChoice", "1.16"): multichoice,
    ("H5P.Blanks", "1.14"): blanks,
    ("H5P.MarkTheWords", "1.11"): markthewords,
    ("H5P.DragText", "1.10"): dragtext,
    ("H5P.TrueFalse", "1.8"): truefalse,
}


@dataclass(frozen=True)
class Question:
    subcontent_id: str
    scorer: ModuleType
    params: dict

    @property
    def max_score(self) -> int:
        return self.scorer.max_score(self.params)


def questions(
    params: dict, library_key: Callable[[str], tuple[str, str] | None]
) -> list[Question] | None:
    """The set's questions, or None when one of them cannot be re-scored."""
    found = []
    listed = params.get("questions")
    for item in listed if isinstance(listed, list) else []:
        item = item if isinstance(item, dict) else {}
        library = item.get("library")
        key = library_key(library) if isinstance(library, str) else None
        scorer = CHILDREN.get(key) if key else None
        child_params = item.get("params")
        if scorer is None or not isinstance(child_params, dict):
            return None
        sub_id = str(item.get("subContentId") or "")
        found.append(Question(sub_id, scorer, child_params))
    return found


def pool_size(params: dict, count: int) -> int:
    size = number(params.get("poolSize"), 0)
    return int(size) if 1 <= size < count else count


def max_score(params: dict, listed: list[Question]) -> int:
    """The largest maximum a pool can have (what a refused attempt is out of)."""
    tops = sorted((q.max_score for q in listed), reverse=True)
    return sum(tops[: pool_size(params, len(listed))])


def score_report(params: dict, listed: list[Question], report) -> Score:
    children = report_children(report)
    if children is None:
        raise Malformed(_("The game sent no per-question answers to check."))
    by_id = {q.subcontent_id: q for q in listed if q.subcontent_id}
    responses: dict[str, str] = {}
    for child in children:
        statement = child_statement(child) or {}
        key, response = subcontent_id(statement), response_of(statement)
        if key not in by_id:
            raise Malformed(_("The answer names a question the game does not have."))
        if key in responses:
            raise Malformed(_("The answer gives the same question twice."))
        if response is None:
            raise Malformed(_("A question of the set has no answer field."))
        responses[key] = response
    in_play = _in_play(params, listed, responses)
    raw = top = 0
    for question in in_play:
        blank = question.scorer.blank_response(question.params)
        result = question.scorer.score(
            question.params, responses.get(question.subcontent_id, blank)
        )
        raw, top = raw + result.raw, top + result.max
    passing = number(params.get("passPercentage"), 50)
    return Score(raw, top, percent_passed(raw, top, passing))


def _in_play(params: dict, listed: list[Question], responses: dict) -> list[Question]:
    size = pool_size(params, len(listed))
    if size == len(listed):
        return listed
    if len(responses) != size:
        raise Malformed(
            _("The set plays %(size)d questions, the answer names %(found)d.")
            % {"size": size, "found": len(responses)}
        )
    return [q for q in listed if q.subcontent_id in responses]
