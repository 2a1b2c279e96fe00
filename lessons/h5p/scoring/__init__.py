"""Server-side re-scoring of H5P results (see ../shared/H5P_SCORING.md).

`rescore` recomputes a statement's score from the package's content.json and
the pupil's responses for the library versions the reference covers; the score
the browser claims is only compared, never trusted. Pure: no database, no files.
"""

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from lessons.h5p.models import Verification
from lessons.h5p.scoring import (
    blanks,
    dragtext,
    markthewords,
    multichoice,
    questionset,
    singlechoiceset,
    truefalse,
)
from lessons.h5p.scoring.statements import response_of
from lessons.h5p.scoring.verdict import Malformed, Score

# A claimed score is stored in DecimalField(max_digits=9, decimal_places=2).
CLAIM_LIMIT = 1_000_000
LIBRARY = re.compile(r"(?P<name>[\w.-]+) (?P<major>\d+)\.(?P<minor>\d+)(\.\d+)?")

# Types scored from `result.response` of the statement itself.
RESPONSE_TYPES = {
    ("H5P.MultiChoice", "1.16"): multichoice,
    ("H5P.TrueFalse", "1.8"): truefalse,
    ("H5P.Blanks", "1.14"): blanks,
    ("H5P.DragText", "1.10"): dragtext,
    ("H5P.MarkTheWords", "1.11"): markthewords,
}
SINGLE_CHOICE_SET = ("H5P.SingleChoiceSet", "1.11")
QUESTION_SET = ("H5P.QuestionSet", "1.21")
__all__ = ["Rescore", "claimed_score", "library_key", "rescore"]


@dataclass(frozen=True)
class Rescore:
    """The verdict on one statement: the numbers to store and why.

    raw/max are the server's for a verifiable type (VERIFIED or MISMATCH) and
    the claim for others (UNVERIFIED). `reason` is empty when VERIFIED.
    """

    verification: Verification
    raw: Decimal
    max: Decimal
    success: bool | None
    reason: str = ""


def library_key(library: str) -> tuple[str, str] | None:
    """("H5P.MultiChoice", "1.16") from "H5P.MultiChoice 1.16" (patch ignored)."""
    found = LIBRARY.fullmatch(library.strip())
    if found is None:
        return None
    return found["name"], f"{int(found['major'])}.{int(found['minor'])}"


def claimed_score(statement: dict) -> tuple[Decimal, Decimal]:
    """`result.score.raw` and `.max` as Decimals; ValueError if not usable."""
    result = statement.get("result")
    score = result.get("score") if isinstance(result, dict) else None
    if not isinstance(score, dict):
        raise ValueError("no result.score")
    values = [score.get("raw"), score.get("max")]
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("score is not a number")
        if not math.isfinite(value) or not 0 <= value < CLAIM_LIMIT:
            raise ValueError("score out of range")
    raw, top = (Decimal(str(v)).quantize(Decimal("0.01")) for v in values)
    return raw, top


def rescore(
    main_library: str, content: dict, statement: dict, report: dict | None
) -> Rescore:
    """The verdict on `statement` for a package of `main_library`.

    `report` is the host's `getXAPIData()` of the whole game (needed for the
    sets, whose own statement carries no responses). Raises ValueError only if
    the statement has no usable claimed score (the intake refuses those first).
    """
    claimed_raw, claimed_max = claimed_score(statement)
    key = library_key(main_library)
    if key in RESPONSE_TYPES:
        scorer = RESPONSE_TYPES[key]
        top = scorer.max_score(content)
        verdict = _verdict(top, lambda: _score_response(scorer, content, statement))
    elif key == SINGLE_CHOICE_SET:
        top = singlechoiceset.max_score(content)
        verdict = _verdict(top, lambda: singlechoiceset.score_report(content, report))
    elif (
        key == QUESTION_SET
        and (listed := questionset.questions(content, library_key)) is not None
    ):
        top = questionset.max_score(content, listed)
        verdict = _verdict(
            top, lambda: questionset.score_report(content, listed, report)
        )
    else:
        return Rescore(
            Verification.UNVERIFIED,
            claimed_raw,
            claimed_max,
            _claimed_success(statement),
            _("The server cannot check this kind of game."),
        )
    if isinstance(verdict, Rescore):
        return verdict
    raw, top = Decimal(verdict.raw), Decimal(verdict.max)
    if (raw, top) != (claimed_raw, claimed_max):
        reason = _(
            "The game claimed %(claimed_raw)s/%(claimed_max)s; the server counted "
            "%(raw)s/%(max)s."
        ) % {
            "claimed_raw": _plain(claimed_raw),
            "claimed_max": _plain(claimed_max),
            "raw": verdict.raw,
            "max": verdict.max,
        }
        return Rescore(Verification.MISMATCH, raw, top, verdict.success, reason)
    return Rescore(Verification.VERIFIED, raw, top, verdict.success)


def _score_response(scorer, content: dict, statement: dict) -> Score:
    response = response_of(statement)
    if response is None:
        raise Malformed(_("The statement has no answer to check."))
    return scorer.score(content, response)


def _verdict(top: int, score) -> Score | Rescore:
    """The server's score, or a refusal: 0 out of the server's maximum."""
    try:
        return score()
    except Malformed as error:
        return Rescore(
            Verification.MISMATCH, Decimal(0), Decimal(top), False, error.reason
        )


def _claimed_success(statement: dict) -> bool | None:
    success = statement.get("result", {}).get("success")
    return success if isinstance(success, bool) else None


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"
