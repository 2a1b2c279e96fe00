"""The points feed: a pupil's latest ledger entries, as the diary shows them."""

from django.db.models import QuerySet

from gamification.models import PointsEntry
from school.models import User

FEED_LENGTH = 5


def points_recent(*, pupil: User, limit: int = FEED_LENGTH) -> QuerySet[PointsEntry]:
    """The pupil's latest entries, newest first: one query, no joins. The caller
    has already checked that the viewer may see this pupil (the diary's rule)."""
    return (
        PointsEntry.objects.filter(pupil=pupil)
        .only("pk", "kind", "amount", "reason", "created_at")
        .order_by("-created_at", "-pk")[:limit]
    )
