"""H5P.TrueFalse 1.8 (H5P_SCORING.md §3): "true"/"false", "" when unanswered."""

from django.utils.translation import gettext as _

from lessons.h5p.scoring.verdict import Malformed, Score


def _correct(params: dict) -> str:
    # A select whose default is "true"; the JS compares the string.
    return "true" if params.get("correct", "true") == "true" else "false"


def max_score(params: dict) -> int:
    return 1


def blank_response(params: dict) -> str:
    return ""


def score(params: dict, response: str) -> Score:
    if response not in ("true", "false", ""):
        raise Malformed(_("A true/false answer must be true or false."))
    right = response == _correct(params)
    return Score(int(right), 1, right)
