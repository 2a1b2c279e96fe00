"""Live events of the points ledger, sent only after the transaction commits.

One award reaches three audiences, each over a group its pages already listen on:

- `user.<pupil>`: every page the pupil has open (school's NotificationConsumer),
  shown as a toast;
- `family.<pupil>`: the diary pages of the pupil and their parents, as a diary
  event of kind "points" (school's DiaryConsumer relays `family.event` only);
- `class_points.<class>`: the live console of each class the pupil is in
  (gamification.consumers.ClassPointsConsumer, teachers of the class only).
"""

from gamification.models import EntryKind, PointsAccount, PointsEntry
from gamification.progress import level_for
from school.models import Enrolment
from school.services import broadcast_after_commit, family_event_send, user_group_name

EVENT_TYPE = "points.awarded"
FAMILY_KIND = "points"


def class_points_group_name(class_id: int) -> str:
    return f"class_points.{class_id}"


def _badge_name(item) -> str:
    # The ledger passes BadgeAward rows; a Badge or a plain name also works.
    badge = getattr(item, "badge", item)
    return str(getattr(badge, "name", badge))


def points_payload(
    *, entry: PointsEntry, account: PointsAccount, new_badges: list
) -> dict:
    """What every audience gets: JSON-ready, with the pupil's first name (for
    the family's "Petya earned points") and short name (for the class console's
    list), and whether the level went up."""
    level = level_for(account.xp)
    pupil = entry.pupil
    return {
        "type": EVENT_TYPE,
        "entry": entry.pk,
        "pupil": entry.pupil_id,
        "name": pupil.first_name or str(pupil),
        "short_name": pupil.short_name,
        "amount": entry.amount,
        "balance": account.balance,
        "xp": account.xp,
        "level": level.number,
        "level_up": level_for(account.xp - entry.xp).number < level.number,
        "kind": entry.kind,
        # The label in the language of whoever caused the award (usually the
        # pupil); `reason` is the entry's own text (a game's title, a skill).
        "kind_label": str(EntryKind(entry.kind).label),
        "reason": entry.reason,
        "badges": [_badge_name(item) for item in new_badges],
    }


def _class_ids(entry: PointsEntry) -> set[int]:
    current = Enrolment.objects.current().filter(pupil_id=entry.pupil_id)
    ids = set(current.values_list("class_group_id", flat=True))
    if entry.class_group_id is not None:
        ids.add(entry.class_group_id)
    return ids


def points_event_send(
    *, entry: PointsEntry, account: PointsAccount, new_badges: list
) -> None:
    """Announces an award to the pupil, their family and their classes' live
    consoles once the surrounding transaction commits; nothing if it rolls back.

    `account` is the pupil's account as it stands after the award; `new_badges`
    the BadgeAward rows (or badge names) the award earned. One query (the
    pupil's classes); the sending itself happens after commit.
    """
    payload = points_payload(entry=entry, account=account, new_badges=new_badges)
    broadcast_after_commit(user_group_name(entry.pupil_id), payload)
    family_event_send(pupil_id=entry.pupil_id, kind=FAMILY_KIND, data=payload)
    for class_id in sorted(_class_ids(entry)):
        broadcast_after_commit(class_points_group_name(class_id), payload)
