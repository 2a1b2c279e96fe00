"""Which libraries the server re-scores, and what it keeps of the claim."""

from decimal import Decimal

import pytest

from lessons.h5p.models import Verification
from lessons.h5p.scoring import claimed_score, library_key, rescore
from tests.lessons.h5p import xapi


@pytest.mark.parametrize(
    ("library", "key"),
    [
        ("H5P.MultiChoice 1.16", ("H5P.MultiChoice", "1.16")),
        ("H5P.MultiChoice 1.16.27", ("H5P.MultiChoice", "1.16")),
        ("H5P.TrueFalse 1.08", ("H5P.TrueFalse", "1.8")),
        ("H5P.MultiChoice", None),
        ("H5P.MultiChoice-1.16", None),
    ],
)
def test_library_key(library, key):
    assert library_key(library) == key


@pytest.mark.parametrize(
    "library", ["H5P.MultiChoice 1.15", "H5P.MultiChoice 2.16", "H5P.Essay 1.5"]
)
def test_other_libraries_and_versions_keep_the_claim_unverified(library):
    claim = xapi.statement(1.5, 3, response="0[,]2", success=False)

    result = rescore(library, xapi.content("multichoice"), claim, None)

    assert result.verification == Verification.UNVERIFIED
    assert (result.raw, result.max, result.success) == (
        Decimal("1.5"),
        Decimal(3),
        False,
    )


def test_verified_when_the_claim_agrees():
    claim = xapi.statement(2, 2, response="0[,]2")

    result = rescore(xapi.MC, xapi.content("multichoice"), claim, None)

    assert result.verification == Verification.VERIFIED
    assert (result.raw, result.max) == (2, 2)


@pytest.mark.parametrize(
    "score",
    [
        None,
        {"raw": 1},
        {"raw": "1", "max": 2},
        {"raw": True, "max": 1},
        {"raw": -1, "max": 2},
        {"raw": float("nan"), "max": 2},
        {"raw": 1, "max": 10**9},
    ],
)
def test_unusable_claims_raise(score):
    claim = xapi.statement(0, 1)
    claim["result"]["score"] = score

    with pytest.raises(ValueError):
        claimed_score(claim)
