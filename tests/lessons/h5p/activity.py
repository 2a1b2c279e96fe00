"""An H5P activity for the results tests, without the upload or the player.

A package row with its content.json written where the player reads it
(MEDIA_ROOT/h5p/content/<directory>/content/content.json), and a lesson page
with one "h5p" block attached to Алиса's dated lesson of 5А.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings

from lessons.h5p.models import H5PPackage
from lessons.models import LessonPlan
from tests import factories
from tests.lessons.h5p import xapi
from tests.lessons.school_day.conftest import library_lesson

GAME_ID = "game-one"
OTHER_GAME_ID = "game-two"


def package_make(name: str, main_library: str, *, title: str = "Дроби") -> H5PPackage:
    machine_name = main_library.split(" ")[0]
    package = H5PPackage.objects.create(
        title=title, content_type=machine_name, main_library=main_library
    )
    folder = Path(settings.MEDIA_ROOT) / package.content_dir / "content"
    folder.mkdir(parents=True)
    text = json.dumps(xapi.content(name), ensure_ascii=False)
    (folder / "content.json").write_text(text, encoding="utf-8")
    return package


def game_body(*packages: H5PPackage) -> list[dict]:
    body = [{"type": "paragraph", "id": "p", "value": "<p>Сыграйте.</p>"}]
    for block_id, package in zip((GAME_ID, OTHER_GAME_ID), packages, strict=False):
        body.append(
            {
                "type": "h5p",
                "id": block_id,
                "value": {"package": package.pk, "title": ""},
            }
        )
    return body


def plan_make(city, *packages: H5PPackage) -> LessonPlan:
    """Алиса's lesson in 5А a week into the year, with the games attached."""
    page = library_lesson(city.maths, body=game_body(*packages))
    start = city.class_in.academic_year.starts_on
    lesson = factories.make_lesson(
        city.class_in,
        city.maths,
        city.teacher,
        date=start + datetime.timedelta(days=7),
    )
    return LessonPlan.objects.create(lesson=lesson, page=page, attached_by=city.teacher)
