"""Our sample H5P packages, built and installed the way an administrator would.

Used by the player tests and (inside `manage.py shell` scripts) by the browser
test: the package goes through the real upload service, so the files land where
`lessons.h5p.files` serves them.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lessons.h5p.builder import package_build
from lessons.h5p.models import H5PPackage
from lessons.h5p.packages import h5p_package_upload
from lessons.models import LessonPlan
from school.models import User
from tests import factories

GAME_ID = "game-one"
SAMPLE = "fractions-choice"
RIGHT_ANSWER = "3/4"  # the sample's correct answer (content/content.json)
WRONG_ANSWERS = ("1/3", "2/5")


def platform_admin() -> User:
    """A superuser: only platform administrators may bring library code."""
    admin = User.objects.filter(is_superuser=True, is_active=True).first()
    return admin or factories.UserFactory(
        username="h5p-admin", is_superuser=True, is_staff=True
    )


def sample_install(name: str = SAMPLE, *, title: str = "") -> H5PPackage:
    """Builds `lessons/h5p/samples/content/<name>` and uploads it as an admin."""
    upload = SimpleUploadedFile(
        f"{name}.h5p", package_build(name), content_type="application/zip"
    )
    return h5p_package_upload(user=platform_admin(), upload=upload, title=title)


def game_body(package: H5PPackage, *, block_id: str = GAME_ID, title: str = ""):
    """A lesson body with a paragraph and one H5P block."""
    return [
        {"type": "heading", "id": "h", "value": "Дроби"},
        {"type": "paragraph", "id": "p", "value": "<p>Сыграйте в игру.</p>"},
        {
            "type": "h5p",
            "id": block_id,
            "value": {"package": package.pk, "title": title},
        },
    ]


def game_plan(
    class_group, subject, teacher, page, *, days: int = 0, number: int = 1
) -> LessonPlan:
    """A dated lesson of the class (`days` from today) with `page` attached."""
    lesson = factories.make_lesson(
        class_group,
        subject,
        teacher,
        date=timezone.localdate() + datetime.timedelta(days=days),
        number=number,
    )
    return LessonPlan.objects.create(lesson=lesson, page=page, attached_by=teacher)
