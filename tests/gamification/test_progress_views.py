"""A pupil's points page and its read-only copy for their parents."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gamification import ledger
from gamification.models import EntryKind, PupilGamificationSettings
from tests import factories
from tests.gamification.badge_factories import make_award

pytestmark = pytest.mark.django_db


def award(pupil, key="teacher:1", amount=60):
    return ledger.points_award(
        pupil=pupil, source_key=key, kind=EntryKind.TEACHER, amount=amount
    )


def child_url(pupil):
    return reverse("gamification:child", args=[pupil.pk])


def test_pupil_sees_balance_level_streak_entries_and_badges(client, city):
    badge = make_award(city)
    award(city.pupil_in)
    client.force_login(city.pupil_in)
    response = client.get(reverse("gamification:me"))
    assert response.status_code == 200
    context = response.context
    assert context["account"].balance == 61
    assert context["level"].number == 2
    assert context["streak"] == 1
    assert len(context["entries"]) == 2
    html = response.content.decode()
    assert f'data-badge="{badge.badge_id}"' in html
    assert 'id="hide-name-form"' in html
    assert reverse("gamification:rewards") in html
    assert reverse("gamification:class_leaderboard", args=[city.class_in.pk]) in html


def test_a_pupil_without_points_sees_zeroes(client, city):
    client.force_login(city.pupil_in)
    response = client.get(reverse("gamification:me"))
    assert response.status_code == 200
    assert (response.context["account"].balance, response.context["streak"]) == (0, 0)


@pytest.mark.parametrize("persona", ["teacher", "parent", "admin_one"])
def test_my_points_page_is_for_pupils(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get(reverse("gamification:me")).status_code == 403
    assert client.post(reverse("gamification:me_privacy")).status_code == 403


def test_pupil_hides_and_shows_their_name(client, city):
    client.force_login(city.pupil_in)
    url = reverse("gamification:me_privacy")
    assert client.post(url, {"hide_name": "on"}).status_code == 302
    assert PupilGamificationSettings.objects.get(pupil=city.pupil_in).hide_name
    assert client.post(url, {}).status_code == 302
    assert not PupilGamificationSettings.objects.get(pupil=city.pupil_in).hide_name


def test_pupil_chooses_to_be_named_on_the_school_board(client, city):
    client.force_login(city.pupil_in)
    page = client.get(reverse("gamification:me")).content.decode()
    assert 'name="show_name_in_school"' in page
    assert "checked" not in page.split('name="show_name_in_school"')[1][:40]
    client.post(reverse("gamification:me_privacy"), {"show_name_in_school": "on"})
    prefs = PupilGamificationSettings.objects.get(pupil=city.pupil_in)
    assert prefs.show_name_in_school and not prefs.hide_name


def test_parent_sees_their_child_read_only(client, city):
    award(city.pupil_in)
    client.force_login(city.parent)
    response = client.get(child_url(city.pupil_in))
    assert response.status_code == 200
    assert response.context["account"].balance == 60
    html = response.content.decode()
    assert 'id="hide-name-form"' not in html
    assert reverse("gamification:rewards") not in html


@pytest.mark.parametrize(
    "persona", ["other_parent", "teacher", "pupil_in", "pupil_out", "admin_one"]
)
def test_nobody_else_sees_the_child_page(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get(child_url(city.pupil_in)).status_code == 404


def test_another_familys_child_is_not_found(client, city):
    client.force_login(city.parent)
    assert client.get(child_url(city.pupil_out)).status_code == 404
    assert client.get(child_url(city.parent)).status_code == 404
    assert client.get(reverse("gamification:child", args=[999999])).status_code == 404


def test_points_link_leads_each_role_to_their_page(client, city):
    client.force_login(city.pupil_in)
    assert client.get(reverse("gamification:home")).url == reverse("gamification:me")
    client.force_login(city.parent)
    assert client.get(reverse("gamification:home")).url == child_url(city.pupil_in)
    client.force_login(city.teacher)
    response = client.get(reverse("gamification:home"))
    assert response.status_code == 200
    class_url = reverse("gamification:class_points", args=[city.class_in.pk])
    assert class_url in response.content.decode()
    assert (
        class_url.replace(str(city.class_in.pk), str(city.class_out.pk))
        not in response.content.decode()
    )


def test_a_parent_of_two_chooses_a_child(client, city):
    second = factories.make_pupil(city.class_out, username="second")
    parent = factories.make_parent(city.pupil_in, second, username="two")
    client.force_login(parent)
    response = client.get(reverse("gamification:home"))
    assert response.status_code == 200
    assert child_url(second) in response.content.decode()


def test_progress_page_queries_do_not_grow(client, city):
    make_award(city)
    client.force_login(city.pupil_in)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("gamification:me"))
        return len(queries)

    before = count()
    for n in range(10):
        award(city.pupil_in, key=f"teacher:n{n}", amount=1)
    assert count() == before
