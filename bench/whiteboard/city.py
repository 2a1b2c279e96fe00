"""The whiteboard benchmark's people and boards, and a signed-in session for each.

One school; a class per room, each with today's lesson and its board. The fan-out
rooms are classes of about 30: their teacher draws, their pupils watch. The join
room is the same shape; the convergence room's class has as many teachers as
editors (teachers of a class all draw on its boards). Every socket of the
benchmark belongs to a different person and is authenticated and authorised as a
browser's would be: a session row made with the session engine, sent as a cookie.
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from bench.whiteboard.sizes import Sizes
from school.models import (
    AcademicYear,
    ClassGroup,
    Enrolment,
    Lesson,
    LessonSlot,
    Role,
    School,
    Subject,
    TeachingAssignment,
    Term,
    User,
)
from school.services import user_roles_set_many
from whiteboard.services import board_create

BACKEND = "school.backends.LocalPasswordBackend"


class _School:
    """Creates the classes of one school, each with today's lesson and board."""

    def __init__(self, tag: str) -> None:
        today = timezone.localdate()
        self.today, self.tag = today, tag
        self.school = School.objects.create(
            external_id=f"bench-whiteboard-{tag}",
            name=f"Whiteboard bench {tag}",
            short_name=tag[:64],
        )
        self.year = AcademicYear.objects.create(
            school=self.school,
            name="bench",
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=300),
        )
        self.term = Term.objects.create(
            academic_year=self.year,
            name="bench",
            starts_on=self.year.starts_on,
            ends_on=self.year.ends_on,
        )
        self.subject = Subject.objects.create(
            code=f"bench-whiteboard-{tag}", name="Bench"
        )
        self.slot = LessonSlot.objects.create(
            school=self.school,
            number=1,
            starts_at=datetime.time(9),
            ends_at=datetime.time(9, 45),
        )
        self.classes = 0
        self.users = 0

    def people(self, role: str, count: int) -> list[User]:
        unusable = make_password(None)
        made = User.objects.bulk_create(
            User(
                username=f"wb-{self.tag}-{role}-{self.users + i}",
                first_name=role,
                last_name=str(self.users + i),
                password=unusable,
            )
            for i in range(count)
        )
        self.users += count
        user_roles_set_many(roles_by_user={user.pk: {role} for user in made})
        self.school.members.add(*made)
        return made

    def board(self, teachers: list[User], pupils: list[User]) -> int:
        """A class of these people and the board of its lesson today; its id."""
        self.classes += 1
        group = ClassGroup.objects.create(
            school=self.school,
            academic_year=self.year,
            grade=1 + self.classes % 11,
            letter=f"B{self.classes}",
        )
        TeachingAssignment.objects.bulk_create(
            TeachingAssignment(teacher=t, class_group=group, subject=self.subject)
            for t in teachers
        )
        Enrolment.objects.bulk_create(
            Enrolment(pupil=p, class_group=group, starts_on=self.year.starts_on)
            for p in pupils
        )
        lesson = Lesson.objects.create(
            class_group=group,
            subject=self.subject,
            term=self.term,
            teacher=teachers[0],
            date=self.today,
            slot=self.slot,
        )
        return board_create(created_by=teachers[0], lesson=lesson, title="bench").pk


def _session(user: User) -> str:
    """A signed-in session of `user`, as django.contrib.auth.login leaves it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


@transaction.atomic
def city_build(sizes: Sizes, tag: str) -> dict:
    """Builds a school of rooms named by `tag`; returns each scenario's rooms with
    the members' cookies. Each server gets its own: ours keeps what was drawn.

    {"converge": {"room", "cookies"}, "join": {"room", "drawer", "members",
    "joiner"}, "fanout": {"rooms": [{"room", "drawer", "receivers"}]}}; a room is
    a board id as text, a cookie a `Cookie` header value.
    """
    school = _School(tag)
    editors = school.people(Role.TEACHER, sizes.editors)
    converge = {
        "room": str(school.board(editors, [])),
        "cookies": [_session(u) for u in editors],
    }
    teacher = school.people(Role.TEACHER, 1)
    pupils = school.people(Role.PUPIL, sizes.join_room)  # the last one joins
    join = {
        "room": str(school.board(teacher, pupils)),
        "drawer": _session(teacher[0]),
        "members": [_session(u) for u in pupils[:-1]],
        "joiner": _session(pupils[-1]),
    }
    rooms = []
    for index in range(sizes.rooms):
        size = sizes.sockets // sizes.rooms + (index < sizes.sockets % sizes.rooms)
        teacher = school.people(Role.TEACHER, 1)
        pupils = school.people(Role.PUPIL, size - 1)
        rooms.append(
            {
                "room": str(school.board(teacher, pupils)),
                "drawer": _session(teacher[0]),
                "receivers": [_session(u) for u in pupils],
            }
        )
    return {"converge": converge, "join": join, "fanout": {"rooms": rooms}}
