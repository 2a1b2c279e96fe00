"""Recording xAPI statements and resume state (lessons.h5p.intake)."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lessons.h5p import intake
from lessons.h5p.models import H5PAttempt, H5PContentState, Verification
from tests.lessons.h5p import xapi
from tests.lessons.h5p.activity import GAME_ID, package_make, plan_make


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def package(db):
    return package_make("multichoice", xapi.MC)


@pytest.fixture
def plan(city, package):
    return plan_make(city, package)


def record(pupil, plan, statement, report=None, block_id=GAME_ID):
    return intake.h5p_statement_record(
        pupil=pupil, plan=plan, block_id=block_id, statement=statement, report=report
    )


def test_a_right_answer_is_verified_and_bound_to_the_pupil(city, plan, package):
    found = xapi.statement(2, 2, response="2[,]0", success=True, duration="PT1M2.5S")

    attempt = record(city.pupil_in, plan, found)

    attempt.refresh_from_db()
    assert attempt.pupil == city.pupil_in
    assert (attempt.lesson, attempt.page_id) == (plan.lesson, plan.page_id)
    assert (attempt.block_id, attempt.package) == (GAME_ID, package)
    assert (attempt.raw_score, attempt.max_score) == (2, 2)
    assert attempt.scaled == Decimal("1.0000")
    assert (attempt.claimed_raw, attempt.claimed_max) == (2, 2)
    assert (attempt.completion, attempt.success) == (True, True)
    assert attempt.duration == datetime.timedelta(minutes=1, seconds=2.5)
    assert attempt.verification == Verification.VERIFIED
    assert attempt.verification_note == ""
    assert "actor" not in attempt.statement
    assert attempt.statement["result"]["response"] == "2[,]0"


def test_forged_full_marks_store_the_servers_score(city, plan):
    attempt = record(city.pupil_in, plan, xapi.statement(2, 2, response="1"))

    attempt.refresh_from_db()
    assert attempt.verification == Verification.MISMATCH
    assert (attempt.raw_score, attempt.max_score, attempt.scaled) == (0, 2, 0)
    assert (attempt.claimed_raw, attempt.claimed_max) == (2, 2)
    assert attempt.verification_note


def test_every_attempt_is_kept(city, plan):
    for response, raw in (("1", 0), ("0", 1), ("0[,]2", 2)):
        record(city.pupil_in, plan, xapi.statement(raw, 2, response=response))

    scores = H5PAttempt.objects.order_by("pk").values_list("raw_score", flat=True)
    assert list(scores) == [0, 1, 2]


def _parent(statement):
    statement["context"]["contextActivities"]["parent"] = [{"id": xapi.OBJECT_ID}]
    return statement


def _verb(verb):
    def change(statement):
        statement["verb"]["id"] = xapi.VERB + verb
        return statement

    return change


def _without_score(statement):
    del statement["result"]["score"]
    return statement


def _string_score(statement):
    statement["result"]["score"]["raw"] = "2"
    return statement


def _huge(statement):
    statement["object"]["definition"]["description"] = {"en-US": "я" * 40_000}
    return statement


@pytest.mark.parametrize(
    "change",
    [
        _parent,
        _verb("attempted"),
        _verb("interacted"),
        _verb("progressed"),
        _without_score,
        _string_score,
        _huge,
        lambda statement: [statement],
        lambda statement: "statement",
    ],
)
def test_statements_that_are_not_top_level_results_are_refused(city, plan, change):
    found = change(xapi.statement(2, 2, response="0[,]2"))

    with pytest.raises(ValidationError):
        record(city.pupil_in, plan, found)

    assert not H5PAttempt.objects.exists()


def test_a_report_must_be_an_object(city, plan):
    with pytest.raises(ValidationError):
        record(city.pupil_in, plan, xapi.statement(0, 2, response=""), report=[1])

    assert not H5PAttempt.objects.exists()


@pytest.mark.parametrize("who", ["pupil_out", "parent", "teacher", "admin_one"])
def test_only_pupils_of_the_class_record(city, plan, who):
    with pytest.raises(PermissionDenied):
        record(getattr(city, who), plan, xapi.statement(2, 2, response="0[,]2"))

    assert not H5PAttempt.objects.exists()


def test_an_unknown_block_is_not_found(city, plan):
    with pytest.raises(Http404):
        record(city.pupil_in, plan, xapi.statement(0, 2, response=""), block_id="p")


def test_other_libraries_are_recorded_unverified(city):
    plan = plan_make(city, package_make("multichoice", "H5P.Essay 1.5"))

    attempt = record(city.pupil_in, plan, xapi.statement(3, 4, success=False))

    assert attempt.verification == Verification.UNVERIFIED
    assert (attempt.raw_score, attempt.max_score, attempt.scaled) == (3, 4, 0.75)
    assert attempt.success is False


def test_an_unverifiable_claim_above_its_maximum_is_refused(city):
    plan = plan_make(city, package_make("multichoice", "H5P.Essay 1.5"))

    with pytest.raises(ValidationError):
        record(city.pupil_in, plan, xapi.statement(5, 4))

    assert not H5PAttempt.objects.exists()


def test_unreadable_content_leaves_the_attempt_unverified(city, plan, package):
    path = Path(settings.MEDIA_ROOT) / package.content_dir / "content/content.json"
    path.write_text("{not json", encoding="utf-8")

    attempt = record(city.pupil_in, plan, xapi.statement(2, 2, response="0[,]2"))

    assert attempt.verification == Verification.UNVERIFIED
    assert attempt.verification_note


def test_a_set_keeps_its_report(city):
    plan = plan_make(city, package_make("singlechoiceset", xapi.SCS))
    children = [xapi.child("0"), xapi.child("0"), xapi.child("1")]
    report = xapi.report(children)

    attempt = record(
        city.pupil_in, plan, xapi.statement(2, 3, verb="completed"), report=report
    )

    attempt.refresh_from_db()
    assert (attempt.verification, attempt.raw_score) == ("verified", 2)
    assert attempt.report == report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT1M2.5S", datetime.timedelta(seconds=62.5)),
        ("PT12S", datetime.timedelta(seconds=12)),
        ("P1DT2H", datetime.timedelta(days=1, hours=2)),
        ("PT", None),
        ("P", None),
        ("P1DT", None),
        ("PT-1S", None),
        ("PT1.5M", None),
        ("12", None),
        (12, None),
        (None, None),
    ],
)
def test_duration_parse(text, expected):
    assert intake.duration_parse(text) == expected


def test_a_bad_duration_is_stored_as_none(city, plan):
    found = xapi.statement(2, 2, response="0[,]2", duration="soon")

    assert record(city.pupil_in, plan, found).duration is None


# --- Resume state.
def save(pupil, plan, data):
    return intake.h5p_state_save(pupil=pupil, plan=plan, block_id=GAME_ID, data=data)


def load(pupil, plan):
    return intake.h5p_state_load(pupil=pupil, plan=plan, block_id=GAME_ID)


def test_state_round_trip(city, plan):
    assert load(city.pupil_in, plan) is None

    save(city.pupil_in, plan, '{"answers":[0]}')
    save(city.pupil_in, plan, '{"answers":[2]}')

    assert load(city.pupil_in, plan) == '{"answers":[2]}'
    assert H5PContentState.objects.count() == 1


def test_state_over_64_kib_is_refused_and_the_old_one_kept(city, plan):
    save(city.pupil_in, plan, "старое")

    with pytest.raises(ValidationError):
        save(city.pupil_in, plan, "я" * (32 * 1024 + 1))  # two bytes each

    assert load(city.pupil_in, plan) == "старое"
    save(city.pupil_in, plan, "x" * 64 * 1024)  # exactly the cap is fine


def test_state_must_be_text(city, plan):
    with pytest.raises(ValidationError):
        save(city.pupil_in, plan, {"answers": [0]})


def test_state_of_another_package_is_not_restored(city, plan):
    save(city.pupil_in, plan, "{}")
    H5PContentState.objects.update(package=package_make("truefalse", xapi.TF))

    assert load(city.pupil_in, plan) is None


@pytest.mark.parametrize("who", ["pupil_out", "parent", "teacher"])
def test_state_is_only_for_pupils_of_the_class(city, plan, who):
    with pytest.raises(PermissionDenied):
        save(getattr(city, who), plan, "{}")
    with pytest.raises(PermissionDenied):
        load(getattr(city, who), plan)
