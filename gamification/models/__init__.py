"""Gamification: the points ledger and what is derived from it."""

from gamification.models.ledger import EntryKind, PointsAccount, PointsEntry, Skill

__all__ = ["EntryKind", "PointsAccount", "PointsEntry", "Skill"]
