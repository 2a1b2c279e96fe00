"""Writes of a teacher in a class: skills, awards for them, reversals, teams."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gamification.ledger import points_award, points_reverse
from gamification.models import (
    EntryKind,
    PointsEntry,
    PupilGamificationSettings,
    Skill,
    Team,
    TeamMembership,
)
from school.models import ClassGroup, User

SKILL_POINTS = range(1, 6)


@transaction.atomic
def skill_add(*, class_group: ClassGroup, name: str, points: int) -> Skill:
    """A new skill of the class, worth 1–5 points."""
    if points not in SKILL_POINTS:
        raise ValidationError(_("A skill is worth from 1 to 5 points."))
    return Skill.objects.create(
        school_id=class_group.school_id,
        class_group=class_group,
        name=name.strip(),
        points=points,
    )


@transaction.atomic
def skill_archive(*, skill: Skill) -> Skill:
    """Hides the skill from new awards; awards already made keep pointing at it."""
    skill.archived = True
    skill.save(update_fields=["archived"])
    return skill


@transaction.atomic
def class_award(
    *,
    class_group: ClassGroup,
    pupils: list[User],
    skill: Skill,
    by: User,
    form_id: uuid.UUID,
) -> list[PointsEntry]:
    """Awards the skill's points to each pupil with the source "teacher:<form_id>"
    (unique per pupil, so the same form sent twice awards once). Returns the new
    entries; pupils who already had this form's award are left out."""
    entries = []
    for pupil in pupils:
        entry = points_award(
            pupil=pupil,
            source_key=f"teacher:{form_id}",
            kind=EntryKind.TEACHER,
            amount=skill.points,
            reason=skill.name,
            class_group=class_group,
            skill=skill,
            awarded_by=by,
        )
        if entry is not None:
            entries.append(entry)
    return entries


def class_reverse(*, entry: PointsEntry, by: User) -> PointsEntry:
    """Reverses an award earned in the class (ValidationError as points_reverse)."""
    return points_reverse(entry=entry, by=by, reason=entry.reason)


@transaction.atomic
def team_form(*, class_group: ClassGroup, name: str, pupils: list[User]) -> Team:
    """A new team of the class; its pupils leave the team they were in."""
    team = Team.objects.create(class_group=class_group, name=name.strip())
    TeamMembership.objects.filter(class_group=class_group, pupil__in=pupils).delete()
    TeamMembership.objects.bulk_create(
        TeamMembership(team=team, class_group=class_group, pupil=pupil)
        for pupil in pupils
    )
    return team


@transaction.atomic
def team_delete(*, team: Team) -> None:
    team.delete()


@transaction.atomic
def hide_name_set(
    *, pupil: User, hide: bool, show_in_school: bool = False
) -> PupilGamificationSettings:
    """The pupil's choices: "Hidden" instead of their name on leaderboards, and
    whether the whole school's board may name them (off unless chosen)."""
    prefs, _created = PupilGamificationSettings.objects.update_or_create(
        pupil=pupil,
        defaults={"hide_name": hide, "show_name_in_school": show_in_school},
    )
    return prefs
