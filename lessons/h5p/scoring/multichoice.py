"""H5P.MultiChoice 1.16 (H5P_SCORING.md §1): scored by original answer indices."""

from django.utils.translation import gettext as _

from lessons.h5p.scoring.text import indices
from lessons.h5p.scoring.verdict import Malformed, Score, number, percent_passed


def _answers(params: dict) -> list:
    answers = params.get("answers")
    return answers if isinstance(answers, list) else []


def _correct(params: dict) -> set[int]:
    return {
        i
        for i, answer in enumerate(_answers(params))
        if isinstance(answer, dict) and answer.get("correct")
    }


def _behaviour(params: dict) -> dict:
    behaviour = params.get("behaviour")
    return behaviour if isinstance(behaviour, dict) else {}


def _single_mode(params: dict) -> bool:
    kind = _behaviour(params).get("type", "auto")
    if kind == "auto":
        return len(_correct(params)) == 1
    return kind == "single"


def _single_point(params: dict) -> bool:
    # The JS default is true when the key is missing (semantics says false).
    return bool(_behaviour(params).get("singlePoint", True))


def _pass_percentage(params: dict) -> float:
    return number(_behaviour(params).get("passPercentage"), 100)


def max_score(params: dict) -> int:
    if _single_mode(params) or _single_point(params):
        return 1
    return max(len(_correct(params)), 1)


def blank_response(params: dict) -> str:
    return ""


def score(params: dict, response: str) -> Score:
    chosen = set(indices(response, len(_answers(params))))
    if _single_mode(params) and len(chosen) > 1:
        raise Malformed(_("A single-answer question got several answers."))
    correct = _correct(params)
    if _single_mode(params):
        raw, top = (1 if chosen and chosen <= correct else 0), 1
    elif not correct:
        raw, top = (0 if chosen else 1), 1
    else:
        raw = max(0, len(chosen & correct) - len(chosen - correct))
        top = len(correct)
        if _single_point(params):
            raw, top = int(100 * raw / top >= _pass_percentage(params)), 1
    return Score(raw, top, percent_passed(raw, top, _pass_percentage(params)))
