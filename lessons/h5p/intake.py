"""Writes from the player's host page: xAPI statements in, resume state saved.

Every statement of a pupil's game becomes an attempt (none is overwritten);
the score stored is the server's whenever it can recompute it (`scoring`).
"""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lessons.h5p import access
from lessons.h5p.models import H5PAttempt, H5PContentState, H5PPackage, Verification
from lessons.h5p.scoring import Rescore, claimed_score, rescore
from lessons.models import LessonPlan
from lessons.points import h5p_attempt_points
from school.models import User

STATEMENT_MAX_BYTES = 64 * 1024
REPORT_MAX_BYTES = 160 * 1024
STATE_MAX_BYTES = 64 * 1024
# content.json of a validated package; a bigger one is not read into memory.
CONTENT_MAX_BYTES = 8 * 1024 * 1024
VERBS = {
    "http://adlnet.gov/expapi/verbs/answered",
    "http://adlnet.gov/expapi/verbs/completed",
}
DURATION = re.compile(
    r"P(?:(?P<days>\d{1,6})D)?(?:T(?:(?P<hours>\d{1,6})H)?"
    r"(?:(?P<minutes>\d{1,6})M)?(?:(?P<seconds>\d{1,9}(?:\.\d{1,6})?)S)?)?"
)


def _activity_package(*, pupil: User, plan: LessonPlan, block_id: str) -> H5PPackage:
    if not access.can_play(pupil, plan):
        raise PermissionDenied(_("Only the pupils of the class play this game."))
    package = access.get_h5p_block(plan, block_id).value["package"]
    if package is None:
        raise ValidationError(_("This game was removed from the library."))
    return package


def _size(value) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def _statement_check(statement, report) -> tuple[Decimal, Decimal]:
    """The claimed raw and max of a top-level scored statement; else ValidationError."""
    if not isinstance(statement, dict):
        raise ValidationError(_("The statement must be a JSON object."))
    if _size(statement) > STATEMENT_MAX_BYTES:
        raise ValidationError(
            _("The statement is larger than %(kib)d KiB.")
            % {"kib": STATEMENT_MAX_BYTES // 1024},
            code="too_big",
        )
    if report is not None and not isinstance(report, dict):
        raise ValidationError(_("The report must be a JSON object or null."))
    if report is not None and _size(report) > REPORT_MAX_BYTES:
        raise ValidationError(
            _("The report is larger than %(kib)d KiB.")
            % {"kib": REPORT_MAX_BYTES // 1024},
            code="too_big",
        )
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    if isinstance(activities, dict) and activities.get("parent"):
        raise ValidationError(_("Only the game's own result is recorded, not a part."))
    verb = statement.get("verb")
    if not isinstance(verb, dict) or verb.get("id") not in VERBS:
        raise ValidationError(_("Only answered and completed results are recorded."))
    try:
        return claimed_score(statement)
    except ValueError as error:
        raise ValidationError(
            _("The statement has no usable score (result.score raw and max).")
        ) from error


def package_content(package: H5PPackage) -> dict | None:
    """The package's content.json as the player was given it; None if unreadable."""
    path = Path(settings.MEDIA_ROOT) / package.content_dir / "content" / "content.json"
    try:
        if path.stat().st_size > CONTENT_MAX_BYTES:
            return None
        content = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def duration_parse(value) -> datetime.timedelta | None:
    """ISO 8601 durations as H5P writes them (`PT1M2.5S`); None if not one."""
    found = DURATION.fullmatch(value) if isinstance(value, str) else None
    if found is None or value in ("P", "PT") or value.endswith("T"):
        return None
    parts = {key: float(number) for key, number in found.groupdict(default="0").items()}
    return datetime.timedelta(**parts)


def _verdict(package: H5PPackage, statement: dict, report) -> Rescore:
    content = package_content(package)
    if content is None:
        raw, top = claimed_score(statement)
        result = statement.get("result", {})
        success = result.get("success")
        return Rescore(
            Verification.UNVERIFIED,
            raw,
            top,
            success if isinstance(success, bool) else None,
            _("The game's content could not be read on the server."),
        )
    verdict = rescore(package.main_library, content, statement, report)
    if verdict.verification == Verification.UNVERIFIED and verdict.raw > verdict.max:
        raise ValidationError(_("The game reported more points than its maximum."))
    return verdict


def _scaled(raw: Decimal, top: Decimal) -> Decimal | None:
    if top <= 0:
        return None
    return (raw / top).quantize(Decimal("0.0001"))


@transaction.atomic
def h5p_statement_record(
    *, pupil: User, plan: LessonPlan, block_id: str, statement, report
) -> H5PAttempt:
    """Records one attempt of `pupil` at the H5P block `block_id` of `plan`.

    Refuses (PermissionDenied for anyone but a pupil of the class, Http404 for
    an unknown block, ValidationError for anything but a top-level answered or
    completed statement with a score, or one over 64 KiB) and then stores
    nothing. The statement's `actor` is dropped: the attempt is the pupil's.
    A verified score that beats the pupil's best there earns points
    (`lessons.points.h5p_attempt_points`).
    """
    package = _activity_package(pupil=pupil, plan=plan, block_id=block_id)
    claimed_raw, claimed_max = _statement_check(statement, report)
    verdict = _verdict(package, statement, report)
    result = statement.get("result") or {}
    completion = result.get("completion")
    attempt = H5PAttempt.objects.create(
        pupil=pupil,
        lesson=plan.lesson,
        page_id=plan.page_id,
        block_id=block_id,
        package=package,
        raw_score=verdict.raw,
        max_score=verdict.max,
        scaled=_scaled(verdict.raw, verdict.max),
        claimed_raw=claimed_raw,
        claimed_max=claimed_max,
        completion=completion if isinstance(completion, bool) else None,
        success=verdict.success,
        duration=duration_parse(result.get("duration")),
        verification=verdict.verification,
        verification_note=verdict.reason[:255],
        statement={key: value for key, value in statement.items() if key != "actor"},
        report=report,
    )
    # In this transaction: the attempt and its points commit (or not) together.
    h5p_attempt_points(attempt, title=package.title)
    return attempt


def h5p_state_save(
    *, pupil: User, plan: LessonPlan, block_id: str, data
) -> H5PContentState:
    """Keeps H5P's resume state of the pupil's game (one per pupil and activity).

    Refuses anything but text of at most 64 KiB, keeping the saved state.
    """
    package = _activity_package(pupil=pupil, plan=plan, block_id=block_id)
    if not isinstance(data, str):
        raise ValidationError(_("The saved progress must be text."))
    if len(data.encode()) > STATE_MAX_BYTES:
        raise ValidationError(
            _("The saved progress is larger than %(kib)d KiB.")
            % {"kib": STATE_MAX_BYTES // 1024},
            code="too_big",
        )
    state, _created = H5PContentState.objects.update_or_create(
        pupil=pupil,
        lesson=plan.lesson,
        block_id=block_id,
        defaults={"package": package, "data": data},
    )
    return state


def h5p_state_load(*, pupil: User, plan: LessonPlan, block_id: str) -> str | None:
    """The pupil's saved state of this game, or None (also when the block now
    holds another package, whose player could not read the old state)."""
    package = _activity_package(pupil=pupil, plan=plan, block_id=block_id)
    return (
        H5PContentState.objects.filter(
            pupil=pupil, lesson=plan.lesson, block_id=block_id, package=package
        )
        .values_list("data", flat=True)
        .first()
    )
