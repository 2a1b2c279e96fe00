"""The class points page: a teacher of the class awards skills, reverses the
class's awards, manages skills and teams; nobody else reaches it."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gamification import ledger
from gamification.models import (
    EntryKind,
    PointsAccount,
    PointsEntry,
    Skill,
    Team,
    TeamMembership,
)
from tests import factories

pytestmark = pytest.mark.django_db


def class_url(name, city, *args):
    return reverse(f"gamification:{name}", args=[city.class_in.pk, *args])


def make_skill(class_group, **fields) -> Skill:
    fields = {"name": "Помог другу", "points": 2, **fields}
    return Skill.objects.create(
        school=class_group.school, class_group=class_group, **fields
    )


def award_data(skill, *pupils, form_id=None) -> dict:
    return {
        "form_id": str(form_id or uuid.uuid4()),
        "skill": skill.pk,
        "pupils": [p.pk for p in pupils],
    }


def test_teacher_sees_the_class_as_cards(client, city):
    make_skill(city.class_in)
    client.force_login(city.teacher)
    response = client.get(class_url("class_points", city))
    assert response.status_code == 200
    assert f'data-pupil="{city.pupil_in.pk}"' in response.content.decode()
    assert f'data-pupil="{city.pupil_out.pk}"' not in response.content.decode()


def test_homeroom_teacher_reaches_the_page(client, city):
    homeroom = factories.UserFactory(roles=["teacher"])
    city.class_in.homeroom_teacher = homeroom
    city.class_in.save(update_fields=["homeroom_teacher"])
    client.force_login(homeroom)
    assert client.get(class_url("class_points", city)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["other_teacher", "pupil_in", "parent", "admin_one", "admin_two"]
)
def test_only_teachers_of_the_class_reach_it(client, city, persona):
    skill = make_skill(city.class_in)
    client.force_login(getattr(city, persona))
    assert client.get(class_url("class_points", city)).status_code == 404
    data = award_data(skill, city.pupil_in)
    assert client.post(class_url("class_award", city), data).status_code == 404
    assert not PointsEntry.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, city):
    assert client.get(class_url("class_points", city)).status_code == 302


def test_award_to_several_pupils_counts_once_per_form(client, city):
    other = factories.make_pupil(city.class_in, username="masha")
    skill = make_skill(city.class_in, points=3)
    client.force_login(city.teacher)
    data = award_data(skill, city.pupil_in, other)
    assert client.post(class_url("class_award", city), data).status_code == 302
    assert client.post(class_url("class_award", city), data).status_code == 302
    entries = PointsEntry.objects.filter(kind=EntryKind.TEACHER)
    assert entries.count() == 2
    entry = entries.get(pupil=city.pupil_in)
    assert entry.source_key == f"teacher:{data['form_id']}"
    assert (entry.amount, entry.reason, entry.skill_id) == (3, skill.name, skill.pk)
    assert (entry.class_group_id, entry.awarded_by_id) == (
        city.class_in.pk,
        city.teacher.pk,
    )
    assert PointsAccount.objects.get(pupil=other).balance == 3


def test_a_pupil_of_another_class_cannot_be_awarded(client, city):
    skill = make_skill(city.class_in)
    client.force_login(city.teacher)
    data = award_data(skill, city.pupil_out)
    assert client.post(class_url("class_award", city), data).status_code == 400
    assert not PointsEntry.objects.exists()


def test_another_classs_skill_or_an_archived_one_is_refused(client, city):
    foreign = make_skill(city.class_out)
    archived = make_skill(city.class_in, archived=True)
    client.force_login(city.teacher)
    for skill in (foreign, archived):
        data = award_data(skill, city.pupil_in)
        assert client.post(class_url("class_award", city), data).status_code == 400
    assert not PointsEntry.objects.exists()


def test_a_school_wide_skill_can_be_awarded(client, city):
    skill = Skill.objects.create(school=city.school_one, name="Школа", points=1)
    client.force_login(city.teacher)
    data = award_data(skill, city.pupil_in)
    assert client.post(class_url("class_award", city), data).status_code == 302
    assert PointsEntry.objects.get().skill == skill


def test_award_form_without_pupils_or_id_is_a_clear_error(client, city):
    skill = make_skill(city.class_in)
    client.force_login(city.teacher)
    data = award_data(skill)
    assert client.post(class_url("class_award", city), data).status_code == 400
    data = award_data(skill, city.pupil_in) | {"form_id": "x"}
    assert client.post(class_url("class_award", city), data).status_code == 400
    assert not PointsEntry.objects.exists()


def test_teacher_adds_and_archives_skills(client, city):
    client.force_login(city.teacher)
    data = {"name": "Активность", "points": 4}
    assert client.post(class_url("skill_add", city), data).status_code == 302
    skill = Skill.objects.get(name="Активность")
    assert (skill.class_group, skill.points) == (city.class_in, 4)
    bad = {"name": "Слишком", "points": 9}
    assert client.post(class_url("skill_add", city), bad).status_code == 400
    url = class_url("skill_archive", city, skill.pk)
    assert client.post(url).status_code == 302
    skill.refresh_from_db()
    assert skill.archived


def test_school_skill_is_not_archived_by_a_teacher(client, city):
    skill = Skill.objects.create(school=city.school_one, name="Школа", points=1)
    client.force_login(city.teacher)
    client.post(class_url("skill_archive", city, skill.pk))
    skill.refresh_from_db()
    assert not skill.archived


def test_other_teacher_cannot_change_skills(client, city):
    skill = make_skill(city.class_in)
    client.force_login(city.other_teacher)
    assert client.post(class_url("skill_archive", city, skill.pk)).status_code == 404
    data = {"name": "x", "points": 1}
    assert client.post(class_url("skill_add", city), data).status_code == 404
    skill.refresh_from_db()
    assert not skill.archived


def test_teacher_reverses_an_award_of_the_class_once(client, city):
    entry = ledger.points_award(
        pupil=city.pupil_in,
        source_key="teacher:x",
        kind=EntryKind.TEACHER,
        amount=2,
        class_group=city.class_in,
    )
    client.force_login(city.teacher)
    url = class_url("class_reverse", city, entry.pk)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a message, not a second reversal
    assert PointsEntry.objects.filter(reverses=entry).count() == 1
    assert PointsAccount.objects.get(pupil=city.pupil_in).balance == 0


def test_entries_of_another_class_are_not_reversed_here(client, city):
    foreign = ledger.points_award(
        pupil=city.pupil_out,
        source_key="teacher:y",
        kind=EntryKind.TEACHER,
        amount=2,
        class_group=city.class_out,
    )
    client.force_login(city.teacher)
    assert client.post(class_url("class_reverse", city, foreign.pk)).status_code == 404
    mine = ledger.points_award(
        pupil=city.pupil_in,
        source_key="teacher:z",
        kind=EntryKind.TEACHER,
        amount=2,
        class_group=city.class_in,
    )
    client.force_login(city.other_teacher)
    assert client.post(class_url("class_reverse", city, mine.pk)).status_code == 404
    assert not PointsEntry.objects.filter(kind=EntryKind.REVERSAL).exists()


def test_teacher_forms_and_deletes_teams(client, city):
    masha = factories.make_pupil(city.class_in, username="masha")
    client.force_login(city.teacher)
    data = {"name": "Ракеты", "pupils": [city.pupil_in.pk, masha.pk]}
    assert client.post(class_url("team_add", city), data).status_code == 302
    # Forming another team moves the pupil over.
    data = {"name": "Кометы", "pupils": [masha.pk]}
    assert client.post(class_url("team_add", city), data).status_code == 302
    assert TeamMembership.objects.get(pupil=masha).team.name == "Кометы"
    rockets = Team.objects.get(name="Ракеты")
    assert client.post(class_url("team_delete", city, rockets.pk)).status_code == 302
    assert not Team.objects.filter(name="Ракеты").exists()


def test_teams_accept_only_the_class_pupils(client, city):
    client.force_login(city.teacher)
    data = {"name": "Чужие", "pupils": [city.pupil_out.pk]}
    assert client.post(class_url("team_add", city), data).status_code == 400
    assert not Team.objects.exists()
    team = Team.objects.create(class_group=city.class_out, name="7Б")
    assert client.post(class_url("team_delete", city, team.pk)).status_code == 404
    client.force_login(city.other_teacher)
    data = {"name": "x", "pupils": []}
    assert client.post(class_url("team_add", city), data).status_code == 404


def test_class_page_queries_do_not_grow_with_the_class(client, city):
    skill = make_skill(city.class_in)
    first = Team.objects.create(class_group=city.class_in, name="first")
    # A member from the start: prefetching skips the pupils of memberless teams.
    TeamMembership.objects.create(
        team=first, class_group=city.class_in, pupil=city.pupil_in
    )
    client.force_login(city.teacher)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(class_url("class_points", city)).status_code == 200
        return len(queries)

    small = count()
    for n in range(5):
        pupil = factories.make_pupil(city.class_in, username=f"p{n}")
        ledger.points_award(
            pupil=pupil,
            source_key=f"teacher:{n}",
            kind=EntryKind.TEACHER,
            amount=1,
            class_group=city.class_in,
            skill=skill,
        )
        team = Team.objects.create(class_group=city.class_in, name=f"t{n}")
        TeamMembership.objects.create(team=team, class_group=city.class_in, pupil=pupil)
    assert count() == small
