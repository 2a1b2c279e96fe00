"""Gamification: the points ledger and what is derived from it."""

from gamification.models.badges import (
    Badge,
    BadgeAward,
    BadgeCriterion,
    BadgeIssuerKey,
    BadgeShape,
)
from gamification.models.ledger import EntryKind, PointsAccount, PointsEntry, Skill
from gamification.models.progress import Streak
from gamification.models.quiz import GameStatus, QuizAnswer, QuizGame, QuizPlayer
from gamification.models.rewards import (
    PurchaseStatus,
    Reward,
    RewardKind,
    RewardPurchase,
)
from gamification.models.teams import PupilGamificationSettings, Team, TeamMembership

__all__ = [
    "Badge",
    "BadgeAward",
    "BadgeCriterion",
    "BadgeIssuerKey",
    "BadgeShape",
    "EntryKind",
    "GameStatus",
    "PointsAccount",
    "PointsEntry",
    "PupilGamificationSettings",
    "PurchaseStatus",
    "QuizAnswer",
    "QuizGame",
    "QuizPlayer",
    "Reward",
    "RewardKind",
    "RewardPurchase",
    "Skill",
    "Streak",
    "Team",
    "TeamMembership",
]
