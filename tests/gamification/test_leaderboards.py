"""Leaderboards: XP earned in the week or term, by class, school and team;
one query each; seen only inside the class or school; names hidden on request;
parents see only their own child's name."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gamification import class_points, leaderboards, ledger
from gamification.access import BoardView
from gamification.models import EntryKind, PointsEntry, Team, TeamMembership
from gamification.progress import city_today
from tests import factories

pytestmark = pytest.mark.django_db


def award(pupil, key, amount, class_group=None):
    return ledger.points_award(
        pupil=pupil,
        source_key=key,
        kind=EntryKind.TEACHER,
        amount=amount,
        class_group=class_group,
    )


def week(school):
    return leaderboards.period_for(leaderboards.WEEK, school=school)


def scores(rows) -> dict:
    return {row.pupil_id or row.name: row.score for row in rows}


def test_week_runs_monday_to_sunday_in_the_city(city):
    wednesday = datetime.date(2026, 11, 25)
    period = leaderboards.period_for(
        leaderboards.WEEK, school=city.school_one, today=wednesday
    )
    assert (period.starts_on, period.ends_on) == (
        datetime.date(2026, 11, 23),
        datetime.date(2026, 11, 29),
    )
    start, _end = period.bounds
    assert start.tzinfo is not None
    assert timezone.localtime(start).hour == 0


def test_term_is_the_schools_current_term_or_none(city):
    assert leaderboards.period_for(leaderboards.TERM, school=city.school_one) is None
    term = factories.make_term(city.class_in)
    period = leaderboards.period_for(leaderboards.TERM, school=city.school_one)
    assert (period.starts_on, period.ends_on) == (term.starts_on, term.ends_on)
    assert leaderboards.period_for(leaderboards.TERM, school=city.school_two) is None


def test_score_is_xp_of_the_period_and_reversals_count_negative(city):
    masha = factories.make_pupil(city.class_in, username="masha")
    award(city.pupil_in, "teacher:1", 5, city.class_in)
    gone = award(city.pupil_in, "teacher:2", 3, city.class_in)
    ledger.points_reverse(entry=gone, by=city.teacher)
    award(masha, "teacher:3", 4)
    old = award(masha, "teacher:4", 50)
    last_week = timezone.now() - datetime.timedelta(days=8)
    PointsEntry.objects.filter(pk=old.pk).update(created_at=last_week)
    # Spending takes no XP: the board does not move.
    ledger.points_spend(pupil=city.pupil_in, source_key="reward:1", amount=2, reason="")
    rows = leaderboards.class_board(city.class_in, week(city.school_one))
    assert [row.pupil_id for row in rows] == [city.pupil_in.pk, masha.pk]
    assert scores(rows) == {city.pupil_in.pk: 5, masha.pk: 4}
    assert city.pupil_out.pk not in scores(rows)


def test_ties_share_a_rank_and_pupils_without_points_are_listed(city):
    masha = factories.make_pupil(city.class_in, username="masha")
    kolya = factories.make_pupil(city.class_in, username="kolya")
    award(city.pupil_in, "teacher:1", 3)
    award(masha, "teacher:2", 3)
    rows = leaderboards.class_board(city.class_in, week(city.school_one))
    assert [row.rank for row in rows] == [1, 1, 3]
    assert rows[-1].pupil_id == kolya.pk
    assert rows[-1].score == 0


def test_school_board_has_every_class_of_the_school(city):
    other_class = factories.ClassGroupFactory(
        academic_year=city.class_in.academic_year, grade=6
    )
    sasha = factories.make_pupil(other_class, username="sasha")
    award(sasha, "teacher:1", 7)
    award(city.pupil_in, "teacher:2", 2)
    rows = leaderboards.school_board(city.school_one, week(city.school_one))
    assert scores(rows) == {sasha.pk: 7, city.pupil_in.pk: 2}


def test_team_board_sums_its_members(city):
    masha = factories.make_pupil(city.class_in, username="masha")
    kolya = factories.make_pupil(city.class_in, username="kolya")
    class_points.team_form(
        class_group=city.class_in, name="Ракеты", pupils=[city.pupil_in, masha]
    )
    class_points.team_form(class_group=city.class_in, name="Кометы", pupils=[kolya])
    class_points.team_form(class_group=city.class_in, name="Пустые", pupils=[])
    award(city.pupil_in, "teacher:1", 2)
    award(masha, "teacher:2", 3)
    award(kolya, "teacher:3", 4)
    rows = leaderboards.team_board(city.class_in, week(city.school_one))
    assert [(row.name, row.score, row.rank) for row in rows] == [
        ("Ракеты", 5, 1),
        ("Кометы", 4, 2),
        ("Пустые", 0, 3),
    ]


def test_each_board_is_one_query(city, django_assert_num_queries):
    period = week(city.school_one)
    for n in range(6):
        pupil = factories.make_pupil(city.class_in, username=f"p{n}")
        award(pupil, f"teacher:{n}", n + 1)
        team = Team.objects.create(class_group=city.class_in, name=f"t{n}")
        TeamMembership.objects.create(team=team, class_group=city.class_in, pupil=pupil)
    class_points.hide_name_set(pupil=city.pupil_in, hide=True)
    with django_assert_num_queries(1):
        assert len(leaderboards.class_board(city.class_in, period)) == 7
    with django_assert_num_queries(1):
        assert len(leaderboards.school_board(city.school_one, period)) == 7
    with django_assert_num_queries(1):
        assert len(leaderboards.team_board(city.class_in, period)) == 6


def test_hidden_names_are_shown_only_to_their_pupil(city):
    masha = factories.make_pupil(city.class_in, username="masha")
    class_points.hide_name_set(pupil=masha, hide=True)
    rows = leaderboards.class_board(city.class_in, week(city.school_one))
    to_petya = leaderboards.rows_shown(
        rows, view=BoardView.MEMBER, own_ids={city.pupil_in.pk}
    )
    to_masha = leaderboards.rows_shown(rows, view=BoardView.MEMBER, own_ids={masha.pk})
    by_mine = {row.mine: row.name for row in to_petya}
    assert by_mine[True]  # Petya's own name
    assert by_mine[False] is None  # Masha is hidden from him
    assert all(row.name for row in to_masha)


# --- The pages


def board_url(city):
    return reverse("gamification:class_leaderboard", args=[city.class_in.pk])


def school_url(school):
    return reverse("gamification:school_leaderboard", args=[school.pk])


@pytest.mark.parametrize("persona", ["pupil_in", "teacher", "parent"])
def test_class_board_is_seen_inside_the_class(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get(board_url(city)).status_code == 200
    assert client.get(board_url(city) + "?period=term").status_code == 200
    assert client.get(board_url(city) + "?period=bogus").status_code == 200


@pytest.mark.parametrize(
    "persona", ["pupil_out", "other_teacher", "other_parent", "admin_two"]
)
def test_class_board_is_hidden_outside_the_class(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get(board_url(city)).status_code == 404


@pytest.mark.parametrize("persona", ["pupil_out", "other_teacher", "other_parent"])
def test_school_board_is_hidden_from_other_schools(client, city, persona):
    client.force_login(getattr(city, persona))
    assert client.get(school_url(city.school_one)).status_code == 404


def test_parent_sees_their_childs_place_but_no_other_names(client, city):
    masha = factories.make_pupil(city.class_in, username="masha", first_name="Маша")
    award(masha, "teacher:1", 9)
    award(city.pupil_in, "teacher:2", 4)
    client.force_login(city.parent)
    for url in (board_url(city), school_url(city.school_one)):
        response = client.get(url)
        assert response.status_code == 200
        rows = response.context["rows"]
        mine = [row for row in rows if row.mine]
        assert [(row.rank, row.score) for row in mine] == [(2, 4)]
        assert mine[0].name
        assert all(row.name is None for row in rows if not row.mine)
        assert "Маша" not in response.content.decode()
    assert not client.get(board_url(city)).context["teams"]


def test_pupil_sees_classmates_except_the_hidden(client, city):
    masha = factories.make_pupil(city.class_in, username="masha", first_name="Маша")
    kolya = factories.make_pupil(city.class_in, username="kolya", first_name="Коля")
    class_points.hide_name_set(pupil=kolya, hide=True)
    award(masha, "teacher:1", 1)
    client.force_login(city.pupil_in)
    response = client.get(board_url(city))
    html = response.content.decode()
    assert "Маша" in html
    assert "Коля" not in html
    assert 'data-anonymous="true"' in html
    assert 'data-mine="true"' in html


def test_board_page_queries_do_not_grow(client, city, django_assert_max_num_queries):
    for n in range(8):
        pupil = factories.make_pupil(city.class_in, username=f"p{n}")
        award(pupil, f"teacher:{n}", n + 1)
    client.force_login(city.pupil_in)
    # session, user, roles, access checks, guardianships, the board, the teams
    with django_assert_max_num_queries(12):
        assert client.get(board_url(city)).status_code == 200


def test_city_day_is_used_for_the_week(city):
    assert week(city.school_one).starts_on <= city_today()


@pytest.mark.parametrize(("persona", "named"), [("pupil_in", True), ("teacher", False)])
def test_school_board_is_seen_inside_the_school(client, city, persona, named):
    """Petya sees his own name; others see his row without it (he did not opt in)."""
    award(city.pupil_in, "teacher:1", 2)
    client.force_login(getattr(city, persona))
    response = client.get(school_url(city.school_one))
    assert response.status_code == 200
    assert [row.score for row in response.context["rows"]] == [2]
    assert [bool(row.name) for row in response.context["rows"]] == [named]


def test_the_school_board_names_only_pupils_who_opted_in(client, city):
    masha = factories.make_pupil(city.class_in, username="masha", first_name="Маша")
    kolya = factories.make_pupil(city.class_in, username="kolya", first_name="Коля")
    vera = factories.make_pupil(city.class_in, username="vera", first_name="Вера")
    class_points.hide_name_set(pupil=masha, hide=False, show_in_school=True)
    # Hiding the name wins over the school opt-in.
    class_points.hide_name_set(pupil=vera, hide=True, show_in_school=True)
    for number, pupil in enumerate((masha, kolya, vera)):
        award(pupil, f"teacher:{number}", number + 1)
    client.force_login(city.pupil_in)

    school_page = client.get(school_url(city.school_one)).content.decode()
    class_page = client.get(board_url(city)).content.decode()

    assert "Маша" in school_page
    assert "Коля" not in school_page and "Вера" not in school_page
    assert "Коля" in class_page  # the class board names by default, as before
    assert "Вера" not in class_page


def test_class_members_see_the_team_board(client, city):
    class_points.team_form(class_group=city.class_in, name="Ракеты", pupils=[])
    client.force_login(city.pupil_in)
    html = client.get(board_url(city)).content.decode()
    assert 'id="team-board"' in html
    assert "Ракеты" in html
