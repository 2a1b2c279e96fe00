"""The demo city's points, badges and rewards.

`demo_gamification_seed()` runs after the journal seed. Every school gets a small
rewards catalogue and every class a set of skills to award points for, as a
teacher sets them up in ClassDojo; the city gets badges for each criterion. In
the first class of the first school (the showcased pupil's), the homeroom teacher
forms two teams and has awarded a few skills, so the leaderboards have something
to show, and the showcased pupil stands a few points short of the
first badge: one live quiz game in the demo earns it in front of the class and
the parent's feed.

Rows are found by name and created only when missing; awards carry source keys
derived from the pupil and a counter, so the ledger itself makes a second run
write nothing.
"""

import datetime
import uuid

from django.db import transaction

from gamification.badges import badge_save
from gamification.class_points import class_award, skill_add, team_form
from gamification.models import (
    Badge,
    BadgeCriterion,
    BadgeShape,
    Reward,
    RewardKind,
    Skill,
    Team,
)
from gamification.rewards import reward_save
from school.models import ClassGroup, Enrolment, School, Subject, User

SKILLS = (
    ("Активная работа на уроке", 2),
    ("Помощь однокласснику", 3),
    ("Аккуратная тетрадь", 1),
    ("Вопрос по делу", 1),
)

REWARDS = (
    ("Стикер «Сова-отличница»", "Цифровой стикер для профиля.", 15, RewardKind.STICKER),
    ("Стикер «Ракета»", "Цифровой стикер для профиля.", 25, RewardKind.STICKER),
    (
        "Выбрать место в классе на день",
        "Сядь, где хочешь, на один учебный день.",
        60,
        RewardKind.PRIVILEGE,
    ),
    (
        "Помощник учителя на уроке",
        "Раздать материалы и вести доску вместе с учителем.",
        80,
        RewardKind.PRIVILEGE,
    ),
)

# (name, description, criterion, threshold, colour, shape, subject code)
BADGES = (
    (
        "Первые 10 звёзд",
        "Набери 10 баллов.",
        BadgeCriterion.POINTS_TOTAL,
        10,
        "#F9A825",
        BadgeShape.STAR,
        None,
    ),
    (
        "Полсотни",
        "Набери 50 баллов.",
        BadgeCriterion.POINTS_TOTAL,
        50,
        "#2E7D32",
        BadgeShape.CIRCLE,
        None,
    ),
    (
        "Игрок",
        "Пройди три игры или викторины.",
        BadgeCriterion.ACTIVITIES,
        3,
        "#1565C0",
        BadgeShape.HEXAGON,
        None,
    ),
    (
        "Три дня подряд",
        "Занимайся три дня подряд.",
        BadgeCriterion.STREAK,
        3,
        "#EF6C00",
        BadgeShape.SHIELD,
        None,
    ),
    (
        "Победитель викторины",
        "Займи первое место в викторине.",
        BadgeCriterion.QUIZ_WINS,
        1,
        "#6A1B9A",
        BadgeShape.STAR,
        None,
    ),
    (
        "Знаток математики",
        "Набери 30 баллов по математике.",
        BadgeCriterion.SUBJECT_MASTERY,
        30,
        "#00838F",
        BadgeShape.HEXAGON,
        "mathematics",
    ),
)

TEAMS = ("Совы", "Ракеты")
# The showcased pupil ends this many points short of "Первые 10 звёзд".
SHOWCASE_POINTS = 8
DEMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://demo.city.example/points")


def _badges_ensure() -> int:
    written = 0
    subjects = {subject.code: subject for subject in Subject.objects.all()}
    for name, description, criterion, threshold, colour, shape, code in BADGES:
        if Badge.objects.filter(school=None, name=name).exists():
            continue
        if code is not None and code not in subjects:
            continue
        badge = Badge(
            name=name,
            description=description,
            criterion=criterion,
            threshold=threshold,
            colour=colour,
            shape=shape,
            subject=subjects.get(code),
        )
        badge_save(badge=badge, by=None)
        written += 1
    return written


def _rewards_ensure(school: School) -> int:
    written = 0
    for name, description, price, kind in REWARDS:
        if Reward.objects.filter(school=school, name=name).exists():
            continue
        reward_save(
            reward=Reward(
                school=school,
                name=name,
                description=description,
                price=price,
                kind=kind,
            )
        )
        written += 1
    return written


def _skills_ensure(class_group: ClassGroup) -> tuple[list[Skill], int]:
    """The class's demo skills, and how many of them were created now."""
    skills, created = [], 0
    for name, points in SKILLS:
        skill = Skill.objects.filter(class_group=class_group, name=name).first()
        if skill is None:
            skill = skill_add(class_group=class_group, name=name, points=points)
            created += 1
        skills.append(skill)
    return skills, created


def _teams_ensure(class_group: ClassGroup, pupils: list[User]) -> int:
    if Team.objects.filter(class_group=class_group).exists():
        return 0
    for index, name in enumerate(TEAMS):
        team_form(class_group=class_group, name=name, pupils=pupils[index::2])
    return len(TEAMS)


def _awards_make(
    *,
    class_group: ClassGroup,
    pupils: list[User],
    skills: list[Skill],
    showcase: User,
) -> int:
    """Past skill awards: 6–35 points per pupil, the showcased pupil exactly
    SHOWCASE_POINTS. The n-th award of a pupil has a form id of its own, so a
    rerun finds the ledger's source keys taken and awards nothing."""
    written = 0
    for position, pupil in enumerate(pupils):
        remaining = SHOWCASE_POINTS if pupil == showcase else 6 + position * 7 % 30
        number = 0
        while remaining > 0:
            fitting = [skill for skill in skills if skill.points <= remaining]
            skill = fitting[(position + number) % len(fitting)]
            entries = class_award(
                class_group=class_group,
                pupils=[pupil],
                skill=skill,
                by=class_group.homeroom_teacher,
                form_id=uuid.uuid5(DEMO_NAMESPACE, f"{pupil.pk}:{number}"),
            )
            written += len(entries)
            remaining -= skill.points
            number += 1
    return written


def _class_pupils(class_group: ClassGroup, today: datetime.date) -> list[User]:
    enrolled = Enrolment.objects.current(today).filter(class_group=class_group)
    return list(
        User.objects.filter(pk__in=enrolled.values("pupil_id")).order_by(
            "last_name", "first_name", "pk"
        )
    )


@transaction.atomic
def demo_gamification_seed(
    *, today: datetime.date, showcase_pupil: str | None = None
) -> int:
    """Loads the demo's badges, rewards, skills, teams and past awards; returns
    the number of rows written (0 on a second run)."""
    written = _badges_ensure()
    for school in School.objects.order_by("pk"):
        written += _rewards_ensure(school)
    showcase = User.objects.filter(username=showcase_pupil).first()
    classes = ClassGroup.objects.select_related("homeroom_teacher").order_by("pk")
    for class_group in classes:
        skills, created = _skills_ensure(class_group)
        written += created
        pupils = _class_pupils(class_group, today)
        if showcase not in pupils or class_group.homeroom_teacher is None:
            continue
        written += _teams_ensure(class_group, pupils)
        written += _awards_make(
            class_group=class_group, pupils=pupils, skills=skills, showcase=showcase
        )
    return written
