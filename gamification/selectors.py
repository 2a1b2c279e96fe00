"""Reads of gamification, shaped once (select_related decided here)."""

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from gamification.models import (
    BadgeAward,
    PointsAccount,
    PointsEntry,
    PupilGamificationSettings,
    PurchaseStatus,
    Reward,
    RewardPurchase,
    Skill,
)
from school.models import ClassGroup, Enrolment, School, User

# --- Badges


def badges_of(pupil: User, *, include_revoked: bool = False) -> QuerySet[BadgeAward]:
    """The pupil's badge awards, newest first, with badge and issuing school
    loaded (one query). Link each to `gamification:badge_award` (public_id) for
    its downloads; the art is at `gamification:badge_art` (badge_id)."""
    awards = BadgeAward.objects.filter(pupil=pupil).select_related("badge", "school")
    if not include_revoked:
        awards = awards.filter(revoked_at__isnull=True)
    return awards.defer("badge__art").order_by("-awarded_at", "-pk")


# --- Points in a class, a pupil's progress, rewards


def class_pupils(class_group: ClassGroup) -> QuerySet[User]:
    """The class's pupils enrolled today, each with `balance` and `xp` (0 without
    an account), by name. One query."""
    return (
        User.objects.filter(
            pk__in=Enrolment.objects.current()
            .filter(class_group=class_group)
            .values("pupil_id")
        )
        .annotate(
            balance=Coalesce(F("points_account__balance"), Value(0)),
            xp=Coalesce(F("points_account__xp"), Value(0)),
        )
        .order_by("last_name", "first_name", "pk")
    )


def class_skills(class_group: ClassGroup) -> QuerySet[Skill]:
    """Skills the class's teachers award: the class's own and its school's."""
    return Skill.objects.filter(
        Q(class_group=class_group) | Q(class_group__isnull=True),
        school_id=class_group.school_id,
        archived=False,
    ).order_by("name", "pk")


def _with_reversal(entries: QuerySet[PointsEntry]) -> QuerySet[PointsEntry]:
    reversal = PointsEntry.objects.filter(reverses_id=OuterRef("pk"))
    return entries.annotate(is_reversed=Exists(reversal))


def class_recent_entries(class_group: ClassGroup, *, limit: int = 30) -> list:
    """The newest entries earned in the class, pupil and skill loaded, each with
    `is_reversed`. One query."""
    entries = PointsEntry.objects.filter(class_group=class_group).select_related(
        "pupil", "skill"
    )
    return list(_with_reversal(entries).order_by("-created_at", "-pk")[:limit])


def pupil_recent_entries(pupil: User, *, limit: int = 20) -> list:
    entries = PointsEntry.objects.filter(pupil=pupil).select_related("skill")
    return list(_with_reversal(entries).order_by("-created_at", "-pk")[:limit])


def pupil_account(pupil: User) -> PointsAccount:
    """The pupil's account, or an unsaved empty one (no points yet)."""
    account = PointsAccount.objects.filter(pupil=pupil).first()
    return account or PointsAccount(pupil=pupil)


def pupil_name_choices(pupil: User) -> dict[str, bool]:
    """The pupil's leaderboard choices, as the privacy form shows them."""
    prefs = PupilGamificationSettings.objects.filter(pupil=pupil).first()
    return {
        "hide_name": bool(prefs and prefs.hide_name),
        "show_name_in_school": bool(prefs and prefs.show_name_in_school),
    }


def rewards_for_pupil(pupil: User) -> QuerySet[Reward]:
    """On-sale rewards of the schools the pupil is enrolled in today."""
    schools = (
        Enrolment.objects.current().filter(pupil=pupil).values("class_group__school_id")
    )
    return Reward.objects.filter(school_id__in=schools, active=True).order_by(
        "price", "name", "pk"
    )


def purchases_of(pupil: User, *, limit: int = 30) -> list[RewardPurchase]:
    purchases = RewardPurchase.objects.filter(pupil=pupil).select_related("reward")
    return list(purchases.order_by("-created_at", "-pk")[:limit])


def pending_privileges_in_class(class_group: ClassGroup) -> QuerySet[RewardPurchase]:
    """Privileges bought by the class's pupils in its school, not handed out yet."""
    pupils = Enrolment.objects.current().filter(class_group=class_group)
    return (
        RewardPurchase.objects.filter(
            pupil_id__in=pupils.values("pupil_id"),
            reward__school_id=class_group.school_id,
            status=PurchaseStatus.PENDING,
        )
        .select_related("reward", "pupil")
        .order_by("created_at", "pk")
    )


def rewards_of_schools(schools: QuerySet[School]) -> QuerySet[Reward]:
    return (
        Reward.objects.filter(school__in=schools)
        .select_related("school")
        .order_by("school__name", "-active", "price", "name")
    )


def pending_privileges_of_schools(
    schools: QuerySet[School],
) -> QuerySet[RewardPurchase]:
    return (
        RewardPurchase.objects.filter(
            reward__school__in=schools, status=PurchaseStatus.PENDING
        )
        .select_related("reward", "pupil")
        .order_by("created_at", "pk")
    )
