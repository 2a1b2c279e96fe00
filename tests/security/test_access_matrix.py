"""The access matrix: every URL pattern of the platform, tried by every persona.

`ROUTES` names each route (by its URL name) and says how the matrix tries it:
`Case` builds the route's arguments from objects of 5А / Петя / school one and
lists the personas who may open it (200); everyone else must get a refusal
(403/404, or the sign-in page for the anonymous), never the page. `Public`
routes are open by design (the reason is given); `Elsewhere` routes need the
real OpenID provider and are tried in the named tests. A route missing from
`ROUTES` (or a websocket route missing from `SOCKETS`) fails the suite: a new
route must say who may open it.

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

ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5f0e3"
    "5e0000000049454e44ae426082"
)

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
    data: Callable[["World"], dict] | None = None


@dataclass(frozen=True)
class Public:
    reason: str


@dataclass(frozen=True)
class Elsewhere:
    tests: str


def case(kwargs=lambda w: {}, *allowed: str, method: str = "get", data=None) -> Case:
    return Case(kwargs, frozenset(allowed), method, data)


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

    def ended_session(self):
        from whiteboard.live import live_session_end

        def make():
            session = self.session()
            live_session_end(teacher=self.city.teacher, session=session)
            return session

        return self._once("ended_session", make)

    def plan(self):
        """A library lesson with a practice quiz, an H5P game and a document,
        attached to the dated lesson."""
        from lessons.models import LessonPlan
        from tests.lessons.h5p import xapi
        from tests.lessons.h5p.activity import GAME_ID, package_make
        from tests.lessons.school_day.conftest import full_body, library_lesson

        def make():
            package = package_make("multichoice", xapi.MC)
            body = [
                *full_body(),
                {"type": "h5p", "id": GAME_ID, "value": {"package": package.pk}},
                {"type": "document", "id": "doc", "value": self.document().pk},
            ]
            page = library_lesson(self.city.maths, body=body)
            return LessonPlan.objects.create(
                lesson=self.lesson, page=page, attached_by=self.city.teacher
            )

        return self._once("plan", make)

    def document(self):
        from django.core.files.base import ContentFile
        from wagtail.documents.models import Document

        return self._once(
            "document",
            lambda: Document.objects.create(
                title="Карточка", file=ContentFile(b"1/8 + 2/8", name="card.txt")
            ),
        )

    def submission(self):
        """Петя's answer, with a photo, to homework that came with a file."""
        from school.homework.services import homework_assign, submission_submit
        from tests.school.homework.conftest import jpeg_with_gps, pdf

        def make():
            homework = homework_assign(
                teacher=self.city.teacher,
                lesson=self.lesson,
                due_date=self.lesson.date,
                text="Прочитать параграф",
                files=[pdf("task.pdf")],
            )
            return submission_submit(
                pupil=self.city.pupil_in,
                homework=homework,
                text="Мой ответ",
                files=[jpeg_with_gps()],
            )

        return self._once("submission", make)

    def award(self):
        from tests.gamification.badge_factories import make_award

        return self._once("award", lambda: make_award(self.city))

    def points_entry(self):
        from gamification.ledger import points_award
        from gamification.models import EntryKind

        return self._once(
            "points_entry",
            lambda: points_award(
                pupil=self.city.pupil_in,
                source_key="teacher:matrix",
                kind=EntryKind.TEACHER,
                amount=2,
                class_group=self.city.class_in,
            ),
        )

    def skill(self):
        from gamification.models import Skill

        klass = self.city.class_in
        return self._once(
            "skill",
            lambda: Skill.objects.create(
                school=klass.school, class_group=klass, name="Помог", points=1
            ),
        )

    def team(self):
        from gamification.models import Team

        return self._once(
            "team",
            lambda: Team.objects.create(class_group=self.city.class_in, name="Альфа"),
        )

    def reward(self):
        from gamification.models import Reward, RewardKind

        return self._once(
            "reward",
            lambda: Reward.objects.create(
                school=self.city.school_one,
                name="Место у окна",
                price=5,
                kind=RewardKind.PRIVILEGE,
            ),
        )

    def purchase(self):
        """Петя's privilege, bought and waiting to be handed out."""
        import uuid

        from gamification import rewards
        from gamification.ledger import points_award
        from gamification.models import EntryKind

        def make():
            points_award(
                pupil=self.city.pupil_in,
                source_key="h5p:matrix",
                kind=EntryKind.H5P,
                amount=20,
            )
            return rewards.reward_buy(
                pupil=self.city.pupil_in,
                reward_id=self.reward().pk,
                public_id=uuid.uuid4(),
            )

        return self._once("purchase", make)

    def board_image(self):
        from django.core.files.base import ContentFile

        from whiteboard.models import BoardImage

        def make():
            picture = BoardImage(
                board=self.session().board,
                mime_type="image/png",
                width=1,
                height=1,
                size=len(ONE_PIXEL_PNG),
                sha256="matrix",
            )
            picture.file.save("p.png", ContentFile(ONE_PIXEL_PNG), save=True)
            return picture

        return self._once("board_image", make)

    def feed(self):
        from school.timetable.services import calendar_feed_create

        return self._once(
            "feed",
            lambda: calendar_feed_create(
                user=self.city.pupil_in, pupil=self.city.pupil_in
            ),
        )


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


def activity(w, block_id="game-one"):
    """A block of the library lesson as the pupils of the lesson open it."""
    plan = w.plan()
    return {"page_id": plan.page_id, "lesson_id": plan.lesson_id, "block_id": block_id}


def taught_activity(w):
    """The game block as its lesson's teacher reads the results."""
    return {"lesson_id": w.plan().lesson_id, "block_id": "game-one"}


def library_page(w):
    return {"page_id": w.plan().page_id}


def pupil_page(w):
    plan = w.plan()
    return {"page_id": plan.page_id, "lesson_id": plan.lesson_id}


def document(w):
    w.plan()  # the lesson that uses it
    found = w.document()
    return {"document_id": found.pk, "document_filename": found.filename}


def badge(w):
    return {"public_id": w.award().public_id}


def in_class(name: str):
    def kwargs(w):
        return {"class_id": w.city.class_in.pk, f"{name}_id": getattr(w, name)().pk}

    return kwargs


def board_image(w):
    image = w.board_image()
    return {"board_id": image.board_id, "image_id": image.pk}


def submitted_file(w):
    return {"file_id": w.submission().files.get().pk}


STAFF_OF_5A = ("teacher", "admin_one")
FAMILY_OF_PETYA = ("pupil_in", "parent")
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")

ROUTES: dict[str, Case | Public | Elsewhere] = {
    # --- school
    "home": case(lambda w: {}, *SIGNED_IN),
    "login": Public("the sign-in page"),
    "favicon": Public("the platform's icon, the same for everyone"),
    "app_icon": Public("the app's icon, the same for everyone"),
    "app_icon_maskable": Public("the app's icon, the same for everyone"),
    "app_manifest": Public("the web app manifest, the same for everyone"),
    "service_worker": Public("the app's service worker script"),
    "offline": Public("the app's page for no connection"),
    "help": Public("how to do the first things, for everyone"),
    "tour_done": case(lambda w: {}, *SIGNED_IN, method="post"),
    "class_detail": case(klass, "teacher", "admin_one", "pupil_in"),
    "pupil_detail": case(pupil, *STAFF_OF_5A, *FAMILY_OF_PETYA),
    "school_announce": case(school, "admin_one"),
    "notifications_read": case(lambda w: {}, *SIGNED_IN, method="post"),
    "oidc_backchannel_logout": Elsewhere("tests/integration/test_sso.py"),
    "oidc_authentication_callback": Elsewhere("tests/integration/test_sso.py"),
    "oidc_authentication_init": Public("starts the city sign-in"),
    "oidc_logout": Elsewhere("tests/integration/test_sso.py"),
    "set_language": Public("Django's language switch"),
    "push_settings": case(lambda w: {}, *FAMILY_OF_PETYA, "pupil_out", "other_parent"),
    "push_subscription_add": case(
        lambda w: {}, *FAMILY_OF_PETYA, "pupil_out", "other_parent", method="post"
    ),
    "push_subscription_remove": case(lambda w: {}, *SIGNED_IN, method="post"),
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
    "timetable:feeds": case(lambda w: {}, *SIGNED_IN),
    "timetable:feed_create": case(
        lambda w: {},
        "pupil_in",
        "parent",
        method="post",
        data=lambda w: {"pupil": w.city.pupil_in.pk},
    ),
    "timetable:feed_revoke": case(
        lambda w: {"feed_id": w.feed().pk}, "pupil_in", method="post"
    ),
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
    "homework_review": case(
        lambda w: {"submission_id": w.submission().pk}, "teacher", method="post"
    ),
    "homework_child": case(pupil, "parent"),
    "homework_attachment": case(
        lambda w: {"attachment_id": w.submission().homework.attachments.get().pk},
        *STAFF_OF_5A,
        *FAMILY_OF_PETYA,
    ),
    "homework_file": case(submitted_file, *STAFF_OF_5A, *FAMILY_OF_PETYA),
    "homework_thumbnail": case(submitted_file, *STAFF_OF_5A, *FAMILY_OF_PETYA),
    # --- library and lessons
    "lessons:library": case(lambda w: {}, "teacher", "other_teacher", "methodologist"),
    "lessons:library_lesson": case(
        library_page, "teacher", "other_teacher", "methodologist"
    ),
    "lessons:library_copy": case(
        library_page, "teacher", "other_teacher", "methodologist", method="post"
    ),
    "lessons:plan": case(lesson, "teacher"),
    "lessons:plan_attach": case(lesson, method="post"),
    "lessons:plan_detach": case(lesson, "teacher", method="post"),
    "lessons:plan_homework": case(lesson, "teacher", method="post"),
    "lessons:plan_results": case(
        lambda w: {"lesson_id": w.plan().lesson_id}, *STAFF_OF_5A
    ),
    "lessons:plan_quiz_game": case(lesson, "teacher", method="post"),
    "lessons:pupil_lesson": case(pupil_page, "teacher", *FAMILY_OF_PETYA),
    "lessons:practice_submit": case(
        lambda w: activity(w, "quiz-one"), "pupil_in", method="post"
    ),
    "lessons:h5p_games": case(lambda w: {}, "pupil_in", "pupil_out"),
    "lessons:h5p_play": case(activity, "teacher", *FAMILY_OF_PETYA),
    "lessons:h5p_statement": case(activity, "pupil_in", method="post"),
    "lessons:h5p_state": case(activity, "pupil_in"),
    "lessons:h5p_frame": Public(
        "the sandboxed player frame; its package is named by UUID"
    ),
    "lessons:h5p_file": Public(
        "H5P files, public by their unguessable folder (docs/security.md)"
    ),
    "lessons:h5p_results": case(taught_activity, *STAFF_OF_5A),
    "lessons:h5p_counts": case(taught_activity, "teacher", method="post"),
    "lessons:h5p_gradebook": case(taught_activity, "teacher", method="post"),
    "wagtaildocs_serve": case(
        document,
        "teacher",
        "other_teacher",
        "methodologist",
        "admin_one",
        *FAMILY_OF_PETYA,
    ),
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
    "gamification:badge_award": case(badge, *FAMILY_OF_PETYA),
    "gamification:badge_credential_jwt": case(badge, *FAMILY_OF_PETYA),
    "gamification:badge_credential_json": case(badge, *FAMILY_OF_PETYA),
    "gamification:badge_baked_png": case(badge, *FAMILY_OF_PETYA),
    "gamification:badge_award_revoke": case(
        badge, "teacher", "admin_one", method="post"
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
    "gamification:class_reverse": case(
        lambda w: {**klass(w), "entry_id": w.points_entry().pk},
        "teacher",
        method="post",
    ),
    "gamification:skill_add": case(klass, "teacher", method="post"),
    "gamification:skill_archive": case(in_class("skill"), "teacher", method="post"),
    "gamification:team_add": case(klass, "teacher", method="post"),
    "gamification:team_delete": case(in_class("team"), "teacher", method="post"),
    "gamification:class_leaderboard": case(klass, "pupil_in", "teacher", "parent"),
    "gamification:school_leaderboard": case(school, "pupil_in", "teacher", "parent"),
    "gamification:rewards": case(lambda w: {}, "pupil_in", "pupil_out"),
    "gamification:reward_buy": case(
        lambda w: {"reward_id": w.reward().pk}, "pupil_in", method="post"
    ),
    "gamification:reward_manage": case(lambda w: {}, "admin_one", "admin_two"),
    "gamification:reward_edit": case(
        lambda w: {"reward_id": w.reward().pk}, "admin_one"
    ),
    "gamification:purchase_given": case(
        lambda w: {"purchase_id": w.purchase().pk}, *STAFF_OF_5A, method="post"
    ),
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
    "whiteboard:live_attendance": case(
        lambda w: {"session_id": w.ended_session().pk}, "teacher"
    ),
    "whiteboard:board_image_upload": case(
        lambda w: {"board_id": w.session().board_id}, "teacher", method="post"
    ),
    "whiteboard:board_image": case(board_image, "teacher", "pupil_in"),
    "whiteboard:board_view": case(
        lambda w: {"board_id": w.session().board_id},
        "teacher",
        "pupil_in",
        "parent",
    ),
    "whiteboard:board_page_png": case(
        lambda w: {"board_id": w.session().board_id, "page_id": "1"},
        "teacher",
        *FAMILY_OF_PETYA,
    ),
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
def world(city, settings, tmp_path) -> World:
    cache.clear()  # the quiz's join limit counts in the cache
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads, pictures, H5P content
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
    data = entry.data(world) if entry.data else {}
    response = getattr(client_of(client, world.city, persona), entry.method)(url, data)
    allowed = persona in entry.allowed
    assert refused(response, persona) is not allowed, (
        name,
        persona,
        response.status_code,
    )


# --- Websocket routes, tried by the same personas on the same objects: the
# allowed connect, the anonymous are closed with 4401 and everyone else with
# 4403. What happens when an open socket's person loses access is tried in
# tests/school/test_socket_access.py and tests/whiteboard/test_socket_access.py.

SOCKETS: dict[str, tuple[Callable[[World], str], tuple[str, ...]]] = {
    "ws/notifications/": (lambda w: "/ws/notifications/", SIGNED_IN),
    "ws/diary/<int:pupil_id>/": (
        lambda w: f"/ws/diary/{w.city.pupil_in.pk}/",
        (*STAFF_OF_5A, *FAMILY_OF_PETYA),
    ),
    "ws/quiz/<int:game_id>/": (
        lambda w: f"/ws/quiz/{w.game().pk}/",
        ("teacher", "pupil_in"),
    ),
    "ws/points/class/<int:class_id>/": (
        lambda w: f"/ws/points/class/{w.city.class_in.pk}/",
        ("teacher",),
    ),
    "^ws/board/(?P<board_id>[0-9]+)/?$": (
        lambda w: f"/ws/board/{w.session().board_id}/",
        ("teacher", "pupil_in"),
    ),
    "^ws/live/(?P<session_id>[0-9]+)/?$": (
        lambda w: f"/ws/live/{w.session().pk}/",
        ("teacher", "pupil_in"),
    ),
}


def websocket_routes() -> list[str]:
    from gamification.routing import websocket_urlpatterns as gamification
    from school.routing import websocket_urlpatterns as school
    from whiteboard.routing import websocket_urlpatterns as whiteboard

    return [str(pattern.pattern) for pattern in school + gamification + whiteboard]


def test_every_websocket_route_is_in_the_matrix():
    assert sorted(websocket_routes()) == sorted(SOCKETS)


async def connect_as(world: World, persona: str, path: str) -> str | int:
    """ "open", or the code the socket was closed with on connecting."""
    from channels.db import database_sync_to_async
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.sockets import session_cookie

    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if persona != "anonymous":
        user = await database_sync_to_async(getattr)(world.city, persona)
        headers.append((b"cookie", await session_cookie(user)))
    socket = WebsocketCommunicator(application, path, headers=headers)
    ok, code = await socket.connect(timeout=10)
    if not ok:
        return code
    await socket.disconnect()
    return "open"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", sorted(SOCKETS))
async def test_the_socket_matrix(world, route):
    from channels.db import database_sync_to_async

    make_path, allowed = SOCKETS[route]
    path = await database_sync_to_async(make_path)(world)
    expected, found = {}, {}
    for persona in PERSONAS:
        if persona in allowed:
            expected[persona] = "open"
        else:
            expected[persona] = 4401 if persona == "anonymous" else 4403
        found[persona] = await connect_as(world, persona, path)
    assert found == expected
