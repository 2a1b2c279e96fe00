"""Badges: what each criterion counts, and the service that awards badges.

Criteria read only the ledger, the account and the streak (the contract between
the gamification parts), so any source of points earns badges the same way.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gamification import badge_art
from gamification.models import (
    Badge,
    BadgeAward,
    BadgeCriterion,
    EntryKind,
    PointsAccount,
    PointsEntry,
    Streak,
)
from gamification.openbadges import credential_prepare
from school.models import Enrolment, User

UNREVERSED = Q(reversed_by__isnull=True)


def _points_total(pupil: User, badge: Badge) -> int:
    account = PointsAccount.objects.filter(pupil=pupil).first()
    return account.xp if account else 0


def _activities(pupil: User, badge: Badge) -> int:
    kinds = (EntryKind.H5P, EntryKind.PRACTICE)
    return PointsEntry.objects.filter(UNREVERSED, pupil=pupil, kind__in=kinds).count()


def _streak(pupil: User, badge: Badge) -> int:
    streak = Streak.objects.filter(pupil=pupil).first()
    return streak.longest if streak else 0


def _quiz_wins(pupil: User, badge: Badge) -> int:
    wins = PointsEntry.objects.filter(UNREVERSED, source_key__startswith="quizwin:")
    return wins.filter(pupil=pupil).count()


def _subject_xp(pupil: User, badge: Badge) -> int:
    # Reversals carry the subject too, so the sum is net of them.
    entries = PointsEntry.objects.filter(pupil=pupil, subject_id=badge.subject_id)
    return entries.aggregate(xp=Sum("xp"))["xp"] or 0


MEASURES = {
    BadgeCriterion.POINTS_TOTAL: _points_total,
    BadgeCriterion.ACTIVITIES: _activities,
    BadgeCriterion.STREAK: _streak,
    BadgeCriterion.QUIZ_WINS: _quiz_wins,
    BadgeCriterion.SUBJECT_MASTERY: _subject_xp,
}


def badge_progress(*, pupil: User, badge: Badge) -> int:
    """The pupil's current value for the badge's criterion (for progress bars)."""
    return MEASURES[badge.criterion](pupil, badge)


def pupil_school_ids(pupil: User) -> list[int]:
    """The pupil's schools: where enrolled today first, then their memberships."""
    enrolled = Enrolment.objects.current().filter(pupil=pupil)
    ids = list(enrolled.values_list("class_group__school_id", flat=True))
    ids += [pk for pk in pupil.schools.values_list("pk", flat=True) if pk not in ids]
    return ids


def _award_add(*, badge: Badge, pupil: User, school_id: int) -> BadgeAward | None:
    try:
        # A savepoint, as the ledger's: a concurrent evaluation that awarded the
        # same badge first makes this insert fail alone.
        with transaction.atomic():
            award = BadgeAward.objects.create(
                badge=badge,
                pupil=pupil,
                school_id=school_id,
                recipient_salt=secrets.token_hex(16),
            )
            credential_prepare(award)
            return award
    except IntegrityError:
        return None


@transaction.atomic
def badges_evaluate(*, pupil: User) -> list[BadgeAward]:
    """Awards every active badge of the pupil's schools (and of the city) whose
    criterion the pupil now meets and which they do not hold yet.

    Returns the new awards (empty when none). Safe to run twice or at once in
    two transactions: the (badge, pupil) constraint awards each badge once.
    """
    school_ids = pupil_school_ids(pupil)
    if not school_ids:
        return []
    candidates = (
        Badge.objects.filter(active=True)
        .filter(Q(school__isnull=True) | Q(school_id__in=school_ids))
        .exclude(awards__pupil=pupil)
        .select_related("subject")
        .defer("art")
    )
    measured: dict[tuple, int] = {}
    awards = []
    for badge in candidates:
        key = (badge.criterion, badge.subject_id)
        if key not in measured:
            measured[key] = badge_progress(pupil=pupil, badge=badge)
        if measured[key] < badge.threshold:
            continue
        school_id = badge.school_id or school_ids[0]
        award = _award_add(badge=badge, pupil=pupil, school_id=school_id)
        if award is not None:
            awards.append(award)
    return awards


def badge_criterion_check(*, criterion: str, subject) -> None:
    """ValidationError when the subject does not fit the criterion."""
    if criterion == BadgeCriterion.SUBJECT_MASTERY and subject is None:
        raise ValidationError(
            {"subject": _("A subject mastery badge needs a subject.")}
        )
    if criterion != BadgeCriterion.SUBJECT_MASTERY and subject is not None:
        raise ValidationError(
            {"subject": _("Only a subject mastery badge has a subject.")}
        )


@transaction.atomic
def badge_save(
    *,
    badge: Badge,
    by: User | None,
    art: bytes | None = None,
    redraw: bool = False,
) -> Badge:
    """Creates or updates a badge and its art.

    `art` is a picture already re-encoded by badge_art.art_from_upload; without
    it, new badges and `redraw=True` get art drawn from the name, colour and
    shape. Awards already made stay.
    """
    badge_criterion_check(criterion=badge.criterion, subject=badge.subject)
    if art is not None:
        badge.art = art
    elif redraw or not badge.art:
        badge.art = badge_art.art_draw(
            name=badge.name, colour=badge.colour, shape=badge.shape
        )
    if badge.pk is None:
        badge.created_by = by
    badge.save()
    return badge


@transaction.atomic
def badge_award_revoke(*, award: BadgeAward, by: User, reason: str) -> BadgeAward:
    """Revokes an award: the pupil keeps the row (and cannot earn the badge
    again); its credential reports it revoked from now on. ValidationError for an
    empty reason or an award revoked already."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking this badge."))
    updated = BadgeAward.objects.filter(pk=award.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revocation_reason=reason[:300]
    )
    if not updated:
        raise ValidationError(_("This badge was revoked already."))
    award.refresh_from_db()
    return award
