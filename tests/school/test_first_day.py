"""A first day without stumbles: the site's own error pages (also in the demo),
the icon, and words a Russian-speaking user reads in Russian.

Personas: tests/conftest.py `city` (Петя in 5А, his parent Ольга).
"""

import io

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error
from PIL import Image

from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


# --- Error pages


def test_a_mistyped_address_gets_the_sites_own_page(client, city):
    response = signed_in(client, city.parent).get("/diary/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in page
    assert 'class="site-header"' in page  # the site's header and menu
    assert f'href="{reverse("home")}"' in page


def dev_middleware() -> list[str]:
    from config.settings import dev

    return dev.MIDDLEWARE


def test_the_demo_shows_the_same_page_not_djangos_technical_one(client, city):
    with override_settings(DEBUG=True, MIDDLEWARE=dev_middleware()):
        response = signed_in(client, city.parent).get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Страница не найдена" in page
    assert "URL patterns" not in page and "URLconf" not in page


def test_in_the_demo_a_page_that_says_why_it_is_404_keeps_its_words(client, city):
    """A view's own 404 (a reward of another school) is not replaced."""
    from gamification.models import Reward

    reward = Reward.objects.create(school=city.school_two, name="Чужая", price=1)
    with override_settings(DEBUG=True, MIDDLEWARE=dev_middleware()):
        client = signed_in(client, city.pupil_in)
        response = client.post(reverse("gamification:reward_buy", args=[reward.pk]))
    assert response.status_code == 404
    assert "Этой награды нет в продаже." in response.content.decode()


def test_a_server_error_page_needs_nothing_but_the_template():
    request = RequestFactory().get("/")
    with translation.override("ru"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Что-то пошло не так" in page
    assert "site.css" in page


# --- The icon


def test_every_page_names_the_icon_and_the_icon_is_a_picture(client, city):
    page = signed_in(client, city.pupil_in).get(reverse("home")).content.decode()
    assert f'href="{reverse("favicon")}"' in page
    assert f'href="{reverse("app_icon", args=[180])}"' in page
    favicon = client.get(reverse("favicon"))
    assert favicon["Content-Type"] == "image/x-icon"
    assert Image.open(io.BytesIO(favicon.content)).format == "ICO"
    icon = client.get(reverse("app_icon", args=[192]))
    assert Image.open(io.BytesIO(icon.content)).size == (192, 192)
    assert "max-age=86400" in icon["Cache-Control"]


def test_a_maskable_icon_fills_its_square_and_an_odd_size_is_404(client):
    data = client.get(reverse("app_icon_maskable", args=[512])).content
    corner = Image.open(io.BytesIO(data)).convert("RGBA").getpixel((0, 0))
    assert corner[3] == 255  # no transparent rounded corner for launchers to show
    assert client.get(reverse("app_icon", args=[100])).status_code == 404


# --- Words


def test_the_parents_absence_form_asks_to_choose_in_russian(client, city):
    page = signed_in(client, city.parent).get(reverse("attendance:notices"))
    text = page.content.decode()
    assert "— Выберите —" in text
    assert "Select an option" not in text


def test_the_menu_and_the_quiz_page_name_the_quiz_alike(client, city):
    page = signed_in(client, city.pupil_in).get(reverse("home")).content.decode()
    assert ">Викторина</a>" in page
    assert ">Тест</a>" not in page


def test_points_are_announced_with_the_name_as_it_is():
    with translation.override("ru"):
        text = translation.gettext("%(name)s earned points: +%(amount)s (%(reason)s)")
    said = text % {"name": "Илья", "amount": 3, "reason": "Игра"}
    assert said == "Илья получает баллы: +3 (Игра)"


def test_the_cms_greets_editors_with_the_platforms_name(client, db):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    assert site.site_name == "Город. Школа"
    root = factories.UserFactory(is_superuser=True, is_staff=True)
    page = signed_in(client, root).get("/cms/").content.decode()
    assert "Город. Школа" in page
    assert "localhost" not in page


# --- No dead ends


def test_a_school_administrator_sees_the_homework_of_their_school(client, city):
    from school.homework.services import homework_assign

    ours = homework_assign(
        teacher=city.teacher,
        lesson=factories.make_lesson(city.class_in, city.maths, city.teacher),
        due_date=city.class_in.academic_year.ends_on,
        text="Задачи 1–5",
    )
    theirs = homework_assign(
        teacher=city.other_teacher,
        lesson=factories.make_lesson(city.class_out, city.maths, city.other_teacher),
        due_date=city.class_out.academic_year.ends_on,
        text="Чужое",
    )
    page = signed_in(client, city.admin_one).get(reverse("homework_index"))
    text = page.content.decode()
    assert reverse("homework_submissions", args=[ours.pk]) in text
    assert reverse("homework_submissions", args=[theirs.pk]) not in text


def test_the_administrators_timetable_starts_with_their_classes(client, city):
    page = signed_in(client, city.admin_one).get(reverse("timetable:index"))
    text = page.content.decode()
    assert "timetable-links" not in text  # no empty card above the classes
    assert reverse("timetable:class_week", args=[city.class_in.pk]) in text


def test_one_timetable_opens_at_once(client, city):
    pupil = signed_in(client, city.pupil_in).get(reverse("timetable:index"))
    assert pupil["Location"] == reverse("timetable:class_week", args=[city.class_in.pk])
    teacher = signed_in(client, city.teacher).get(reverse("timetable:index"))
    assert teacher["Location"] == reverse("timetable:my_week")


def test_a_parent_of_two_chooses_whose_timetable(client, city):
    factories.make_pupil(city.class_out, username="sister")
    sister = city.class_out.enrolments.get(pupil__username="sister").pupil
    from school.models import Guardianship

    Guardianship.objects.create(parent=city.parent, pupil=sister)
    page = signed_in(client, city.parent).get(reverse("timetable:index"))
    assert page.status_code == 200
    assert reverse("timetable:feeds") in page.content.decode()


def test_a_methodologist_is_sent_to_the_library_not_to_an_empty_timetable(client, db):
    from school.models import Role

    methodologist = factories.UserFactory(roles=[Role.METHODOLOGIST])
    client = signed_in(client, methodologist)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("timetable:index")}"' not in home
    assert f'href="{reverse("homework_index")}"' not in home
    page = client.get(reverse("timetable:index")).content.decode()
    assert "библиотеке уроков" in page
    assert f'href="{reverse("lessons:library")}"' in page


# --- The installable app


def test_the_manifest_describes_an_installable_app(client):
    response = client.get(reverse("app_manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Городская школа"
    assert (manifest["start_url"], manifest["scope"]) == ("/", "/")
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_service_worker_is_served_from_the_root(client, city):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b"diary-pages" in response.content
    page = signed_in(client, city.pupil_in).get(reverse("home")).content.decode()
    assert f'rel="manifest" href="{reverse("app_manifest")}"' in page
    assert client.get(reverse("offline")).status_code == 200


# --- Help


def test_help_speaks_to_each_role_in_plain_words(client, city):
    page = signed_in(client, city.parent).get(reverse("help")).content.decode()
    assert "Как читать дневник" in page
    assert "Как получать новости на телефон" in page
    assert "Как провести урок у доски" not in page
    assert f'href="{reverse("help")}"' in page  # in the menu
    teacher = signed_in(client, city.teacher).get(reverse("help")).content.decode()
    assert "Как провести урок у доски" in teacher
    assert "Как читать и заполнять журнал" in teacher
    assert "Как сдать домашнее задание с телефона" not in teacher


def test_help_is_open_to_someone_not_signed_in_yet(client, db):
    page = client.get(reverse("help")).content.decode()
    for title in ("Как читать дневник", "Как провести урок у доски"):
        assert title in page


# --- The first-day tour


def test_the_first_home_page_carries_a_tour_until_it_is_ended(client, city):
    import json as json_module

    client = signed_in(client, city.pupil_in)
    page = client.get(reverse("home")).content.decode()
    data = page.split('<script id="tour-steps" type="application/json">')[1]
    steps = json_module.loads(data.split("</script>")[0])
    hrefs = [step["href"] for step in steps]
    assert hrefs == [
        reverse("diary:home"),
        reverse("homework_index"),
        reverse("gamification:quiz_join"),
        reverse("help"),
    ]
    assert steps[0]["title"] == "Ваш дневник"
    assert client.post(reverse("tour_done")).status_code == 204
    city.pupil_in.refresh_from_db()
    assert city.pupil_in.tour_done_at is not None
    assert "tour-steps" not in client.get(reverse("home")).content.decode()


def test_each_role_is_shown_its_own_sections(client, city):
    page = signed_in(client, city.teacher).get(reverse("home")).content.decode()
    assert reverse("gradebook:index") in page.split("tour-steps")[1]
    parent = signed_in(client, city.parent).get(reverse("home")).content.decode()
    assert reverse("push_settings") in parent.split("tour-steps")[1]


# --- Empty pages say what comes next


def test_empty_pages_say_what_to_do_next(client, db):
    from school.models import Role

    parent = factories.UserFactory(roles=[Role.PARENT])
    home = signed_in(client, parent).get(reverse("home")).content.decode()
    assert "Попросите школу указать вас родителем" in home
    klass = factories.ClassGroupFactory()
    pupil = factories.make_pupil(klass)
    page = signed_in(client, pupil).get(reverse("homework_index")).content.decode()
    assert "появятся здесь и в дневнике" in page
    points = signed_in(client, pupil).get(reverse("diary:week", args=[pupil.pk]))
    assert "их дают за игры, викторины" in points.content.decode()
