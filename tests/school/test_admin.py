"""The school structure in the Wagtail admin goes through the access policy."""

import pytest
from django.urls import reverse

from school.models import ClassGroup, Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_school_admin_lists_only_classes_of_their_school(client, city):
    client.force_login(city.admin_one)
    response = client.get(reverse("classgroup:index"))
    assert response.status_code == 200
    listed = {row.pk for row in response.context["object_list"]}
    assert city.class_in.pk in listed
    assert city.class_out.pk not in listed


def test_school_admin_can_edit_own_class(client, city):
    client.force_login(city.admin_one)
    response = client.get(reverse("classgroup:edit", args=[city.class_in.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("view", ["edit", "delete", "inspect", "history"])
def test_admin_of_another_school_gets_404(client, city, view):
    client.force_login(city.admin_two)
    response = client.get(reverse(f"classgroup:{view}", args=[city.class_in.pk]))
    assert response.status_code == 404
    assert city.pupil_in.last_name not in response.content.decode()


def test_admin_of_another_school_cannot_delete_by_post(client, city):
    client.force_login(city.admin_two)
    response = client.post(reverse("classgroup:delete", args=[city.class_in.pk]))
    assert response.status_code == 404
    assert ClassGroup.objects.filter(pk=city.class_in.pk).exists()


def test_crafted_post_cannot_create_a_class_in_another_school(client, city):
    client.force_login(city.admin_one)
    other_year = city.class_out.academic_year
    response = client.post(
        reverse("classgroup:add"),
        {
            "school": city.school_two.pk,
            "academic_year": other_year.pk,
            "grade": 9,
            "letter": "Я",
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert not ClassGroup.objects.filter(letter="Я").exists()


def test_school_admin_creates_class_in_own_school(client, city):
    client.force_login(city.admin_one)
    response = client.post(
        reverse("classgroup:add"),
        {
            "school": city.school_one.pk,
            "academic_year": city.class_in.academic_year.pk,
            "grade": 9,
            "letter": "В",
            "homeroom_teacher": city.teacher.pk,
        },
    )
    assert response.status_code == 302
    created = ClassGroup.objects.get(grade=9, letter="В")
    assert created.school == city.school_one


def test_year_of_another_school_is_refused(client, city):
    """A year and a school must match even for a platform administrator."""
    superuser = factories.UserFactory(is_superuser=True)
    client.force_login(superuser)
    response = client.post(
        reverse("classgroup:add"),
        {
            "school": city.school_one.pk,
            "academic_year": city.class_out.academic_year.pk,
            "grade": 9,
            "letter": "Г",
        },
    )
    assert response.status_code == 200
    assert "academic_year" in response.context["form"].errors
    assert not ClassGroup.objects.filter(letter="Г").exists()


def test_homeroom_teacher_must_be_a_teacher(client, city):
    client.force_login(city.admin_one)
    response = client.post(
        reverse("classgroup:add"),
        {
            "school": city.school_one.pk,
            "academic_year": city.class_in.academic_year.pk,
            "grade": 9,
            "letter": "Д",
            "homeroom_teacher": city.pupil_in.pk,
        },
    )
    assert response.status_code == 200
    assert not ClassGroup.objects.filter(letter="Д").exists()


def test_school_admin_may_not_add_schools_or_subjects(client, city):
    client.force_login(city.admin_one)
    # Wagtail answers a refused admin view with a redirect to the dashboard.
    assert client.get(reverse("school:add")).status_code == 302
    assert client.get(reverse("subject:add")).status_code == 302
    assert client.get(reverse("subject:index")).status_code == 200


@pytest.mark.parametrize("persona", ["pupil_in", "parent"])
def test_other_roles_do_not_enter_the_admin(client, city, persona):
    client.force_login(getattr(city, persona))
    response = client.get(reverse("classgroup:index"))
    assert response.status_code in (302, 403)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code in (302, 403)


def test_teacher_enters_the_admin_but_sees_no_school_rows(client, city):
    # Teachers author library lessons in the admin (tests/lessons/test_moderation).
    client.force_login(city.teacher)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.get(reverse("classgroup:index"))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_methodologist_enters_the_admin_but_sees_no_school_rows(client, city):
    methodologist = factories.UserFactory(roles=[Role.METHODOLOGIST])
    client.force_login(methodologist)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.get(reverse("classgroup:index"))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_enrolment_list_of_school_admin_hides_other_school(client, city):
    client.force_login(city.admin_one)
    response = client.get(reverse("enrolment:index"))
    body = response.content.decode()
    assert city.pupil_in.last_name in body
    assert city.pupil_out.last_name not in body
