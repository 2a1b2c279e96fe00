from django.utils import timezone

from school.models import User


def tour_finish(*, user: User) -> None:
    """The first-day tour is not shown again (on any device)."""
    User.objects.filter(pk=user.pk, tour_done_at__isnull=True).update(
        tour_done_at=timezone.now()
    )
