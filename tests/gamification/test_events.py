"""Live awards: to the pupil's pages, the family's diary and the class's console,
only after commit, and only to the people who may see them.

Sockets are opened on `config.asgi.application` with a real session cookie, so
the origin check, the session and the consumers all run. "Nothing arrived" is
proven without waiting: a later, committed award must be the first frame seen.
"""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.template import Context, Template
from django.test import Client

from config.asgi import application
from gamification import ledger
from gamification.events import points_payload
from gamification.models import EntryKind, PointsAccount
from tests.gamification.badge_factories import make_badge
from tests.sockets import own_redis_prefix  # noqa: F401 (autouse)

ORIGIN = b"http://127.0.0.1"
WAIT = 10  # seconds a frame may take to arrive before the test gives up
NOTIFICATIONS = "/ws/notifications/"


def diary_path(pupil) -> str:
    return f"/ws/diary/{pupil.pk}/"


def class_path(class_group) -> str:
    return f"/ws/points/class/{class_group.pk}/"


@database_sync_to_async
def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={key}".encode()


async def socket_for(user, path: str) -> WebsocketCommunicator:
    headers = [(b"origin", ORIGIN), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await session_cookie(user)))
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(user, path: str) -> WebsocketCommunicator:
    socket = await socket_for(user, path)
    ok, code = await socket.connect(timeout=WAIT)
    assert ok, code
    return socket


async def refused_with(user, path: str) -> int | None:
    socket = await socket_for(user, path)
    ok, code = await socket.connect(timeout=WAIT)
    assert not ok
    return code


@database_sync_to_async
def award(pupil, key: str, amount: int = 5, *, roll_back: bool = False, **fields):
    class Abort(Exception):
        pass

    try:
        with transaction.atomic():
            entry = ledger.points_award(
                pupil=pupil,
                source_key=key,
                kind=fields.pop("kind", EntryKind.H5P),
                amount=amount,
                **fields,
            )
            if roll_back:
                raise Abort
    except Abort:
        return None
    return entry


async def next_award(socket) -> dict:
    message = await socket.receive_json_from(timeout=WAIT)
    assert message["type"] == "points.awarded", message
    return message


async def next_diary_award(socket) -> dict:
    message = await socket.receive_json_from(timeout=WAIT)
    assert (message["type"], message["kind"]) == ("diary.event", "points"), message
    return message["data"]


# --- The pupil's pages


@pytest.mark.django_db(transaction=True)
async def test_the_pupils_pages_hear_the_award_with_the_totals(city):
    socket = await connected(city.pupil_in, NOTIFICATIONS)
    entry = await award(city.pupil_in, "h5p:1", 7, reason="Дроби")
    message = await next_award(socket)
    assert message["entry"] == entry.pk
    assert message["pupil"] == city.pupil_in.pk
    assert (message["amount"], message["balance"], message["xp"]) == (7, 7, 7)
    assert (message["level"], message["level_up"]) == (1, False)
    assert (message["kind"], message["reason"]) == ("h5p", "Дроби")
    assert message["badges"] == []
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_rolled_back_award_sends_nothing(city):
    socket = await connected(city.pupil_in, NOTIFICATIONS)
    assert await award(city.pupil_in, "h5p:1", 9, roll_back=True) is None
    await award(city.pupil_in, "h5p:2", 4)
    message = await next_award(socket)
    assert (message["amount"], message["balance"]) == (4, 4)
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_duplicate_event_sends_nothing(city):
    socket = await connected(city.pupil_in, NOTIFICATIONS)
    await award(city.pupil_in, "h5p:1", 3)
    await award(city.pupil_in, "h5p:1", 3)
    await award(city.pupil_in, "h5p:2", 2)
    assert (await next_award(socket))["balance"] == 3
    assert (await next_award(socket))["balance"] == 5
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_another_pupil_does_not_hear_it(city):
    socket = await connected(city.pupil_out, NOTIFICATIONS)
    await award(city.pupil_in, "h5p:1", 3)
    await award(city.pupil_out, "h5p:1", 6)
    message = await next_award(socket)
    assert (message["pupil"], message["amount"]) == (city.pupil_out.pk, 6)
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_new_badge_and_a_new_level_come_with_the_award(city):
    await database_sync_to_async(make_badge)(
        school=city.school_one, threshold=50, name="Полсотни"
    )
    socket = await connected(city.pupil_in, NOTIFICATIONS)
    await award(city.pupil_in, "teacher:a", 60, kind=EntryKind.TEACHER)
    message = await next_award(socket)
    assert message["badges"] == ["Полсотни"]
    assert (message["level"], message["level_up"]) == (2, True)
    await socket.disconnect()


# --- The family's diary


@pytest.mark.django_db(transaction=True)
async def test_the_parents_diary_hears_it_and_another_family_does_not(city):
    parent = await connected(city.parent, diary_path(city.pupil_in))
    other = await connected(city.other_parent, diary_path(city.pupil_out))
    await award(city.pupil_in, "h5p:1", 5)
    await award(city.pupil_out, "h5p:1", 8)
    data = await next_diary_award(parent)
    assert (data["pupil"], data["amount"], data["name"]) == (
        city.pupil_in.pk,
        5,
        "Петя",
    )
    assert (await next_diary_award(other))["pupil"] == city.pupil_out.pk
    await parent.disconnect()
    await other.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_another_family_cannot_follow_the_childs_points(city):
    assert await refused_with(city.other_parent, diary_path(city.pupil_in)) == 4403


# --- The class's live console


@pytest.mark.django_db(transaction=True)
async def test_the_class_teacher_hears_pupils_of_the_class_only(city):
    socket = await connected(city.teacher, class_path(city.class_in))
    await award(city.pupil_out, "h5p:1", 9)
    await award(city.pupil_in, "h5p:1", 4)
    message = await next_award(socket)
    assert (message["pupil"], message["amount"]) == (city.pupil_in.pk, 4)
    assert message["short_name"] == city.pupil_in.short_name
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_award_made_in_another_class_reaches_that_class_too(city):
    # Points earned in a group's lesson count there as well as in the home class.
    socket = await connected(city.other_teacher, class_path(city.class_out))
    await award(city.pupil_in, "h5p:1", 2, class_group=city.class_out)
    assert (await next_award(socket))["pupil"] == city.pupil_in.pk
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "persona", ["other_teacher", "pupil_in", "parent", "admin_one", "other_parent"]
)
async def test_only_the_class_teachers_may_watch_its_points(city, persona):
    code = await refused_with(getattr(city, persona), class_path(city.class_in))
    assert code == 4403


@pytest.mark.django_db(transaction=True)
async def test_signed_out_visitors_and_unknown_classes_are_refused(city):
    assert await refused_with(None, class_path(city.class_in)) == 4401
    assert await refused_with(city.teacher, "/ws/points/class/999999/") == 4403


@pytest.mark.django_db(transaction=True)
async def test_the_console_socket_only_sends(city):
    socket = await connected(city.teacher, class_path(city.class_in))
    await socket.send_json_to({"type": "points.awarded", "amount": 1000})
    assert (await socket.receive_json_from(timeout=WAIT))["type"] == "error"
    await award(city.pupil_in, "h5p:1", 1)
    assert (await next_award(socket))["amount"] == 1
    await socket.disconnect()


# --- The payload and the pages' parts


@pytest.mark.django_db
def test_the_payload_accepts_badge_rows_badges_and_names(city):
    entry = ledger.points_award(
        pupil=city.pupil_in, source_key="h5p:1", kind=EntryKind.H5P, amount=3
    )
    account = PointsAccount.objects.get(pupil=city.pupil_in)
    badge = make_badge(school=city.school_one, threshold=1000, name="Тысяча")
    payload = points_payload(entry=entry, account=account, new_badges=[badge, "Имя"])
    assert payload["badges"] == ["Тысяча", "Имя"]


def render(text: str, **context) -> str:
    return Template("{% load points_live %}" + text).render(Context(context))


@pytest.mark.django_db
def test_the_diary_feed_shows_the_latest_points_in_one_query(
    city, django_assert_num_queries
):
    for number in range(7):
        ledger.points_award(
            pupil=city.pupil_in,
            source_key=f"h5p:{number}",
            kind=EntryKind.H5P,
            amount=number + 1,
        )
    with django_assert_num_queries(1):
        html = render("{% points_feed pupil %}", pupil=city.pupil_in)
    assert html.count("data-entry=") == 5
    assert 'id="points-feed"' in html
    assert f'data-pupil="{city.pupil_in.pk}"' in html


@pytest.mark.django_db
def test_the_toasts_are_only_on_pupils_pages(city):
    assert 'id="points-toasts"' in render("{% points_toasts %}", user=city.pupil_in)
    for persona in ("parent", "teacher"):
        user = getattr(city, persona)
        assert "points-toasts" not in render("{% points_toasts %}", user=user)


@pytest.mark.django_db
def test_the_class_panel_listens_on_its_class(city):
    html = render("{% class_points_live group %}", group=city.class_in)
    assert f'data-socket="/ws/points/class/{city.class_in.pk}/"' in html


@pytest.mark.django_db
def test_a_pupils_page_carries_the_toasts_and_the_diary_the_feed(city):
    client = Client()
    client.force_login(city.pupil_in, backend="school.backends.LocalPasswordBackend")
    home = client.get("/")
    assert home.status_code == 200
    assert b'id="points-toasts"' in home.content
    parent = Client()
    parent.force_login(city.parent, backend="school.backends.LocalPasswordBackend")
    diary = parent.get(f"/diary/{city.pupil_in.pk}/")
    assert diary.status_code == 200
    assert b'id="points-feed"' in diary.content
    assert b'id="points-toasts"' not in diary.content
    assert parent.get(f"/diary/{city.pupil_out.pk}/").status_code == 404
