"""Re-scoring H5P.QuestionSet 1.21 from the report's children (by subContentId).

Fixture questions: a single-answer choice (max 1), true/false (1), two blanks
(2), two drop zones (2) and one word to mark (1): 7 points in all.
"""

import pytest

from lessons.h5p.models import Verification
from lessons.h5p.scoring import rescore
from tests.lessons.h5p import xapi

ID = "0c9c2f5e-7d6a-4a39-9d3c-00000000000{}".format
RIGHT = {
    ID(1): "0",
    ID(2): "true",
    ID(3): "два[,]ТРИ",
    ID(4): "Кит[,]океане",
    ID(5): "1",
}


def question_set(responses: dict, claimed, *, content=None, report=True):
    children = [xapi.child(r, subcontent_id=key) for key, r in responses.items()]
    claim = xapi.statement(*claimed, verb="completed")
    content = content or xapi.content("questionset")
    return rescore(xapi.QS, content, claim, xapi.report(children) if report else None)


def test_all_right():
    result = question_set(RIGHT, (7, 7))

    assert (result.verification, result.raw, result.max, result.success) == (
        "verified", 7, 7, True,
    )  # fmt: skip


def test_partial_and_shuffled_order_use_the_pass_percentage():
    responses = dict(reversed(list({**RIGHT, ID(1): "1", ID(2): ""}.items())))

    result = question_set(responses, (5, 7))

    assert (result.verification, result.raw, result.success) == ("verified", 5, True)
    low = question_set({**RIGHT, ID(3): "[,]", ID(4): "[,]", ID(5): ""}, (2, 7))
    assert (low.raw, low.success) == (2, False)


def test_forged_full_marks():
    blank = dict.fromkeys(RIGHT, "") | {ID(3): "[,]", ID(4): "[,]"}
    result = question_set(blank, (7, 7))

    assert result.verification == Verification.MISMATCH
    assert (result.raw, result.max) == (0, 7)


def test_a_question_left_out_counts_in_its_blank_state():
    content = xapi.content("questionset")
    for answer in content["questions"][0]["params"]["answers"]:
        answer["correct"] = False  # a choice with no right answer: blank = 1
    responses = {key: r for key, r in RIGHT.items() if key not in (ID(1), ID(5))}

    result = question_set(responses, (6, 7), content=content)

    assert (result.verification, result.raw, result.max) == ("verified", 6, 7)


@pytest.mark.parametrize(
    "responses",
    [
        {**RIGHT, "not-in-this-set": "0"},
        {**RIGHT, ID(4): "реке[,]реке"},  # one distractor used twice
        {**RIGHT, ID(3): "два"},  # wrong part count
        {**RIGHT, ID(1): "0[,]1"},  # two answers to a single-answer question
    ],
)
def test_malformed_children_refuse_the_whole_set(responses):
    result = question_set(responses, (7, 7))

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 7)
    assert result.reason


def test_the_same_question_twice_is_refused():
    children = [xapi.child("0", subcontent_id=ID(1)) for _ in range(2)]
    claim = xapi.statement(2, 2, verb="completed")

    result = rescore(xapi.QS, xapi.content("questionset"), claim, xapi.report(children))

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 7)


def test_without_a_report_the_set_is_not_verified():
    result = question_set(RIGHT, (7, 7), report=False)

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 7)


@pytest.mark.parametrize("library", ["H5P.Essay 1.5", "H5P.MultiChoice 1.15"])
def test_a_question_the_server_cannot_score_leaves_the_set_unverified(library):
    content = xapi.content("questionset")
    content["questions"][1]["library"] = library

    result = question_set(RIGHT, (6, 9), content=content)

    assert (result.verification, result.raw, result.max) == ("unverified", 6, 9)


# --- poolSize 2 of: choice with two right answers (max 2), true/false (1),
# three blanks (3).
POOL = "9a0e7c52-1111-4c6e-8f7e-00000000000{}".format


def pool(responses: dict, claimed):
    return question_set(responses, claimed, content=xapi.content("questionset_pool"))


def test_pool_scores_the_questions_in_play():
    small = pool({POOL("a"): "0[,]2", POOL("b"): "false"}, (3, 3))
    large = pool({POOL("b"): "false", POOL("c"): "4[,]9[,]15"}, (3, 4))

    assert (small.verification, small.raw, small.max) == ("verified", 3, 3)
    assert small.success is True
    assert (large.verification, large.raw, large.max) == ("verified", 3, 4)


@pytest.mark.parametrize(
    "responses",
    [
        {POOL("b"): "false"},  # claims a pool of one: max 1
        {POOL("a"): "0[,]2", POOL("b"): "false", POOL("c"): "4[,]9[,]16"},
    ],
)
def test_pool_of_another_size_is_refused(responses):
    result = pool(responses, (1, 1))

    # Refused out of the largest pool's maximum (blanks 3 + choice 2).
    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 5)
