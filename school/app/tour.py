"""The first-day tour of the home page: a few steps per role, each pointing at a
section of the menu (or, on a phone, at the Menu button) and saying what it is
for. driver.js shows them (school/static/school/tour.js)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from school.models import Role

# (role, url name of the menu entry, title, text)
STEPS = (
    (
        Role.PUPIL,
        "diary:home",
        _("Your diary"),
        _("Lessons, marks and homework of the week, as they happen."),
    ),
    (
        Role.PUPIL,
        "homework_index",
        _("Homework"),
        _("Hand in answers here, with a photo from your phone."),
    ),
    (
        Role.PUPIL,
        "gamification:quiz_join",
        pgettext_lazy("menu", "Quiz"),
        _("Join the class quiz with the code your teacher shows."),
    ),
    (
        Role.PARENT,
        "diary:home",
        _("Your children's diary"),
        _("Marks, absences and homework of each child."),
    ),
    (
        Role.PARENT,
        "push_settings",
        _("Notifications"),
        _("Get new marks and absences on your phone."),
    ),
    (
        Role.PARENT,
        "attendance:notices",
        _("Absence notices"),
        _("Tell the school in advance when a child will miss lessons."),
    ),
    (
        Role.TEACHER,
        "timetable:index",
        _("Your lessons"),
        _("Open a lesson to plan it or start it live on the board."),
    ),
    (
        Role.TEACHER,
        "gradebook:index",
        _("Gradebook"),
        _("Marks and attendance by class and subject."),
    ),
    (
        Role.TEACHER,
        "lessons:library",
        _("Lesson library"),
        _("The city's lessons, ready to attach to yours."),
    ),
    (
        Role.SCHOOL_ADMIN,
        "roster_upload",
        _("Rosters"),
        _("Load the school's pupils, staff and classes."),
    ),
    (
        Role.METHODOLOGIST,
        "lessons:library",
        _("Lesson library"),
        _("Write and review the city's lessons."),
    ),
)
HELP = (_("Help"), _("How to do each of these, in plain words. Have a good first day!"))


def tour_for(user) -> list[dict]:
    """The steps for the person's roles, then the help page; empty once done."""
    if user.tour_done_at is not None:
        return []
    roles = user.role_set
    steps, seen = [], set()
    for role, name, title, text in STEPS:
        if role in roles and name not in seen:
            seen.add(name)
            steps.append(
                {"href": reverse(name), "title": str(title), "text": str(text)}
            )
    if not steps:
        return []
    steps.append({"href": reverse("help"), "title": str(HELP[0]), "text": str(HELP[1])})
    return steps
