"""The demo's points, badges and rewards that `seed_demo` loads.

The city is loaded once for the module through the command, as `make run` does
(fixture shared with tests/school/test_seed_demo.py); each test runs in a
savepoint of that load.
"""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from PIL import Image

from gamification.demo import SHOWCASE_POINTS, demo_gamification_seed
from gamification.leaderboards import class_board, period_for, team_board
from gamification.ledger import points_award
from gamification.models import (
    Badge,
    BadgeAward,
    EntryKind,
    PointsAccount,
    PointsEntry,
    Reward,
    Skill,
    Team,
)
from school.demo_plan import demo_city_plan, demo_logins
from school.models import ClassGroup, Enrolment, School, User
from tests.school.test_seed_demo import accounts_file  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(accounts_file):  # noqa: F811
    return accounts_file


def showcased(label: str) -> User:
    return User.objects.get(username=dict(demo_logins(demo_city_plan()))[label])


def test_the_city_has_a_badge_for_every_criterion_with_its_art(seeded):
    badges = Badge.objects.filter(school=None, active=True)
    assert set(badges.values_list("criterion", flat=True)) == {
        "points",
        "activities",
        "streak",
        "quiz_wins",
        "mastery",
    }
    for badge in badges:
        art = Image.open(io.BytesIO(badge.art))
        assert (art.format, art.size) == ("PNG", (512, 512))


def test_every_school_sells_stickers_and_privileges(seeded):
    for school in School.objects.all():
        kinds = set(
            Reward.objects.filter(school=school, active=True).values_list(
                "kind", flat=True
            )
        )
        assert kinds == {"sticker", "privilege"}


def test_every_class_has_skills_to_award(seeded):
    for class_group in ClassGroup.objects.all():
        assert Skill.objects.filter(class_group=class_group, archived=False).count()


def test_the_showcased_class_has_teams_and_a_leaderboard(seeded):
    pupil = showcased("pupil")
    class_group = Enrolment.objects.current().get(pupil=pupil).class_group
    assert Team.objects.filter(class_group=class_group).count() == 2
    week = period_for("week", school=class_group.school)
    board = class_board(class_group, week)
    pupils = Enrolment.objects.current().filter(class_group=class_group)
    assert len(board) == pupils.count()
    assert board[0].score > SHOWCASE_POINTS
    assert all(row.score > 0 for row in team_board(class_group, week))


def test_the_showcased_pupil_is_one_quiz_away_from_the_first_badge(seeded):
    pupil = showcased("pupil")
    account = PointsAccount.objects.get(pupil=pupil)
    assert account.balance == SHOWCASE_POINTS
    assert not BadgeAward.objects.filter(pupil=pupil).exists()
    points_award(
        pupil=pupil, source_key="quiz:demo:0:1", kind=EntryKind.QUIZ_GAME, amount=2
    )
    assert list(
        BadgeAward.objects.filter(pupil=pupil).values_list("badge__name", flat=True)
    ) == ["Первые 10 звёзд"]


def test_the_ledger_matches_the_accounts(seeded):
    for account in PointsAccount.objects.all():
        total = PointsEntry.objects.filter(pupil=account.pupil_id).aggregate(
            total=Sum("amount")
        )["total"]
        assert account.balance == total


def test_a_second_run_writes_nothing(seeded):
    pupil = showcased("pupil")
    entries = PointsEntry.objects.count()
    written = demo_gamification_seed(
        today=timezone.localdate(),
        showcase_pupil=pupil.username,
    )
    assert written == 0
    assert PointsEntry.objects.count() == entries
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert " 0 rows written" in out.getvalue()
