"""Badge pages as people use them: the pupil's and parent's downloads, the
public check page (no child's name), the issuer's profile and status list,
revocation, and badge editing in the Wagtail admin.

Personas: tests/conftest.py `city`.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from gamification import openbadges
from gamification.badges import badge_award_revoke
from gamification.models import Badge
from tests.gamification.badge_factories import make_award, make_badge

pytestmark = pytest.mark.django_db

HOLDER_VIEWS = [
    "gamification:badge_award",
    "gamification:badge_credential_jwt",
    "gamification:badge_credential_json",
    "gamification:badge_baked_png",
]


@pytest.fixture
def held(city):
    return make_award(city)


def as_user(client, user):
    client.force_login(user)
    return client


def url(name, award):
    return reverse(name, args=[award.public_id])


# --- The pupil's and the parent's downloads


@pytest.mark.parametrize("view", HOLDER_VIEWS)
@pytest.mark.parametrize("persona", ["pupil_in", "parent"])
def test_the_pupil_and_their_parent_download_the_credential(
    client, city, held, view, persona
):
    response = as_user(client, getattr(city, persona)).get(url(view, held))
    assert response.status_code == 200
    if view != "gamification:badge_award":
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("view", HOLDER_VIEWS)
@pytest.mark.parametrize(
    "persona",
    ["pupil_out", "other_parent", "teacher", "other_teacher", "admin_one", "admin_two"],
)
def test_anyone_else_gets_404(client, city, held, view, persona):
    response = as_user(client, getattr(city, persona)).get(url(view, held))
    assert response.status_code == 404


@pytest.mark.parametrize("view", HOLDER_VIEWS)
def test_signed_out_visitors_are_sent_to_sign_in(client, held, view):
    response = client.get(url(view, held))
    assert response.status_code == 302


def test_the_downloads_carry_the_signed_credential(client, city, held):
    client = as_user(client, city.pupil_in)
    token = client.get(url("gamification:badge_credential_jwt", held)).content.decode()
    assert openbadges.credential_verify(token).status == "valid"
    body = client.get(url("gamification:badge_credential_json", held)).json()
    assert body["jwt"] == token
    assert body["credential"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    baked = client.get(url("gamification:badge_baked_png", held)).content
    assert openbadges.token_from_png(baked) == token
    assert Image.open(io.BytesIO(baked)).size == (512, 512)


def test_the_award_page_links_every_download(client, city, held):
    html = as_user(client, city.parent).get(url("gamification:badge_award", held))
    text = html.content.decode()
    for kind in ("png", "jwt", "json", "verify"):
        assert f'data-download="{kind}"' in text


@pytest.mark.parametrize("view", HOLDER_VIEWS[1:])
def test_a_revoked_badge_is_not_downloaded(client, city, held, view):
    badge_award_revoke(award=held, by=city.admin_one, reason="Ошибка")
    response = as_user(client, city.pupil_in).get(url(view, held))
    assert response.status_code == 410


# --- The public check page


def test_the_check_page_is_public_and_names_no_child(client, city, held):
    response = client.get(url("gamification:badge_verify_award", held))

    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-status="valid"' in text
    assert city.school_one.name in text and "Звезда" in text
    for personal in (city.pupil_in.username, city.pupil_in.first_name):
        assert personal not in text


def test_opening_the_check_page_writes_nothing(client, city, held):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("gamification:badge_verify_award", held))
    assert response.status_code == 200
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_the_check_page_shows_a_revoked_badge(client, city, held):
    badge_award_revoke(award=held, by=city.admin_one, reason="Списал")
    response = client.get(url("gamification:badge_verify_award", held))
    assert 'data-status="revoked"' in response.content.decode()
    assert "Списал" not in response.content.decode()


def test_an_unknown_badge_id_is_404(client, db):
    response = client.get(
        reverse(
            "gamification:badge_verify_award",
            args=["00000000-0000-4000-8000-000000000000"],
        )
    )
    assert response.status_code == 404


def test_a_pasted_credential_is_checked(client, held):
    token = openbadges.credential_issue(award=held)
    response = client.post(reverse("gamification:badge_verify"), {"token": token})
    assert response.status_code == 200
    assert 'data-status="valid"' in response.content.decode()


def test_an_uploaded_baked_png_is_checked(client, held):
    baked = openbadges.credential_bake(award=held)
    upload = SimpleUploadedFile("badge.png", baked, "image/png")
    response = client.post(reverse("gamification:badge_verify"), {"image": upload})
    assert 'data-status="valid"' in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"token": "not-a-credential"},
        {"image": SimpleUploadedFile("x.png", b"\x89PNG broken", "image/png")},
        {"image": SimpleUploadedFile("x.txt", b"hello", "text/plain")},
    ],
)
def test_what_is_not_a_credential_is_reported_invalid(client, db, data):
    response = client.post(reverse("gamification:badge_verify"), data)
    assert response.status_code == 200
    assert 'data-status="invalid"' in response.content.decode()


def test_an_empty_check_is_a_form_error(client, db):
    response = client.post(reverse("gamification:badge_verify"), {})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_the_check_form_is_shown(client, db):
    response = client.get(reverse("gamification:badge_verify"))
    assert response.status_code == 200
    assert 'id="badge-verify-form"' in response.content.decode()


# --- Issuer profile, status list and art: public


def test_issuer_profile_and_status_list_exist_once_the_school_issued(
    client, city, held
):
    profile_url = reverse("gamification:badge_issuer", args=[city.school_two.pk])
    assert client.get(profile_url).status_code == 404
    openbadges.credential_issue(award=held)
    profile_url = reverse("gamification:badge_issuer", args=[city.school_one.pk])
    assert client.get(profile_url).status_code == 200
    status_url = reverse("gamification:badge_status_list", args=[city.school_one.pk])
    response = client.get(status_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"


def test_badge_art_is_public(client, held):
    response = client.get(reverse("gamification:badge_art", args=[held.badge_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert (
        client.get(reverse("gamification:badge_art", args=[999999])).status_code == 404
    )


# --- Revocation


@pytest.mark.parametrize("persona", ["admin_one", "teacher"])
def test_the_school_admin_or_the_badges_author_revokes(client, city, held, persona):
    client = as_user(client, getattr(city, persona))
    revoke_url = url("gamification:badge_award_revoke", held)
    assert client.get(revoke_url).status_code == 200

    response = client.post(revoke_url, {"reason": "Выдан по ошибке"})

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.revoked_at is not None
    assert held.revocation_reason == "Выдан по ошибке"


@pytest.mark.parametrize(
    "persona", ["other_teacher", "admin_two", "pupil_in", "parent", "other_parent"]
)
def test_nobody_else_may_revoke(client, city, held, persona):
    client = as_user(client, getattr(city, persona))
    revoke_url = url("gamification:badge_award_revoke", held)
    assert client.get(revoke_url).status_code == 404
    assert client.post(revoke_url, {"reason": "x"}).status_code == 404
    held.refresh_from_db()
    assert held.revoked_at is None


def test_a_revocation_without_reason_is_refused(client, city, held):
    response = as_user(client, city.admin_one).post(
        url("gamification:badge_award_revoke", held), {"reason": ""}
    )
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.revoked_at is None


def test_a_second_revocation_is_refused_without_change(client, city, held):
    badge_award_revoke(award=held, by=city.admin_one, reason="Первая")
    response = as_user(client, city.teacher).post(
        url("gamification:badge_award_revoke", held), {"reason": "Вторая"}
    )
    assert response.status_code == 400
    held.refresh_from_db()
    assert held.revocation_reason == "Первая"


# --- Editing badges in the Wagtail admin


def badge_form(school, **overrides):
    data = {
        "school": school.pk,
        "name": "Знаток дробей",
        "description": "",
        "criterion": "points",
        "threshold": "50",
        "subject": "",
        "colour": "#1565c0",
        "shape": "star",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_a_teacher_creates_a_badge_of_their_school_with_drawn_art(client, city):
    response = as_user(client, city.teacher).post(
        reverse("badges:add"), badge_form(city.school_one)
    )

    assert response.status_code == 302
    badge = Badge.objects.get()
    assert badge.created_by == city.teacher
    assert badge.colour == "#1565C0"
    assert Image.open(io.BytesIO(bytes(badge.art))).size == (512, 512)


def test_an_uploaded_picture_becomes_the_art(client, city):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 10)).save(buffer, format="JPEG")
    data = badge_form(city.school_one)
    data["upload"] = SimpleUploadedFile("art.jpg", buffer.getvalue(), "image/jpeg")

    response = as_user(client, city.teacher).post(reverse("badges:add"), data)

    assert response.status_code == 302
    art = Image.open(io.BytesIO(bytes(Badge.objects.get().art)))
    assert (art.format, art.size) == ("PNG", (512, 512))
    assert art.getpixel((256, 256))[:3] == pytest.approx((10, 200, 10), abs=3)


def test_a_bad_picture_is_a_form_error_and_nothing_is_saved(client, city):
    data = badge_form(city.school_one)
    data["upload"] = SimpleUploadedFile("art.png", b"nope", "image/png")
    response = as_user(client, city.teacher).post(reverse("badges:add"), data)
    assert response.status_code == 200
    assert "upload" in response.context["form"].errors
    assert not Badge.objects.exists()


def test_a_teacher_cannot_create_a_badge_for_another_school(client, city):
    response = as_user(client, city.teacher).post(
        reverse("badges:add"), badge_form(city.school_two)
    )
    assert response.status_code == 200
    assert "school" in response.context["form"].errors
    assert not Badge.objects.exists()


def test_a_teacher_cannot_create_a_city_badge(client, city):
    data = badge_form(city.school_one)
    data["school"] = ""
    response = as_user(client, city.teacher).post(reverse("badges:add"), data)
    assert response.status_code == 200
    assert not Badge.objects.exists()


def test_a_mastery_badge_without_subject_is_a_form_error(client, city):
    response = as_user(client, city.admin_one).post(
        reverse("badges:add"), badge_form(city.school_one, criterion="mastery")
    )
    assert response.status_code == 200
    assert not Badge.objects.exists()


def test_a_teacher_edits_only_their_own_badges(client, city):
    own = make_badge(school=city.school_one, by=city.teacher, name="Моя")
    admins = make_badge(school=city.school_one, by=city.admin_one, name="Школьная")
    client = as_user(client, city.teacher)

    assert client.get(reverse("badges:edit", args=[own.pk])).status_code == 200
    response = client.post(
        reverse("badges:edit", args=[admins.pk]), badge_form(city.school_one)
    )
    assert response.status_code in (403, 404)
    admins.refresh_from_db()
    assert admins.name == "Школьная"

    listing = client.get(reverse("badges:index")).content.decode()
    assert "Моя" in listing and "Школьная" not in listing


def test_a_school_admin_edits_every_badge_of_their_school_only(client, city):
    teachers = make_badge(school=city.school_one, by=city.teacher, name="Учителя")
    other = make_badge(school=city.school_two, by=city.other_teacher, name="Чужая")
    city_badge = make_badge(school=None, name="Городская")

    client = as_user(client, city.admin_one)
    response = client.post(
        reverse("badges:edit", args=[teachers.pk]),
        badge_form(city.school_one, name="Переименована"),
    )
    assert response.status_code == 302
    teachers.refresh_from_db()
    assert teachers.name == "Переименована"
    assert teachers.created_by == city.teacher
    for badge in (other, city_badge):
        response = client.get(reverse("badges:edit", args=[badge.pk]))
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("persona", ["pupil_in", "parent"])
def test_pupils_and_parents_do_not_reach_the_badge_admin(client, city, persona):
    badge = make_badge(school=city.school_one, by=city.teacher)
    client = as_user(client, getattr(city, persona))
    for admin_url in (
        reverse("badges:index"),
        reverse("badges:add"),
        reverse("badges:edit", args=[badge.pk]),
    ):
        assert client.get(admin_url).status_code in (302, 403)


def test_the_awards_list_offers_revocation_to_whoever_may_revoke(client, city, held):
    revoke_url = url("gamification:badge_award_revoke", held)
    for persona in ("admin_one", "teacher"):
        listing = as_user(client, getattr(city, persona)).get(
            reverse("badge_awards:index")
        )
        assert listing.status_code == 200
        assert revoke_url in listing.content.decode()
    for persona in ("admin_two", "other_teacher"):
        listing = as_user(client, getattr(city, persona)).get(
            reverse("badge_awards:index")
        )
        assert revoke_url not in listing.content.decode()
    for persona in ("pupil_in", "parent"):
        listing = as_user(client, getattr(city, persona)).get(
            reverse("badge_awards:index")
        )
        assert listing.status_code in (302, 403)


def test_awards_cannot_be_edited_in_the_admin(client, city, held):
    response = as_user(client, city.admin_one).post(
        reverse("badge_awards:edit", args=[held.pk]), {"revocation_reason": "x"}
    )
    assert response.status_code in (302, 403, 404)
    held.refresh_from_db()
    assert held.revocation_reason == ""


def test_the_achievement_a_credential_names_is_served(client, city, held):
    claims = openbadges.credential_for(held).to_vc()
    achievement_id = claims["credentialSubject"]["achievement"]["id"]
    response = client.get(achievement_id.removeprefix(openbadges._absolute("")))
    assert response.status_code == 200
    assert response.json()["id"] == achievement_id
    assert response.json()["name"] == "Звезда"
