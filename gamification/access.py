"""Who may do what in gamification. Built on school.access, the one policy."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from gamification.models import (
    Badge,
    BadgeAward,
    PointsEntry,
    QuizGame,
    QuizPlayer,
    Reward,
    RewardPurchase,
    Skill,
)
from school.access import (
    administered_schools,
    can_manage_school,
    is_guardian,
    is_guardian_in_class,
    is_platform_admin,
    is_pupil_of_class,
    is_signed_in,
    teaches_class,
)
from school.models import ClassGroup, Enrolment, Role, School, User

# --- Live quiz games


def can_host_quiz(user: User, class_group: ClassGroup | None) -> bool:
    """A teacher; for a class's game, a teacher of that class."""
    if not is_signed_in(user) or not user.has_role(Role.TEACHER):
        return False
    return class_group is None or teaches_class(user, class_group)


def can_join_quiz(user: User, game: QuizGame) -> bool:
    """A signed-in pupil; for a class's game, a pupil of that class."""
    if game.class_group_id is None:
        return is_signed_in(user) and user.has_role(Role.PUPIL)
    return is_pupil_of_class(user, game.class_group)


def get_quiz_for_host(user: User, game_id: int) -> QuizGame:
    """The game `user` hosts; Http404 for any other (no hint that it exists)."""
    game = QuizGame.objects.filter(pk=game_id, host=user).first()
    if game is None or not is_signed_in(user):
        raise Http404
    return game


def get_quiz_for_player(user: User, game_id: int) -> tuple[QuizGame, QuizPlayer]:
    """The game and `user`'s player row in it. PermissionDenied for anyone who has
    not joined it, or may no longer play (left the class)."""
    player = (
        QuizPlayer.objects.select_related("game", "game__class_group")
        .filter(game_id=game_id, user=user)
        .first()
    )
    if player is None or not can_join_quiz(user, player.game):
        raise PermissionDenied
    return player.game, player


# --- Badges


def can_edit_badges(user: User) -> bool:
    """Teachers and school administrators define badges for their schools."""
    if not is_signed_in(user):
        return False
    return is_platform_admin(user) or any(
        map(user.has_role, (Role.TEACHER, Role.SCHOOL_ADMIN))
    )


def badge_schools_for(user: User) -> QuerySet[School]:
    """Schools whose badges `user` may create: a school administrator's schools,
    a teacher's schools, every school for a platform administrator."""
    if not can_edit_badges(user):
        return School.objects.none()
    if is_platform_admin(user):
        return School.objects.all()
    schools = administered_schools(user)
    if user.has_role(Role.TEACHER):
        schools = schools | user.schools.all()
    return schools.distinct()


def can_change_badge(user: User, badge: Badge) -> bool:
    """Its school's administrators and the teacher who made it (while teaching
    in that school); city badges only platform administrators."""
    if not can_edit_badges(user):
        return False
    if is_platform_admin(user):
        return True
    if badge.school_id is None:
        return False
    if can_manage_school(user, badge.school):
        return True
    return (
        user.has_role(Role.TEACHER)
        and badge.created_by_id == user.pk
        and user.schools.filter(pk=badge.school_id).exists()
    )


def badges_changeable_by(user: User) -> QuerySet[Badge]:
    if not can_edit_badges(user):
        return Badge.objects.none()
    if is_platform_admin(user):
        return Badge.objects.all()
    own = Badge.objects.none()
    if user.has_role(Role.TEACHER):
        own = Badge.objects.filter(created_by=user, school__in=user.schools.all())
    return (
        Badge.objects.filter(school__in=administered_schools(user)) | own
    ).distinct()


def can_revoke_award(user: User, award: BadgeAward) -> bool:
    """The issuing school's administrators and whoever may change the badge."""
    if not is_signed_in(user):
        return False
    return can_manage_school(user, award.school) or can_change_badge(user, award.badge)


def awards_revocable_by(user: User) -> QuerySet[BadgeAward]:
    """Awards `user` may revoke: of their administered schools, or of badges
    they may change."""
    if not is_signed_in(user):
        return BadgeAward.objects.none()
    return BadgeAward.objects.filter(
        Q(school__in=administered_schools(user))
        | Q(badge__in=badges_changeable_by(user))
    )


def can_hold_credential(user: User, award: BadgeAward) -> bool:
    """The pupil and their parents download the credential; nobody else (it
    is theirs to share)."""
    if not is_signed_in(user):
        return False
    return user.pk == award.pupil_id or is_guardian(user, award.pupil)


def _award(public_id) -> BadgeAward | None:
    return (
        BadgeAward.objects.select_related("badge__subject", "pupil", "school")
        .filter(public_id=public_id)
        .first()
    )


def get_award_for_holder(user: User, public_id) -> BadgeAward:
    """The award for its pupil or their parent; Http404 for anyone else."""
    award = _award(public_id)
    if award is None or not can_hold_credential(user, award):
        raise Http404("No such badge.")
    return award


def get_award_for_revoker(user: User, public_id) -> BadgeAward:
    """The award for someone who may revoke it; Http404 for anyone else."""
    award = _award(public_id)
    if award is None or not can_revoke_award(user, award):
        raise Http404("No such badge.")
    return award


# --- Live points


def can_watch_class_points(user: User, class_id: int) -> bool:
    """The class's teachers hear its pupils' awards live (on the lesson console)."""
    class_group = ClassGroup.objects.filter(pk=class_id).first()
    return class_group is not None and teaches_class(user, class_group)


# --- Teachers' awards in a class, rewards, leaderboards, progress pages


def get_class_for_points_teacher(user: User, class_id: int) -> ClassGroup:
    """The class for one of its teachers (assignment or homeroom); Http404 for
    anyone else, so a wrong person cannot learn that the class exists."""
    class_group = (
        ClassGroup.objects.select_related("school").filter(pk=class_id).first()
    )
    if class_group is None or not teaches_class(user, class_group):
        raise Http404("No such class.")
    return class_group


def get_skill_for_class(class_group: ClassGroup, skill_id) -> Skill:
    """A skill the class may award: its own or its school's, not archived."""
    skill = (
        Skill.objects.filter(pk=skill_id, school_id=class_group.school_id)
        .filter(Q(class_group=class_group) | Q(class_group__isnull=True))
        .filter(archived=False)
        .first()
    )
    if skill is None:
        raise Http404("No such skill.")
    return skill


def get_class_entry(class_group: ClassGroup, entry_id) -> PointsEntry:
    """An entry earned in this class (a teacher reverses only their class's)."""
    entry = PointsEntry.objects.filter(pk=entry_id, class_group=class_group).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def school_ids_of_pupil(pupil: User) -> QuerySet:
    """Schools the pupil is enrolled in today (their rewards catalogue)."""
    return (
        Enrolment.objects.current().filter(pupil=pupil).values("class_group__school_id")
    )


def can_buy_rewards(user: User) -> bool:
    return is_signed_in(user) and user.has_role(Role.PUPIL)


def can_give_purchase(user: User, purchase: RewardPurchase) -> bool:
    """The school's administrators and the teachers of the pupil's current class
    in that school hand out privileges."""
    school = purchase.reward.school
    if can_manage_school(user, school):
        return True
    if not is_signed_in(user) or not user.has_role(Role.TEACHER):
        return False
    return (
        Enrolment.objects.current()
        .filter(pupil_id=purchase.pupil_id, class_group__school=school)
        .filter(
            Q(class_group__homeroom_teacher=user)
            | Q(class_group__teaching_assignments__teacher=user)
        )
        .exists()
    )


def get_purchase_for_giver(user: User, purchase_id: int) -> RewardPurchase:
    purchase = (
        RewardPurchase.objects.select_related("reward__school")
        .filter(pk=purchase_id)
        .first()
    )
    if purchase is None or not can_give_purchase(user, purchase):
        raise Http404("No such purchase.")
    return purchase


def get_reward_for_manager(user: User, reward_id: int) -> Reward:
    reward = (
        Reward.objects.filter(pk=reward_id, school__in=administered_schools(user))
        .select_related("school")
        .first()
    )
    if reward is None:
        raise Http404("No such reward.")
    return reward


def get_child_for_parent(user: User, pupil_id: int) -> User:
    """The parent's own child; Http404 for another family's (and for anyone who
    is not a parent: teachers use the class page)."""
    pupil = User.objects.filter(pk=pupil_id, is_active=True).first()
    if pupil is None or not pupil.has_role(Role.PUPIL) or not is_guardian(user, pupil):
        raise Http404("No such pupil.")
    return pupil


class BoardView:
    """How someone sees a leaderboard: MEMBER sees every name not hidden;
    PARENT sees only their own children's names, the others anonymous."""

    MEMBER = "member"
    PARENT = "parent"


def class_board_view(user: User, class_group: ClassGroup) -> str | None:
    """Inside the class only: its pupils and teachers; its pupils' parents see
    their child's place. None for anyone else."""
    if is_pupil_of_class(user, class_group) or teaches_class(user, class_group):
        return BoardView.MEMBER
    if is_guardian_in_class(user, class_group):
        return BoardView.PARENT
    return None


def school_board_view(user: User, school: School) -> str | None:
    """The school's pupils (enrolled today) and teachers; its pupils' parents."""
    if not is_signed_in(user):
        return None
    enrolled = Enrolment.objects.current().filter(class_group__school=school)
    if user.has_role(Role.PUPIL) and enrolled.filter(pupil=user).exists():
        return BoardView.MEMBER
    teaching = user.has_role(Role.TEACHER) and (
        ClassGroup.objects.filter(school=school)
        .filter(Q(homeroom_teacher=user) | Q(teaching_assignments__teacher=user))
        .exists()
    )
    if teaching:
        return BoardView.MEMBER
    if (
        user.has_role(Role.PARENT)
        and enrolled.filter(pupil__guardians__parent=user).exists()
    ):
        return BoardView.PARENT
    return None


def get_class_for_board(user: User, class_id: int) -> tuple[ClassGroup, str]:
    class_group = (
        ClassGroup.objects.select_related("school").filter(pk=class_id).first()
    )
    view = class_group and class_board_view(user, class_group)
    if not view:
        raise Http404("No such class.")
    return class_group, view


def get_school_for_board(user: User, school_id: int) -> tuple[School, str]:
    school = School.objects.filter(pk=school_id).first()
    view = school and school_board_view(user, school)
    if not view:
        raise Http404("No such school.")
    return school, view
