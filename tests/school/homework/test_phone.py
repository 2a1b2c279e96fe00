"""The homework forms in a real Chromium at phone width (360 px), keyboard only."""

import contextlib
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from school.homework import services
from school.models import Submission
from tests import factories
from tests.school.homework.conftest import pdf

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium():
    """Started after the test's data: Playwright's sync API keeps an event loop on
    this thread, where Django's ORM and async_to_sync refuse to run."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def session_cookie(live_server, user) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def page_as(browser, cookie):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_cookies([cookie])
    return context.new_page()


def overflow(page) -> int:
    width = page.evaluate("document.documentElement.scrollWidth")
    return max(0, width - page.viewport_size["width"])


def test_a_pupil_answers_with_a_file_from_a_phone_by_keyboard(
    live_server, city, tmp_path
):
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    homework = services.homework_assign(
        teacher=city.teacher,
        lesson=lesson,
        due_date=lesson.date + datetime.timedelta(days=1),
        text="Решить задачи " + "оченьдлинноеслово" * 8,
        files=[pdf("task-with-a-rather-long-file-name-for-a-phone.pdf")],
    )
    answer = tmp_path / "answer.pdf"
    answer.write_bytes(pdf().read())
    cookie = session_cookie(live_server, city.pupil_in)
    with chromium() as browser:
        page = page_as(browser, cookie)
        page.goto(f"{live_server.url}/homework/{homework.pk}/")
        assert overflow(page) == 0
        page.locator("#id_text").focus()
        page.keyboard.type("Ответ в файле")
        page.locator("#id_files").set_input_files(str(answer))
        page.locator("#id_files").focus()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}/homework/")
        assert overflow(page) == 0
    assert Submission.objects.get().files.get().original_name == "answer.pdf"


def test_the_teacher_pages_fit_a_phone(live_server, city):
    lesson = factories.make_lesson(city.class_in, city.maths, city.teacher)
    homework = services.homework_assign(
        teacher=city.teacher, lesson=lesson, due_date=lesson.date, text="Задачи"
    )
    services.submission_submit(
        pupil=city.pupil_in, homework=homework, text="Ответ", files=[pdf()]
    )
    cookie = session_cookie(live_server, city.teacher)
    with chromium() as browser:
        page = page_as(browser, cookie)
        for path in [
            f"/homework/lessons/{lesson.pk}/",
            f"/homework/{homework.pk}/submissions/",
            "/homework/",
        ]:
            page.goto(live_server.url + path)
            assert overflow(page) == 0, path
