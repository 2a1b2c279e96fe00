"""The access matrix: every URL pattern of the platform, tried by every persona.

`ROUTES` names each route (by its URL name) and says how the matrix tries it:
`Case` builds the route's arguments from objects of 5А / Петя / school one and
lists the personas who may open it (200); everyone else must get a refusal
(403/404, or the sign-in page for the anonymous), never the page. `Public`
routes are open by design (the reason is given); `Elsewhere` routes need objects
this matrix does not build and are tried persona by persona in the named tests.
A route missing from `ROUTES` fails the suite: a new route must say who may
open it.

Personas: tests/conftest.py `city` (Алиса teaches 5А in school one, Борис 7Б in
school two; Петя is in 5А with his parent Ольга, Вася in 7Б with Игорь;
admin1/admin2 administer schools one/two), plus a methodologist.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from school.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "pupil_in",
    "pupil_out",
    "teacher",
    "other_teacher",
    "parent",
    "other_parent",
    "admin_one",
    "admin_two",
    "methodologist",
)
# Wagtail's admin and page serving have their own permission system (tested in
# tests/lessons/test_moderation.py and test_page_serving.py).
OUTSIDE = ("cms/", "pages/")


@dataclass(frozen=True)
class Case:
    kwargs: Callable[["World"], dict]
    allowed: frozenset[str]
    method: str = "get"


@dataclass(frozen=True)
class Public:
    reason: str


@dataclass(frozen=True)
class Elsewhere:
    tests: str


def case(kwargs=lambda w: {}, *allowed: str, method: str = "get") -> Case:
    return Case(kwargs, frozenset(allowed), method)


@dataclass
class World:
    """The objects the routes are tried on: all of 5А, school one. Those only
    some routes need are made on first use."""

    city: object
    lesson: object = None
    term: object = None
    made: dict = field(default_factory=dict)

    def _once(self, name: str, make):
        if name not in self.made:
            self.made[name] = make()
        return self.made[name]

    def homework(self):
        from school.homework.services import homework_assign

        return self._once(
            "homework",
            lambda: homework_assign(
                teacher=self.city.teacher,
                lesson=self.lesson,
                due_date=self.lesson.date,
                text="Задачи 1–5",
                files=[],
            ),
        )

    def session(self):
        from whiteboard.live import live_session_start

        return self._once(
            "session",
            lambda: live_session_start(teacher=self.city.teacher, lesson=self.lesson),
        )

    def game(self):
        from gamification.quiz.services import quiz_game_create, quiz_join

        def make():
            game = quiz_game_create(
                host=self.city.teacher,
                title="Счёт",
                questions=[
                    {"text": "2+2", "choices": ["3", "4"], "correct": [1]},
                ],
                class_group=self.city.class_in,
            )
            quiz_join(user=self.city.pupil_in, code=game.code)
            return game

        return self._once("game", make)


def pupil(w):
    return {"pupil_id": w.city.pupil_in.pk}


def klass(w):
    return {"class_id": w.city.class_in.pk}


def school(w):
    return {"school_id": w.city.school_one.pk}


def lesson(w):
    return {"lesson_id": w.lesson.pk}


def grid(w):
    return {
        "class_id": w.city.class_in.pk,
        "subject_id": w.city.maths.pk,
        "term_id": w.term.pk,
    }


STAFF_OF_5A = ("teacher", "admin_one")
FAMILY_OF_PETYA = ("pupil_in", "parent")
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")

ROUTES: dict[str, Case | Public | Elsewhere] = {
    # --- school
    "home": case(lambda w: {}, *SIGNED_IN),
    "login": Public("the sign-in page"),
    "class_detail": case(klass, "teacher", "admin_one", "pupil_in"),
    "pupil_detail": case(pupil, *STAFF_OF_5A, *FAMILY_OF_PETYA),
    "school_announce": case(school, "admin_one"),
    "notifications_read": case(lambda w: {}, *SIGNED_IN, method="post"),
    "oidc_backchannel_logout": Elsewhere("tests/integration/test_sso.py"),
    "oidc_authentication_callback": Elsewhere("tests/integration/test_sso.py"),
    "oidc_authentication_init": Public("starts the city sign-in"),
    "oidc_logout": Elsewhere("tests/integration/test_sso.py"),
    "set_language": Public("Django's language switch"),
    "roster_upload": case(lambda w: {}, "admin_one", "admin_two"),
    "roster_download": case(lambda w: {}, "admin_one", "admin_two"),
    # --- diary
    "diary:week": case(pupil, *STAFF_OF_5A, *FAMILY_OF_PETYA),
    "diary:summary": case(pupil, *STAFF_OF_5A, *FAMILY_OF_PETYA),
    "diary:day": case(
        lambda w: {**pupil(w), "date": w.lesson.date.isoformat()},
        *STAFF_OF_5A,
        *FAMILY_OF_PETYA,
    ),
    # --- timetable
    "timetable:index": case(lambda w: {}, *SIGNED_IN),
    "gradebook:index": case(lambda w: {}, "teacher", "other_teacher"),
    "diary:home": case(lambda w: {}, "pupil_in", "pupil_out", "parent", "other_parent"),
    "gamification:home": case(lambda w: {}, *SIGNED_IN),
    "timetable:class_week": case(klass, "teacher", "admin_one", "pupil_in", "parent"),
    "timetable:generate": case(klass, "admin_one", method="post"),
    "timetable:my_week": case(lambda w: {}, "teacher", "other_teacher"),
    "timetable:lesson_topic": case(lesson, "teacher", method="post"),
    "timetable:lesson_manage": case(lesson, "admin_one"),
    "timetable:feeds": Elsewhere("tests/school/timetable/test_feeds.py"),
    "timetable:feed_create": Elsewhere("tests/school/timetable/test_feeds.py"),
    "timetable:feed_revoke": Elsewhere("tests/school/timetable/test_feeds.py"),
    "timetable:feed": Public(
        "a calendar feed: its unguessable token is the credential"
    ),
    # --- gradebook
    "gradebook:grid": case(grid, "teacher", "admin_one"),
    "gradebook:scale": case(grid, "teacher", method="post"),
    "gradebook:export_xlsx": case(grid, "teacher", "admin_one"),
    "gradebook:export_csv": case(grid, "teacher", "admin_one"),
    "gradebook:mark_save": case(grid, "teacher", method="post"),
    "gradebook:mark_remove": case(grid, "teacher", method="post"),
    "gradebook:attendance_save": case(grid, "teacher", method="post"),
    "gradebook:term_mark_save": case(grid, "teacher", method="post"),
    "gradebook:history": case(grid, "teacher", "admin_one"),
    # --- attendance
    "attendance:today": case(lambda w: {}, "teacher", "other_teacher"),
    "attendance:register": case(lesson, "teacher"),
    "attendance:notices": case(lambda w: {}, "parent", "other_parent"),
    # --- homework
    "homework_index": case(lambda w: {}, *SIGNED_IN),
    "homework_lesson": case(lesson, "teacher"),
    "homework_detail": case(lambda w: {"homework_id": w.homework().pk}, "pupil_in"),
    "homework_done": case(
        lambda w: {"homework_id": w.homework().pk}, "pupil_in", method="post"
    ),
    "homework_submissions": case(
        lambda w: {"homework_id": w.homework().pk}, "teacher", "admin_one"
    ),
    "homework_review": Elsewhere("tests/school/homework/test_views.py"),
    "homework_child": case(pupil, "parent"),
    "homework_attachment": Elsewhere("tests/school/homework/test_views.py"),
    "homework_file": Elsewhere("tests/school/homework/test_views.py"),
    "homework_thumbnail": Elsewhere("tests/school/homework/test_views.py"),
    # --- library and lessons
    "lessons:library": case(lambda w: {}, "teacher", "other_teacher", "methodologist"),
    "lessons:library_lesson": Elsewhere("tests/lessons/test_library_views.py"),
    "lessons:library_copy": Elsewhere("tests/lessons/test_library_copy.py"),
    "lessons:plan": case(lesson, "teacher"),
    "lessons:plan_attach": case(lesson, method="post"),
    "lessons:plan_detach": case(lesson, "teacher", method="post"),
    "lessons:plan_homework": case(lesson, "teacher", method="post"),
    "lessons:plan_results": Elsewhere("tests/lessons/school_day/test_results.py"),
    "lessons:plan_quiz_game": case(lesson, "teacher", method="post"),
    "lessons:pupil_lesson": Elsewhere("tests/lessons/school_day/test_pupil_page.py"),
    "lessons:practice_submit": Elsewhere("tests/lessons/school_day/test_practice.py"),
    "lessons:h5p_games": Elsewhere("tests/lessons/h5p/test_package_admin.py"),
    "lessons:h5p_play": Elsewhere("tests/lessons/h5p/test_player_views.py"),
    "lessons:h5p_statement": Elsewhere("tests/lessons/h5p/test_player_views.py"),
    "lessons:h5p_state": Elsewhere("tests/lessons/h5p/test_player_views.py"),
    "lessons:h5p_frame": Public(
        "the sandboxed player frame; its package is named by UUID"
    ),
    "lessons:h5p_file": Public(
        "H5P files, public by their unguessable folder (docs/security.md)"
    ),
    "lessons:h5p_results": Elsewhere("tests/lessons/h5p/test_results_views.py"),
    "lessons:h5p_counts": Elsewhere("tests/lessons/h5p/test_results_views.py"),
    "lessons:h5p_gradebook": Elsewhere("tests/lessons/h5p/test_results_views.py"),
    "wagtaildocs_serve": Elsewhere("tests/lessons/school_day/test_documents.py"),
    "wagtaildocs_authenticate_with_password": Public(
        "Wagtail's collection password form"
    ),
    "wagtailapi:pages:listing": Public(
        "open data: published library lessons (Wagtail API v2)"
    ),
    "wagtailapi:pages:detail": Public("open data: one published library lesson"),
    "wagtailapi:pages:find": Public("open data: finding a published lesson by path"),
    # --- gamification
    "gamification:badge_achievement": Public(
        "Open Badges: the achievement a credential names"
    ),
    "gamification:badge_art": Public("Open Badges: the badge's picture"),
    "gamification:badge_award": Elsewhere("tests/gamification/test_badge_views.py"),
    "gamification:badge_credential_jwt": Elsewhere(
        "tests/gamification/test_badge_views.py"
    ),
    "gamification:badge_credential_json": Elsewhere(
        "tests/gamification/test_badge_views.py"
    ),
    "gamification:badge_baked_png": Elsewhere("tests/gamification/test_badge_views.py"),
    "gamification:badge_award_revoke": Elsewhere(
        "tests/gamification/test_badge_views.py"
    ),
    "gamification:badge_verify": Public("anyone may check a credential"),
    "gamification:badge_verify_award": Public(
        "anyone with the link checks a badge (names no child)"
    ),
    "gamification:badge_issuer": Public("Open Badges: the school's public key"),
    "gamification:badge_status_list": Public("Open Badges: the signed revocation list"),
    "gamification:quiz_join": case(lambda w: {}, *SIGNED_IN),
    "gamification:quiz_play": case(lambda w: {"game_id": w.game().pk}, "pupil_in"),
    "gamification:quiz_host": case(lambda w: {"game_id": w.game().pk}, "teacher"),
    "gamification:quiz_results_csv": case(
        lambda w: {"game_id": w.game().pk}, "teacher"
    ),
    "gamification:me": case(lambda w: {}, "pupil_in", "pupil_out"),
    "gamification:me_privacy": case(
        lambda w: {}, "pupil_in", "pupil_out", method="post"
    ),
    "gamification:child": case(pupil, "parent"),
    "gamification:class_points": case(klass, "teacher"),
    "gamification:class_award": case(klass, "teacher", method="post"),
    "gamification:class_reverse": Elsewhere("tests/gamification/test_award_views.py"),
    "gamification:skill_add": case(klass, "teacher", method="post"),
    "gamification:skill_archive": Elsewhere("tests/gamification/test_award_views.py"),
    "gamification:team_add": case(klass, "teacher", method="post"),
    "gamification:team_delete": Elsewhere("tests/gamification/test_award_views.py"),
    "gamification:class_leaderboard": case(klass, "pupil_in", "teacher", "parent"),
    "gamification:school_leaderboard": case(school, "pupil_in", "teacher", "parent"),
    "gamification:rewards": case(lambda w: {}, "pupil_in", "pupil_out"),
    "gamification:reward_buy": Elsewhere("tests/gamification/test_rewards.py"),
    "gamification:reward_manage": case(lambda w: {}, "admin_one", "admin_two"),
    "gamification:reward_edit": Elsewhere("tests/gamification/test_rewards.py"),
    "gamification:purchase_given": Elsewhere("tests/gamification/test_rewards.py"),
    # --- live lessons and boards
    "whiteboard:live_join": case(lambda w: {}, *SIGNED_IN),
    "whiteboard:live_start": case(lesson, "teacher", method="post"),
    "whiteboard:live_room": case(lambda w: {"session_id": w.session().pk}, "pupil_in"),
    "whiteboard:live_console": case(
        lambda w: {"session_id": w.session().pk}, "teacher"
    ),
    "whiteboard:live_pen": case(
        lambda w: {"session_id": w.session().pk}, "teacher", method="post"
    ),
    "whiteboard:live_end": case(
        lambda w: {"session_id": w.session().pk}, "teacher", method="post"
    ),
    "whiteboard:live_attendance": Elsewhere("tests/whiteboard/test_live_attendance.py"),
    "whiteboard:board_image_upload": Elsewhere("tests/whiteboard/test_images.py"),
    "whiteboard:board_image": Elsewhere("tests/whiteboard/test_images.py"),
    "whiteboard:board_view": case(
        lambda w: {"board_id": w.session().board_id},
        "teacher",
        "pupil_in",
        "parent",
    ),
    "whiteboard:board_page_png": Elsewhere("tests/whiteboard/test_export_views.py"),
    "whiteboard:board_pdf": case(
        lambda w: {"board_id": w.session().board_id}, "teacher", "pupil_in", "parent"
    ),
}


def url_names(patterns=None, prefix="", namespace="") -> list[tuple[str, str]]:
    """(route, namespaced URL name) of every pattern outside Wagtail's admin and
    page serving."""
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(OUTSIDE):
            continue
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            found += url_names(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            found.append((route, namespace + (pattern.name or "")))
    return found


def test_every_route_is_in_the_matrix():
    missing = [(route, name) for route, name in url_names() if name not in ROUTES]
    assert missing == [], "say who may open these routes in ROUTES"


def test_the_matrix_names_no_route_that_is_gone():
    names = {name for _route, name in url_names()}
    assert sorted(set(ROUTES) - names) == []


def test_every_elsewhere_names_test_files_that_exist():
    root = Path(__file__).resolve().parents[2]
    for name, entry in ROUTES.items():
        if isinstance(entry, Elsewhere):
            for path in entry.tests.split(", "):
                assert (root / path).exists(), (name, path)


@pytest.fixture
def world(city) -> World:
    cache.clear()  # the quiz's join limit counts in the cache
    city.methodologist = factories.UserFactory(roles=[Role.METHODOLOGIST])
    start = city.class_in.academic_year.starts_on
    lesson = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=start + datetime.timedelta(days=7),
    )
    return World(city=city, lesson=lesson, term=factories.make_term(city.class_in))


def client_of(client, city, persona: str):
    if persona != "anonymous":
        client.force_login(
            getattr(city, persona), backend="school.backends.LocalPasswordBackend"
        )
    return client


CASES = sorted(name for name, entry in ROUTES.items() if isinstance(entry, Case))


def refused(response, persona: str) -> bool:
    """Not found or forbidden; for the anonymous, the sign-in page."""
    if response.status_code in (403, 404):
        return True
    location = response.get("Location", "")
    return (
        persona == "anonymous" and response.status_code == 302 and "login" in location
    )


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_matrix(client, world, name, persona):
    """The allowed get past the access check (the page, a redirect to their own
    page, or the form's own complaint about the empty POST); everyone else is
    refused: 403/404, or the sign-in page for the anonymous."""
    entry = ROUTES[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    response = getattr(client_of(client, world.city, persona), entry.method)(url)
    allowed = persona in entry.allowed
    assert refused(response, persona) is not allowed, (
        name,
        persona,
        response.status_code,
    )


# --- Websocket routes: each names the tests that try it persona by persona
# (connect refused with 4401/4403) and when its person loses access (4403).

WEBSOCKETS = {
    "ws/notifications/": "tests/school/test_notifications.py, "
    "tests/school/test_socket_access.py",
    "ws/diary/<int:pupil_id>/": "tests/school/diary/test_live.py, "
    "tests/school/test_socket_access.py",
    "ws/quiz/<int:game_id>/": "tests/gamification/test_quiz_socket.py",
    "ws/points/class/<int:class_id>/": "tests/gamification/test_events.py, "
    "tests/school/test_socket_access.py",
    "^ws/board/(?P<board_id>[0-9]+)/?$": "tests/whiteboard/test_access.py, "
    "tests/whiteboard/test_socket_access.py",
    "^ws/live/(?P<session_id>[0-9]+)/?$": "tests/whiteboard/test_live_socket.py, "
    "tests/whiteboard/test_socket_access.py",
}


def websocket_routes() -> list[str]:
    from gamification.routing import websocket_urlpatterns as gamification
    from school.routing import websocket_urlpatterns as school
    from whiteboard.routing import websocket_urlpatterns as whiteboard

    return [str(pattern.pattern) for pattern in school + gamification + whiteboard]


def test_every_websocket_route_names_its_access_tests():
    root = Path(__file__).resolve().parents[2]
    assert sorted(websocket_routes()) == sorted(WEBSOCKETS)
    for route, tests in WEBSOCKETS.items():
        for path in tests.split(", "):
            assert (root / path).exists(), (route, path)
