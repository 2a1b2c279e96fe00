"""Gamification: the points ledger and what is derived from it."""

from gamification.models.ledger import EntryKind, PointsAccount, PointsEntry, Skill
from gamification.models.progress import Streak

__all__ = ["EntryKind", "PointsAccount", "PointsEntry", "Skill", "Streak"]
