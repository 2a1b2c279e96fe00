"""Badges: each criterion, awarded once per pupil after the award that earns
it, only from the pupil's schools and the city; the art; revocation."""

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from PIL import Image

from gamification import badge_art, ledger
from gamification.badges import badge_award_revoke, badge_save, badges_evaluate
from gamification.models import Badge, BadgeAward, EntryKind, Streak
from gamification.selectors import badges_of
from tests import factories
from tests.gamification.badge_factories import make_award, make_badge

pytestmark = pytest.mark.django_db


def award(pupil, key, amount=5, kind=EntryKind.H5P, **fields):
    return ledger.points_award(
        pupil=pupil, source_key=key, kind=kind, amount=amount, **fields
    )


def held(pupil) -> set[str]:
    return set(
        BadgeAward.objects.filter(pupil=pupil).values_list("badge__name", flat=True)
    )


def test_a_points_badge_comes_with_the_award_that_reaches_it(city):
    make_badge(school=city.school_one, threshold=10, name="Десятка")
    award(city.pupil_in, "h5p:1", amount=6)
    assert held(city.pupil_in) == set()
    award(city.pupil_in, "h5p:2", amount=6)
    assert held(city.pupil_in) == {"Десятка"}
    award(city.pupil_in, "h5p:3", amount=6)
    assert BadgeAward.objects.filter(pupil=city.pupil_in).count() == 1


def test_activities_count_games_and_quizzes_not_reversed(city):
    make_badge(school=city.school_one, criterion="activities", threshold=2, name="A")
    first = award(city.pupil_in, "h5p:1")
    award(city.pupil_in, "teacher:x", kind=EntryKind.TEACHER)
    ledger.points_reverse(entry=first, by=city.teacher)
    award(city.pupil_in, "practice:1", kind=EntryKind.PRACTICE)
    assert held(city.pupil_in) == set()
    award(city.pupil_in, "practice:2", kind=EntryKind.PRACTICE)
    assert held(city.pupil_in) == {"A"}


def test_quiz_wins_count_only_the_winners_awards(city):
    make_badge(school=city.school_one, criterion="quiz_wins", threshold=2, name="Q")
    award(city.pupil_in, "quiz:1:0", kind=EntryKind.QUIZ_GAME)
    award(city.pupil_in, "quizwin:1", kind=EntryKind.QUIZ_GAME)
    assert held(city.pupil_in) == set()
    award(city.pupil_in, "quizwin:2", kind=EntryKind.QUIZ_GAME)
    assert held(city.pupil_in) == {"Q"}


def test_the_streak_is_recorded_by_the_award_and_earns_its_badge(city):
    make_badge(school=city.school_one, criterion="streak", threshold=1, name="S")
    award(city.pupil_in, "h5p:1")
    assert Streak.objects.get(pupil=city.pupil_in).current == 1
    assert held(city.pupil_in) == {"S"}


def test_a_longer_streak_is_needed_for_a_longer_badge(city):
    make_badge(school=city.school_one, criterion="streak", threshold=3, name="S3")
    Streak.objects.create(pupil=city.pupil_in, current=2, longest=2)
    award(city.pupil_in, "h5p:1")
    assert held(city.pupil_in) == set()
    Streak.objects.filter(pupil=city.pupil_in).update(longest=3)
    award(city.pupil_in, "h5p:2")
    assert held(city.pupil_in) == {"S3"}


def test_subject_mastery_counts_that_subject_net_of_reversals(city):
    physics = factories.SubjectFactory(code="physics")
    make_badge(
        school=city.school_one,
        criterion="mastery",
        threshold=10,
        subject=city.maths,
        name="M",
    )
    first = award(city.pupil_in, "h5p:1", amount=8, subject=city.maths)
    award(city.pupil_in, "h5p:2", amount=8, subject=physics)
    ledger.points_reverse(entry=first, by=city.teacher)
    award(city.pupil_in, "h5p:3", amount=8, subject=city.maths)
    assert held(city.pupil_in) == set()
    award(city.pupil_in, "h5p:4", amount=2, subject=city.maths)
    assert held(city.pupil_in) == {"M"}


def test_only_active_badges_of_the_pupils_schools_and_the_city(city):
    make_badge(school=city.school_one, threshold=1, name="mine")
    make_badge(school=city.school_two, threshold=1, name="theirs")
    make_badge(school=None, threshold=1, name="city")
    make_badge(school=city.school_one, threshold=1, name="off", active=False)
    award(city.pupil_in, "h5p:1")
    assert held(city.pupil_in) == {"mine", "city"}
    city_award = BadgeAward.objects.get(badge__name="city", pupil=city.pupil_in)
    assert city_award.school == city.school_one


def test_evaluating_again_awards_nothing_more(city):
    make_badge(school=city.school_one, threshold=1)
    award(city.pupil_in, "h5p:1")
    assert badges_evaluate(pupil=city.pupil_in) == []
    assert BadgeAward.objects.count() == 1


def test_evaluation_costs_a_few_queries(city, django_assert_max_num_queries):
    for n in range(5):
        make_badge(school=city.school_one, threshold=100 + n)
    make_badge(school=city.school_one, criterion="activities", threshold=50)
    # Schools (2), the candidates, one per criterion measured, the savepoint (2):
    # not one per badge.
    with django_assert_max_num_queries(7):
        badges_evaluate(pupil=city.pupil_in)


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_give_a_badge_once(city):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite runs them one by one)")
    make_badge(school=city.school_one, threshold=1, name="once")

    def deliver(n: int):
        try:
            return award(city.pupil_in, f"h5p:{n}", amount=1)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(deliver, range(40)))
    assert BadgeAward.objects.filter(pupil=city.pupil_in).count() == 1
    assert Streak.objects.get(pupil=city.pupil_in).current == 1


@pytest.mark.django_db(transaction=True)
def test_the_award_event_names_the_new_badges_after_commit(city):
    make_badge(school=city.school_one, threshold=1, name="Первая звезда")

    async def listen_while_awarding() -> dict:
        # One event loop for the channel and its group: Redis pub/sub keeps a
        # channel on the loop that made it.
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(f"family.{city.pupil_in.pk}", channel)
        await sync_to_async(award)(city.pupil_in, "h5p:1", amount=3, reason="Дроби")
        return await layer.receive(channel)

    message = async_to_sync(listen_while_awarding)()
    assert message["type"] == "family.event"
    assert message["kind"] == "points"
    data = message["data"]
    assert data["type"] == "points.awarded"
    assert (data["amount"], data["balance"], data["xp"]) == (3, 3, 3)
    assert data["badges"] == ["Первая звезда"]


def test_badges_of_lists_a_pupils_awards_in_one_query(city, django_assert_num_queries):
    make_badge(school=city.school_one, threshold=1, name="a")
    make_badge(school=None, threshold=1, name="b")
    award(city.pupil_in, "h5p:1")
    with django_assert_num_queries(1):
        names = [(a.badge.name, a.school.name) for a in badges_of(city.pupil_in)]
    assert sorted(name for name, _ in names) == ["a", "b"]
    assert list(badges_of(city.pupil_out)) == []


def test_a_mastery_badge_needs_a_subject_and_only_it_has_one(city):
    with pytest.raises(ValidationError):
        make_badge(school=city.school_one, criterion="mastery")
    with pytest.raises(ValidationError):
        make_badge(school=city.school_one, subject=city.maths)
    assert not Badge.objects.exists()


# --- Art


def png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


@pytest.mark.parametrize("shape", ["circle", "shield", "star", "hexagon"])
def test_drawn_art_is_a_512_png(shape):
    image = png(
        badge_art.art_draw(name="Юный математик", colour="#1565C0", shape=shape)
    )
    assert image.size == (512, 512)
    assert image.getpixel((256, 256))[3] == 255  # the shape is filled


def test_a_new_badge_gets_drawn_art_and_redraw_on_request(city):
    badge = make_badge(school=city.school_one, colour="#FF0000")
    drawn = bytes(badge.art)
    assert png(drawn).size == (512, 512)
    badge.colour = "#0000FF"
    badge_save(badge=badge, by=city.teacher)
    assert bytes(badge.art) == drawn
    badge_save(badge=badge, by=city.teacher, redraw=True)
    assert bytes(badge.art) != drawn


def test_an_upload_is_cropped_to_512_and_loses_its_metadata():
    source = Image.new("RGB", (1200, 800), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {2: (55.0, 45.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    source.save(buffer, format="JPEG", exif=exif, comment=b"where I live")
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), "image/jpeg")

    result = badge_art.art_from_upload(upload)

    image = png(result)
    assert image.size == (512, 512)
    assert not image.getexif()
    assert b"SecretCamera" not in result and b"where I live" not in result


@pytest.mark.parametrize(
    "content", [b"not an image", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b""]
)
def test_an_upload_that_is_not_a_picture_is_refused(content):
    with pytest.raises(ValidationError):
        badge_art.art_from_upload(SimpleUploadedFile("x.png", content, "image/png"))


# --- Revocation


def test_revoking_needs_a_reason_and_happens_once(city):
    held_award = make_award(city)
    with pytest.raises(ValidationError):
        badge_award_revoke(award=held_award, by=city.admin_one, reason="  ")
    badge_award_revoke(award=held_award, by=city.admin_one, reason="Ошибка")
    assert held_award.revoked_at is not None
    assert held_award.revoked_by == city.admin_one
    with pytest.raises(ValidationError):
        badge_award_revoke(award=held_award, by=city.admin_one, reason="Снова")
    # The pupil does not earn the revoked badge again.
    award(city.pupil_in, "h5p:9")
    assert BadgeAward.objects.filter(pupil=city.pupil_in).count() == 1
    assert list(badges_of(city.pupil_in)) == []
