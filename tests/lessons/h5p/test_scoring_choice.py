"""Re-scoring H5P.MultiChoice 1.16, H5P.TrueFalse 1.8 and H5P.SingleChoiceSet 1.11.

The multi-choice fixture has answers [2/4 ✓, 1/3, 3/6 ✓, 5/8]: two right
answers, so "auto" means multi mode, with singlePoint false and pass 100 %.
"""

from decimal import Decimal

import pytest

from lessons.h5p.models import Verification
from lessons.h5p.scoring import rescore
from tests.lessons.h5p import xapi


def mc(response: str, claimed=(0, 2), content=None):
    found = content or xapi.content("multichoice")
    claim = xapi.statement(*claimed, response=response)
    return rescore(xapi.MC, found, claim, None)


@pytest.mark.parametrize(
    ("response", "raw", "success"),
    [
        ("0[,]2", 2, True),
        ("2[,]0", 2, True),  # click order, original indices
        ("0", 1, False),
        ("0[,]1", 0, False),  # a wrong tick cancels a right one
        ("0[,]2[,]1", 1, False),
        ("1[,]3", 0, False),
        ("", 0, False),
    ],
)
def test_multi_mode_counts_right_minus_wrong(response, raw, success):
    result = mc(response, claimed=(raw, 2))

    assert result.verification == Verification.VERIFIED
    assert (result.raw, result.max, result.success) == (raw, 2, success)
    assert result.reason == ""


def test_forged_full_marks_keep_the_servers_score():
    result = mc("1", claimed=(2, 2))

    assert result.verification == Verification.MISMATCH
    assert (result.raw, result.max) == (0, 2)
    assert result.reason


def test_a_claim_of_a_smaller_maximum_is_a_mismatch():
    result = mc("0", claimed=(1, 1))

    assert result.verification == Verification.MISMATCH
    assert (result.raw, result.max) == (1, 2)


@pytest.mark.parametrize(
    "response", ["0[,]0", "4", "x", "-1", "01", "0,2", " 0", "0[,]", "1.0", "٠"]
)
def test_malformed_responses_score_zero_of_the_servers_maximum(response):
    result = mc(response, claimed=(2, 2))

    assert result.verification == Verification.MISMATCH
    assert (result.raw, result.max, result.success) == (0, 2, False)
    assert result.reason


def test_a_statement_without_response_is_not_verified():
    found = xapi.statement(2, 2)

    result = rescore(xapi.MC, xapi.content("multichoice"), found, None)

    assert result.verification == Verification.MISMATCH
    assert result.raw == 0


def test_single_point_is_on_when_the_key_is_missing():
    content = xapi.content("multichoice")
    del content["behaviour"]["singlePoint"]

    assert (mc("0", (0, 1), content).raw, mc("0", (0, 1), content).max) == (0, 1)
    both = mc("0[,]2", (1, 1), content)
    assert (both.raw, both.max, both.verification) == (1, 1, Verification.VERIFIED)


def test_single_point_uses_the_pass_percentage():
    content = xapi.content("multichoice")
    content["behaviour"].update(singlePoint=True, passPercentage=50)

    assert mc("0", (1, 1), content).raw == 1
    assert mc("0[,]1", (0, 1), content).raw == 0


def test_auto_with_one_right_answer_is_single_answer_mode():
    content = xapi.content("multichoice")
    content["answers"][2]["correct"] = False

    right = mc("0", (1, 1), content)
    assert (right.raw, right.max, right.verification) == (1, 1, "verified")
    assert mc("3", (0, 1), content).raw == 0
    two = mc("0[,]1", (1, 1), content)
    assert (two.verification, two.raw) == (Verification.MISMATCH, 0)


def test_forced_single_mode_with_two_right_answers():
    content = xapi.content("multichoice")
    content["behaviour"]["type"] = "single"

    result = mc("2", (1, 1), content)

    assert (result.raw, result.max, result.verification) == (1, 1, "verified")


def test_no_right_answer_scores_one_for_choosing_nothing():
    content = xapi.content("multichoice")
    for answer in content["answers"]:
        answer["correct"] = False

    nothing = mc("", (1, 1), content)
    assert (nothing.raw, nothing.max, nothing.success) == (1, 1, True)
    assert mc("1", (0, 1), content).raw == 0


def test_missing_behaviour_uses_the_javascript_defaults():
    content = xapi.content("multichoice")
    del content["behaviour"]

    # singlePoint defaults to true, passPercentage to 100.
    assert (mc("0", (0, 1), content).raw, mc("0[,]2", (1, 1), content).raw) == (0, 1)


# --- H5P.TrueFalse 1.8: the fixture's right answer is "false".
@pytest.mark.parametrize(("response", "raw"), [("false", 1), ("true", 0), ("", 0)])
def test_true_false(response, raw):
    found = xapi.statement(raw, 1, response=response, success=bool(raw))

    result = rescore(xapi.TF, xapi.content("truefalse"), found, None)

    assert (result.verification, result.raw, result.max) == ("verified", raw, 1)
    assert result.success is bool(raw)


def test_true_false_forged_and_malformed():
    content = xapi.content("truefalse")
    forged = rescore(xapi.TF, content, xapi.statement(1, 1, response="true"), None)
    odd = rescore(xapi.TF, content, xapi.statement(1, 1, response="FALSE"), None)

    assert (forged.verification, forged.raw) == (Verification.MISMATCH, 0)
    assert (odd.verification, odd.raw, odd.max) == (Verification.MISMATCH, 0, 1)


def test_true_false_defaults_to_true_when_the_key_is_missing():
    content = xapi.content("truefalse")
    del content["correct"]

    result = rescore(xapi.TF, content, xapi.statement(1, 1, response="true"), None)

    assert result.verification == Verification.VERIFIED


# --- H5P.SingleChoiceSet 1.11: scored from the report's children (original
# indices; alternative 0 is always right). The live statement has no response.
SCS_IDS = [
    "5b1c1a3e-2f1e-4c3b-9a54-3f0a1e6d7c01",
    "5b1c1a3e-2f1e-4c3b-9a54-3f0a1e6d7c02",
    "5b1c1a3e-2f1e-4c3b-9a54-3f0a1e6d7c03",
]


def scs(responses, claimed, *, ids=SCS_IDS, content=None):
    children = [
        xapi.child(response, subcontent_id=key)
        for response, key in zip(responses, ids, strict=False)
    ]
    found = xapi.statement(*claimed, verb="completed")
    return rescore(
        xapi.SCS,
        content or xapi.content("singlechoiceset"),
        found,
        xapi.report(children),
    )


def test_single_choice_set_counts_first_alternatives():
    right = scs(["0", "0", "0"], (3, 3))
    partial = scs(["0", "1", ""], (1, 3))

    assert (right.verification, right.raw, right.max, right.success) == (
        "verified",
        3,
        3,
        True,
    )
    assert (partial.verification, partial.raw, partial.success) == (
        "verified",
        1,
        False,
    )


def test_single_choice_set_forged_claim():
    result = scs(["2", "1", "3"], (3, 3))

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 3)


@pytest.mark.parametrize(
    "responses",
    [
        ["0", "0"],  # a question missing
        ["0", "0", "0", "0"],
        ["0", "2", "0"],  # the second question has two alternatives
        ["0", "0[,]1", "0"],
        ["0", "x", "0"],
    ],
)
def test_single_choice_set_malformed_reports(responses):
    result = scs(responses, (3, 3), ids=[*SCS_IDS, "extra"])

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 3)


def test_single_choice_set_children_out_of_order_are_refused():
    result = scs(["0", "0", "0"], (3, 3), ids=list(reversed(SCS_IDS)))

    assert (result.verification, result.raw) == (Verification.MISMATCH, 0)


def test_single_choice_set_without_report_is_not_verified():
    found = xapi.statement(3, 3, verb="completed")

    result = rescore(xapi.SCS, xapi.content("singlechoiceset"), found, None)

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 3)


def test_single_choice_set_without_sub_content_ids_goes_by_position():
    content = xapi.content("singlechoiceset")
    for choice in content["choices"]:
        del choice["subContentId"]

    result = scs(["0", "0", "1"], (2, 3), ids=[None, None, None], content=content)

    assert (result.verification, result.raw) == (Verification.VERIFIED, Decimal(2))
