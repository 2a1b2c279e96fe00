"""Role home pages, class and pupil pages and announcements, as a browser sees them."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from school.models import Guardianship, LessonStatus, Notification, Role, RoleGrant
from tests import factories

PERSONAS = [
    "teacher",
    "other_teacher",
    "pupil_in",
    "pupil_out",
    "parent",
    "other_parent",
    "admin_one",
    "admin_two",
]
BACKEND = "school.backends.LocalPasswordBackend"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def page_text(response) -> str:
    """What a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags))


# --- Home page per role: the person's own data and nobody else's.


def test_teacher_home_lists_classes_and_subjects(city):
    text = page_text(signed_in(city.teacher).get("/"))
    assert "5А" in text
    assert "Математика" in text
    assert city.school_one.short_name in text
    assert "7Б" not in text
    assert city.school_two.short_name not in text


def test_pupil_home_shows_class_subjects_and_teachers(city):
    text = page_text(signed_in(city.pupil_in).get("/"))
    assert "5А" in text
    assert city.school_one.name in text
    assert "Математика" in text
    assert city.teacher.full_name in text
    assert city.other_teacher.full_name not in text
    assert "7Б" not in text


def test_parent_home_shows_each_child_with_school_and_class(city):
    second = factories.make_pupil(city.class_out, first_name="Маша")
    Guardianship.objects.create(parent=city.parent, pupil=second)
    text = page_text(signed_in(city.parent).get("/"))
    assert f"{city.pupil_in.full_name} — 5А, {city.school_one.name}" in text
    assert f"{second.full_name} — 7Б, {city.school_two.name}" in text
    assert city.pupil_out.full_name not in text


def test_school_admin_home_shows_their_school(city):
    response = signed_in(city.admin_one).get("/")
    text = page_text(response)
    assert city.school_one.name in text
    url = reverse("school_announce", args=[city.school_one.pk])
    assert f'href="{url}"' in response.content.decode()
    assert city.school_two.name not in text


def test_other_parent_home_shows_only_their_child(city):
    text = page_text(signed_in(city.other_parent).get("/"))
    assert city.pupil_out.full_name in text
    assert city.pupil_in.full_name not in text


# --- Class and pupil pages for every persona.


def names_of_class_in(city) -> list[str]:
    return [city.pupil_in.full_name, city.pupil_in.last_name]


@pytest.mark.parametrize("persona", PERSONAS)
def test_class_page(city, persona):
    allowed = persona in {"teacher", "pupil_in", "admin_one"}
    response = signed_in(getattr(city, persona)).get(
        reverse("class_detail", args=[city.class_in.pk])
    )
    text = page_text(response)
    if allowed:
        assert response.status_code == 200
        assert city.pupil_in.full_name in text
        assert city.teacher.full_name in text
    else:
        assert response.status_code == 404
        for secret in [*names_of_class_in(city), city.teacher.full_name]:
            assert secret not in text


@pytest.mark.parametrize("persona", PERSONAS)
def test_pupil_page(city, persona):
    allowed = persona in {"teacher", "pupil_in", "parent", "admin_one"}
    response = signed_in(getattr(city, persona)).get(
        reverse("pupil_detail", args=[city.pupil_in.pk])
    )
    text = page_text(response)
    if allowed:
        assert response.status_code == 200
        assert city.pupil_in.full_name in text
        assert f"5А, {city.school_one.name}" in text
        assert "Математика" in text
    else:
        assert response.status_code == 404
        for secret in names_of_class_in(city):
            assert secret not in text
        assert city.school_one.name not in text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/classes/{class_id}/",
        "/pupils/{pupil_id}/",
        "/schools/{school_id}/announce/",
    ],
)
def test_anonymous_is_sent_to_sign_in(city, path):
    url = path.format(
        class_id=city.class_in.pk,
        pupil_id=city.pupil_in.pk,
        school_id=city.school_one.pk,
    )
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert city.pupil_in.last_name not in page_text(response)


# --- Announcements.


def test_admin_announces_to_members_and_guardians_of_their_school(city):
    url = reverse("school_announce", args=[city.school_one.pk])
    response = signed_in(city.admin_one).post(url, {"text": "Завтра субботник"})
    assert response.status_code == 302
    recipients = set(
        Notification.objects.filter(text="Завтра субботник").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"alice", "petya", "olga", "admin1"}


def test_announcement_reaches_a_parent_who_is_not_a_member(city):
    assert not city.parent.schools.exists()
    url = reverse("school_announce", args=[city.school_one.pk])
    signed_in(city.admin_one).post(url, {"text": "Родительское собрание"})
    assert Notification.objects.filter(recipient=city.parent).count() == 1


def test_admin_sees_the_sent_confirmation_and_the_parent_sees_it_at_home(city):
    url = reverse("school_announce", args=[city.school_one.pk])
    admin = signed_in(city.admin_one)
    response = admin.post(url, {"text": "Каникулы с понедельника"}, follow=True)
    assert response.status_code == 200
    with translation.override("ru"):
        sent = gettext("The announcement was sent to %(count)d people.") % {"count": 4}
    assert sent in page_text(response)
    home = page_text(signed_in(city.parent).get("/"))
    assert "Каникулы с понедельника" in home


@pytest.mark.parametrize("persona", ["admin_two", "teacher", "parent", "pupil_in"])
def test_others_cannot_announce_to_the_school(city, persona):
    url = reverse("school_announce", args=[city.school_one.pk])
    client = signed_in(getattr(city, persona))
    assert client.get(url).status_code == 404
    response = client.post(url, {"text": "Подделка"})
    assert response.status_code == 404
    assert not Notification.objects.exists()


def test_empty_announcement_shows_the_error_and_sends_nothing(city):
    url = reverse("school_announce", args=[city.school_one.pk])
    response = signed_in(city.admin_one).post(url, {"text": "   "})
    assert response.status_code == 200
    errors = response.context["form"].errors["text"]
    assert errors
    assert errors[0] in page_text(response)
    assert 'role="alert"' in response.content.decode()
    assert not Notification.objects.exists()


# --- Query counts: the home page costs the same however many rows it shows.

HOME_QUERY_BOUND = 7  # one more for a teacher: today's lessons


def parent_with_children(count: int):
    children = []
    for _ in range(count):
        class_group = factories.ClassGroupFactory()
        children.append(factories.make_pupil(class_group))
    return factories.make_parent(*children)


@pytest.mark.parametrize("children", [2, 6])
def test_parent_home_query_count_does_not_grow(
    db, children, django_assert_max_num_queries
):
    parent = parent_with_children(children)
    client = signed_in(parent)
    with django_assert_max_num_queries(HOME_QUERY_BOUND):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/pupils/') == children


def teacher_with_assignments(count: int):
    teacher = factories.UserFactory(roles=[Role.TEACHER])
    for index in range(count):
        class_group = factories.ClassGroupFactory(homeroom_teacher=teacher)
        subject = factories.SubjectFactory(code=f"subject-q{index}")
        class_group.teaching_assignments.create(teacher=teacher, subject=subject)
    return teacher


@pytest.mark.parametrize("assignments", [2, 10])
def test_teacher_home_query_count_does_not_grow(
    db, assignments, django_assert_max_num_queries
):
    teacher = teacher_with_assignments(assignments)
    client = signed_in(teacher)
    with django_assert_max_num_queries(HOME_QUERY_BOUND):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/classes/') == 2 * assignments


def test_teachers_home_lists_todays_lessons_with_their_plan(city):
    given = factories.make_lesson(city.class_in, city.maths, city.teacher, number=2)
    given.topic = "Дроби"
    given.save(update_fields=["topic"])
    cancelled = factories.make_lesson(city.class_in, city.maths, city.teacher, number=3)
    cancelled.status = LessonStatus.CANCELLED
    cancelled.save(update_fields=["status"])
    substituted = factories.make_lesson(
        city.class_in, city.maths, city.teacher, number=4
    )
    substituted.substitute = city.other_teacher
    substituted.save(update_fields=["substitute"])
    yesterday = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=timezone.localdate() - datetime.timedelta(days=1),
    )

    page = signed_in(city.teacher).get("/").content.decode()
    today = re.search(r'data-role="teacher-today".*?</section>', page, re.S)[0]
    assert f'href="/library/plan/{given.pk}/"' in today
    assert "Дроби" in today
    for hidden in (cancelled, substituted, yesterday):
        assert f"/library/plan/{hidden.pk}/" not in today
    substitute_page = signed_in(city.other_teacher).get("/").content.decode()
    assert f'href="/library/plan/{substituted.pk}/"' in substitute_page


def test_after_the_last_lesson_of_the_week_the_home_shows_the_next_day(city):
    today = timezone.localdate()
    later = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=today + datetime.timedelta(days=3),
    )
    further = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=today + datetime.timedelta(days=4),
    )
    page = signed_in(city.teacher).get("/").content.decode()
    today_card = re.search(r'data-role="teacher-today".*?</section>', page, re.S)[0]
    assert "Мои следующие уроки" in today_card
    assert f'href="/library/plan/{later.pk}/"' in today_card
    assert f"/library/plan/{further.pk}/" not in today_card


def test_a_teacher_without_lessons_is_told_so(city):
    page = signed_in(city.teacher).get("/")
    assert "В ближайшие две недели уроков нет." in page_text(page)


def test_teacher_who_is_also_a_parent_sees_both_sections(city):
    RoleGrant.objects.create(user=city.teacher, role=Role.PARENT)
    Guardianship.objects.create(parent=city.teacher, pupil=city.pupil_out)
    response = signed_in(city.teacher).get("/")
    assert 'data-role="teacher"' in response.content.decode()
    assert 'data-role="parent"' in response.content.decode()
    assert city.pupil_out.full_name in page_text(response)


# --- Language: Russian by default, English on request.


def test_russian_is_the_default_language(city):
    response = signed_in(city.teacher).get("/")
    assert '<html lang="ru">' in response.content.decode()


def test_switching_to_english(city):
    client = signed_in(city.teacher)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, follow=True
    )
    text = response.content.decode()
    assert '<html lang="en">' in text
    assert "My classes" in text
    assert '<html lang="en">' in client.get("/").content.decode()


def test_russian_is_the_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ru">' in response.content.decode()
    assert "Войти через городскую учётную запись" in response.content.decode()


def test_a_page_a_signed_in_person_may_not_open_does_not_loop(client, city):
    """The admin sends people without access to the login page; it must not bounce."""
    client.force_login(city.parent)
    response = client.get(reverse("wagtailadmin_home"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2
    assert city.parent.first_name in response.content.decode()
