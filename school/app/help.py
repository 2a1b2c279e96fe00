"""The help page's topics, and which roles each is for; each topic's steps, in
plain words, are in templates/school/app/help/<slug>.html."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from school.models import Role


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    roles: frozenset

    @property
    def template(self) -> str:
        return f"school/app/help/{self.slug}.html"


TOPICS = (
    Topic("diary", _("Reading the diary"), frozenset({Role.PUPIL, Role.PARENT})),
    Topic(
        "homework-phone", _("Handing in homework from a phone"), frozenset({Role.PUPIL})
    ),
    Topic(
        "notifications",
        _("Getting news on the phone"),
        frozenset({Role.PUPIL, Role.PARENT}),
    ),
    Topic("live-lesson", _("Running a live lesson"), frozenset({Role.TEACHER})),
    Topic(
        "gradebook",
        _("Reading and filling the gradebook"),
        frozenset({Role.TEACHER, Role.SCHOOL_ADMIN}),
    ),
    Topic("rosters", _("Loading the school's people"), frozenset({Role.SCHOOL_ADMIN})),
)


def topics_for(user) -> list[Topic]:
    """The topics of the person's roles, or all of them for someone not signed in
    (or without a role yet)."""
    if not user.is_authenticated:
        return list(TOPICS)
    roles = set(user.role_set)
    mine = [topic for topic in TOPICS if topic.roles & roles]
    return mine or list(TOPICS)
