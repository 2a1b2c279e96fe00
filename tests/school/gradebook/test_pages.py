"""The grid page and the index, per persona."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from school.models import Enrolment, Gradebook, LessonStatus, Mark, Scale
from tests import factories
from tests.school.gradebook.conftest import gradebook_url, signed_in

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags))


def give(city, lesson, value, comment=""):
    return Mark.objects.create(
        lesson=lesson,
        pupil=city.pupil_in,
        work_type_id=1,
        scale="five",
        value=value,
        comment=comment,
        created_by=city.teacher,
    )


def test_teacher_sees_an_editable_grid_with_marks_and_the_script(city, lesson):
    give(city, lesson, 4, "Молодец")
    response = signed_in(city.teacher).get(gradebook_url(city))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-editable="true"' in content
    assert 'data-comment="Молодец"' in content
    assert city.pupil_in.short_name in page_text(response)
    nonce = re.search(
        r'<script type="module" nonce="([^"]+)" src="[^"]+grid.js"', content
    )
    assert nonce and nonce.group(1) in response["Content-Security-Policy"]
    assert " style=" not in content


@pytest.mark.parametrize("name", ["admin_one", "homeroom"])
def test_readers_see_a_read_only_grid(city, lesson, homeroom, name):
    give(city, lesson, 4)
    user = homeroom if name == "homeroom" else getattr(city, name)
    response = signed_in(user).get(gradebook_url(city))
    assert response.status_code == 200
    assert 'data-editable="false"' in response.content.decode()
    assert "term-mark-input" not in response.content.decode()
    assert (
        not Gradebook.objects.filter(pk__isnull=False)
        .exclude(scale=Scale.FIVE_POINT)
        .exists()
    )


@pytest.mark.parametrize(
    "name",
    ["other_teacher", "pupil_in", "pupil_out", "parent", "other_parent", "admin_two"],
)
def test_others_get_404_and_no_names(city, lesson, name):
    give(city, lesson, 4)
    for page in ("grid", "export_xlsx", "export_csv"):
        response = signed_in(getattr(city, name)).get(gradebook_url(city, page))
        assert response.status_code == 404
        # The page's own content (the header names whoever is signed in).
        main = response.content.decode().partition("<main")[2]
        assert city.pupil_in.last_name not in main


def test_a_term_of_another_year_is_404(city):
    other = factories.make_term(city.class_out)
    url = reverse("gradebook:grid", args=[city.class_in.pk, city.maths.pk, other.pk])
    assert signed_in(city.teacher).get(url).status_code == 404


def test_cancelled_lessons_are_left_out_and_lessons_go_by_date(city):
    term = factories.make_term(city.class_in)
    later = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=term.starts_on + datetime.timedelta(days=7),
    )
    earlier = factories.make_lesson(
        city.class_in, city.maths, city.teacher, date=term.starts_on
    )
    cancelled = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=term.starts_on + datetime.timedelta(days=3),
    )
    cancelled.status = LessonStatus.CANCELLED
    cancelled.save(update_fields=["status"])
    content = signed_in(city.teacher).get(gradebook_url(city)).content.decode()
    columns = re.findall(r'<th scope="col" data-lesson="(\d+)"', content)
    assert columns == [str(earlier.pk), str(later.pk)]


def test_a_pupil_who_left_is_greyed_after_the_day(city):
    term = factories.make_term(city.class_in)
    factories.make_lesson(city.class_in, city.maths, city.teacher, date=term.starts_on)
    factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=term.starts_on + datetime.timedelta(days=30),
    )
    Enrolment.objects.filter(pupil=city.pupil_in).update(
        ends_on=term.starts_on + datetime.timedelta(days=5)
    )
    content = signed_in(city.teacher).get(gradebook_url(city)).content.decode()
    pattern = rf'<tr data-pupil="{city.pupil_in.pk}" class="left">(.*?)</tr>'
    row = re.search(pattern, content, re.S).group(1)
    cells = re.findall(r'class="cell( inactive)?"', row)
    assert cells == ["", " inactive"]


def test_scale_form_changes_an_empty_gradebook_and_explains_a_refusal(city, lesson):
    client = signed_in(city.teacher)
    client.cookies["django_language"] = "en"
    client.get(gradebook_url(city))
    response = client.post(
        gradebook_url(city, "scale"), {"scale": "hundred"}, follow=True
    )
    assert Gradebook.objects.get().scale == Scale.HUNDRED_POINT
    Mark.objects.create(
        lesson=lesson,
        pupil=city.pupil_in,
        work_type_id=1,
        scale="hundred",
        value=80,
        created_by=city.teacher,
    )
    response = client.post(gradebook_url(city, "scale"), {"scale": "five"}, follow=True)
    assert "already given" in page_text(response)
    assert Gradebook.objects.get().scale == Scale.HUNDRED_POINT


def test_a_reader_cannot_change_the_scale(city, lesson):
    response = signed_in(city.admin_one).post(
        gradebook_url(city, "scale"), {"scale": "hundred"}
    )
    assert response.status_code == 403
    assert not Gradebook.objects.filter(scale=Scale.HUNDRED_POINT).exists()


def test_index_lists_own_gradebooks_and_homeroom_ones_read_only(city, homeroom):
    term = factories.make_term(city.class_in)
    own = signed_in(city.teacher).get(reverse("gradebook:index"))
    assert gradebook_url(city, term=term) in own.content.decode()
    theirs = signed_in(homeroom).get(reverse("gradebook:index"))
    assert gradebook_url(city, term=term) in theirs.content.decode()
    assert "(только просмотр)" in page_text(theirs)
    other = signed_in(city.other_teacher).get(reverse("gradebook:index"))
    assert gradebook_url(city, term=term) not in other.content.decode()


@pytest.mark.parametrize("name", ["pupil_in", "parent", "admin_one"])
def test_index_is_for_teachers_only(city, name):
    assert (
        signed_in(getattr(city, name)).get(reverse("gradebook:index")).status_code
        == 404
    )


def test_a_parents_notice_shows_as_excused_in_the_grid(city, lesson):
    from school.models import AbsenceNotice

    AbsenceNotice.objects.create(
        pupil=city.pupil_in,
        announced_by=city.parent,
        reason="Врач",
        starts_on=lesson.date,
        ends_on=lesson.date,
    )
    content = signed_in(city.teacher).get(gradebook_url(city)).content.decode()
    assert 'class="att att-excused"' in content
