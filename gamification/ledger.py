"""Writes of the points ledger: awards counted once, reversals, spending.

Every function adds entries and moves the pupil's account in one transaction, so
the account always equals the sum of the entries.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gamification.badges import badges_evaluate
from gamification.events import points_event_send
from gamification.models import EntryKind, PointsAccount, PointsEntry
from gamification.progress import city_today, streak_record_activity
from school.models import User


def _account_ensure(pupil_id: int) -> None:
    # Two first awards may race to create the row: the loser's insert is ignored.
    PointsAccount.objects.bulk_create(
        [PointsAccount(pupil_id=pupil_id)], ignore_conflicts=True
    )


def _account_move(*, pupil_id: int, amount: int, xp: int) -> None:
    _account_ensure(pupil_id)
    PointsAccount.objects.filter(pupil_id=pupil_id).update(
        balance=F("balance") + amount, xp=F("xp") + xp, entries=F("entries") + 1
    )


def _entry_add(**fields) -> PointsEntry | None:
    """The new entry, or None when this pupil already has one with this source."""
    try:
        # A savepoint: a duplicate rolls back only its own insert. On PostgreSQL a
        # concurrent duplicate waits for the first to commit, then fails here.
        with transaction.atomic():
            return PointsEntry.objects.create(**fields)
    except IntegrityError:
        return None


@transaction.atomic
def points_award(
    *,
    pupil: User,
    source_key: str,
    kind: EntryKind,
    amount: int,
    reason: str = "",
    class_group=None,
    subject=None,
    skill=None,
    awarded_by: User | None = None,
) -> PointsEntry | None:
    """Awards `amount` points (and as much XP) for the event `source_key`.

    Returns the new entry, or None if the event was already awarded to this pupil.
    """
    if amount <= 0:
        raise ValidationError(_("An award must be worth at least one point."))
    entry = _entry_add(
        pupil=pupil,
        source_key=source_key,
        kind=kind,
        amount=amount,
        xp=amount,
        reason=reason,
        class_group=class_group,
        subject=subject,
        skill=skill,
        awarded_by=awarded_by,
    )
    if entry is not None:
        _account_move(pupil_id=pupil.pk, amount=amount, xp=amount)
        _after_award(entry=entry, pupil=pupil)
    return entry


def _after_award(*, entry: PointsEntry, pupil: User) -> None:
    # In the award's transaction: the streak day and the badges commit with it.
    streak_record_activity(pupil=pupil, day=city_today())
    new_badges = badges_evaluate(pupil=pupil)
    account = PointsAccount.objects.get(pupil_id=pupil.pk)
    # Live event call site: the pupil's pages and the family feed, after commit.
    points_event_send(entry=entry, account=account, new_badges=new_badges)


@transaction.atomic
def points_reverse(*, entry: PointsEntry, by: User, reason: str = "") -> PointsEntry:
    """Undoes an award with an opposite entry; the award itself stays in the ledger.

    ValidationError for an entry that is not an award or was reversed already.
    """
    if entry.kind in (EntryKind.REVERSAL, EntryKind.REWARD):
        raise ValidationError(_("Only awards can be reversed."))
    reversal = _entry_add(
        pupil_id=entry.pupil_id,
        source_key=f"reversal:{entry.pk}",
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        xp=-entry.xp,
        reason=reason,
        class_group_id=entry.class_group_id,
        subject_id=entry.subject_id,
        awarded_by=by,
        reverses=entry,
    )
    if reversal is None:
        raise ValidationError(_("These points were already reversed."))
    _account_move(pupil_id=entry.pupil_id, amount=reversal.amount, xp=reversal.xp)
    return reversal


@transaction.atomic
def points_spend(
    *, pupil: User, source_key: str, amount: int, reason: str
) -> PointsEntry | None:
    """Takes `amount` spendable points (XP stays); None if `source_key` was spent
    already. ValidationError when the balance is too low: never overdrawn, also
    with two purchases at once (the account row is locked)."""
    _account_ensure(pupil.pk)
    account = PointsAccount.objects.select_for_update().get(pupil_id=pupil.pk)
    if account.balance < amount:
        raise ValidationError(_("Not enough points."))
    entry = _entry_add(
        pupil=pupil,
        source_key=source_key,
        kind=EntryKind.REWARD,
        amount=-amount,
        xp=0,
        reason=reason,
    )
    if entry is not None:
        _account_move(pupil_id=pupil.pk, amount=-amount, xp=0)
    return entry
