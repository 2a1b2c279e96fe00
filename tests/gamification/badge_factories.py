"""Badges for the badge tests: made through the service, as the admin makes them."""

from gamification.badges import badge_save
from gamification.ledger import points_award
from gamification.models import Badge, BadgeAward, EntryKind


def make_badge(*, school=None, criterion="points", threshold=10, by=None, **fields):
    badge = Badge(
        school=school,
        name=fields.pop("name", f"Badge {criterion} {threshold}"),
        criterion=criterion,
        threshold=threshold,
        **fields,
    )
    return badge_save(badge=badge, by=by)


def make_award(city, *, pupil=None, by=None, key="teacher:first") -> BadgeAward:
    """A one-point badge of the first school (made by Alice), earned by Petya
    through a real award."""
    pupil = pupil or city.pupil_in
    badge = make_badge(
        school=city.school_one, threshold=1, by=by or city.teacher, name="Звезда"
    )
    points_award(pupil=pupil, source_key=key, kind=EntryKind.TEACHER, amount=1)
    return BadgeAward.objects.select_related("badge", "school").get(
        badge=badge, pupil=pupil
    )
