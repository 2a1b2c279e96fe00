"""A live lesson's new board starts with the lesson plan's whiteboard starter: its
pages, and each background copied into the board's own pictures and laid on its
page as a locked Excalidraw image element.

Personas (tests/conftest.py `city`): Алиса teaches 5А, Петя is in it; Вася (7Б),
Борис (7Б's teacher) and Игорь (Вася's parent) are outside.
"""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image
from wagtail.images import get_image_model

from lessons.models import LessonPage, LessonPlan
from tests import factories
from tests.lessons.library_pages import library_unit
from whiteboard import live
from whiteboard.documents import doc_assets, doc_from_updates, doc_pages, page_elements
from whiteboard.models import Board, BoardImage, BoardUpdate
from whiteboard.seeding import board_seed_from_lesson
from whiteboard.selectors import board_content
from whiteboard.services import board_create, board_updates_append

pytestmark = pytest.mark.django_db

WARM_UP, PROBLEMS = "Разминка", "Задачи у доски"
# Every field of an Excalidraw 0.17.6 image element (types/element/types.d.ts).
IMAGE_ELEMENT_FIELDS = {
    "id", "type", "x", "y", "width", "height", "angle", "strokeColor",
    "backgroundColor", "fillStyle", "strokeWidth", "strokeStyle", "roughness",
    "opacity", "groupIds", "frameId", "roundness", "seed", "version",
    "versionNonce", "isDeleted", "boundElements", "updated", "link", "locked",
    "status", "fileId", "scale",
}  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="school.backends.LocalPasswordBackend")
    return client


def library_picture(width: int = 640, height: int = 360, title="Клетка"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "lightblue").save(buffer, "PNG")
    image = get_image_model()(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="grid.png")
    )
    image._set_image_file_metadata()
    image.save()
    return image


def starter(*pages) -> dict:
    return {
        "type": "whiteboard_starter",
        "value": {"pages": [{"title": title, "background": bg} for title, bg in pages]},
    }


def library_lesson(city, body: list) -> LessonPage:
    page = LessonPage(
        title="Сравнение дробей",
        live=True,
        subject=city.maths,
        grade=5,
        objectives="<p>Научиться сравнивать дроби.</p>",
        body=body,
    )
    return library_unit(city.maths).add_child(instance=page)


@pytest.fixture
def lesson(city):
    return factories.make_lesson(city.class_in, city.maths, city.teacher)


def plan_with(city, lesson, body: list) -> LessonPlan:
    page = library_lesson(city, body)
    return LessonPlan.objects.create(lesson=lesson, page=page, attached_by=city.teacher)


@pytest.fixture
def picture(db):
    return library_picture()


@pytest.fixture
def planned(city, lesson, picture):
    """5А's lesson planned with a two-page starter, a background on page one."""
    body = [
        {"type": "heading", "value": "Разминка"},
        starter((WARM_UP, picture.pk), (PROBLEMS, None)),
    ]
    plan_with(city, lesson, body)
    return lesson


def board_doc(board_id: int):
    return doc_from_updates(board_content(board_id=board_id).updates)


def test_a_starter_seeds_the_pages_and_the_background(city, planned):
    session = live.live_session_start(teacher=city.teacher, lesson=planned)
    doc = board_doc(session.board_id)

    assert doc_pages(doc) == [
        {"id": "1", "title": WARM_UP},
        {"id": "2", "title": PROBLEMS},
    ]
    [element] = page_elements(doc, "1")
    assert page_elements(doc, "2") == []
    assert set(element) == IMAGE_ELEMENT_FIELDS
    assert element["type"] == "image"
    assert element["locked"] is True
    assert element["status"] == "saved"
    assert (element["x"], element["y"]) == (0, 0)
    assert (element["width"], element["height"]) == (1280, 720)  # 640 × 360
    assert element["scale"] == [1, 1]
    assert element["isDeleted"] is False

    stored = BoardImage.objects.get(board_id=session.board_id)
    assets = doc_assets(doc)
    assert set(assets) == {element["fileId"]}
    record = assets[element["fileId"]]
    assert record["id"] == element["fileId"]
    assert record["mimeType"] == stored.mime_type
    assert record["dataURL"] == f"/live/boards/{session.board_id}/images/{stored.pk}/"
    assert record["created"] == int(record["created"]) > 0  # ms; pycrdt reads floats
    assert BoardUpdate.objects.filter(board_id=session.board_id).count() == 1


def test_the_background_is_served_by_the_boards_policy(city, planned):
    session = live.live_session_start(teacher=city.teacher, lesson=planned)
    [record] = doc_assets(board_doc(session.board_id)).values()
    for viewer in (city.teacher, city.pupil_in):
        response = client_for(viewer).get(record["dataURL"])
        assert response.status_code == 200
        assert response["Content-Type"] in ("image/png", "image/jpeg")
        assert response["Content-Type"] == record["mimeType"]
    for outsider in (city.pupil_out, city.other_teacher, city.other_parent):
        assert client_for(outsider).get(record["dataURL"]).status_code == 404


def test_a_lesson_without_a_plan_gets_an_empty_board(city, lesson):
    session = live.live_session_start(teacher=city.teacher, lesson=lesson)
    assert Board.objects.get(pk=session.board_id).last_seq == 0
    assert board_content(board_id=session.board_id).updates == []
    assert not BoardImage.objects.exists()


def test_a_plan_without_a_starter_gets_an_empty_board(city, lesson):
    plan_with(city, lesson, [{"type": "heading", "value": "Без доски"}])
    session = live.live_session_start(teacher=city.teacher, lesson=lesson)
    assert board_content(board_id=session.board_id).updates == []


def test_a_starter_without_backgrounds_seeds_titles_only(city, lesson):
    plan_with(city, lesson, [starter((WARM_UP, None))])
    session = live.live_session_start(teacher=city.teacher, lesson=lesson)
    doc = board_doc(session.board_id)
    assert doc_pages(doc) == [{"id": "1", "title": WARM_UP}]
    assert doc_assets(doc) == {}
    assert not BoardImage.objects.exists()


def test_starting_twice_or_again_after_the_end_seeds_once(city, planned):
    first = live.live_session_start(teacher=city.teacher, lesson=planned)
    assert live.live_session_start(teacher=city.teacher, lesson=planned) == first
    live.live_session_end(teacher=city.teacher, session=first)
    second = live.live_session_start(teacher=city.teacher, lesson=planned)
    assert second.board_id == first.board_id
    doc = board_doc(second.board_id)
    assert [page["id"] for page in doc_pages(doc)] == ["1", "2"]
    assert len(page_elements(doc, "1")) == 1
    assert Board.objects.get(pk=first.board_id).last_seq == 1
    assert BoardImage.objects.count() == 1


def test_a_board_that_has_content_is_not_seeded(city, planned):
    board = board_create(created_by=city.teacher, title="Урок", lesson=planned)
    drawn = doc_from_updates([]).get_update()  # any entry in the log counts
    board_updates_append(board_id=board.pk, updates=[drawn])
    board_seed_from_lesson(board=board, lesson=planned)
    assert Board.objects.get(pk=board.pk).last_seq == 1
    assert not BoardImage.objects.exists()


def test_a_background_whose_file_is_gone_leaves_its_page(city, planned, picture):
    picture.file.storage.delete(picture.file.name)
    session = live.live_session_start(teacher=city.teacher, lesson=planned)
    doc = board_doc(session.board_id)
    assert [page["title"] for page in doc_pages(doc)] == [WARM_UP, PROBLEMS]
    assert page_elements(doc, "1") == []
    assert doc_assets(doc) == {}


def test_the_same_background_on_two_pages_is_one_asset(city, lesson, picture):
    plan_with(city, lesson, [starter(("A", picture.pk), ("B", picture.pk))])
    session = live.live_session_start(teacher=city.teacher, lesson=lesson)
    doc = board_doc(session.board_id)
    one, two = page_elements(doc, "1")[0], page_elements(doc, "2")[0]
    assert one["fileId"] == two["fileId"]
    assert one["id"] != two["id"]
    assert len(doc_assets(doc)) == 1
    assert BoardImage.objects.count() == 1


FRONTEND = Path(django_settings.BASE_DIR) / "frontend"
READ_WITH_YJS = """
import * as Y from "yjs";
import fs from "node:fs";
const doc = new Y.Doc();
Y.applyUpdate(doc, fs.readFileSync(0));
const plain = (value) => value instanceof Y.AbstractType ? "shared type" : value;
const elements = doc.getArray("elements:1").toArray();
console.log(JSON.stringify({
  pages: doc.getArray("pages").toArray().map(plain),
  items: elements.map((item) => item.constructor.name),
  pos: elements.map((item) => item.get("pos")),
  el: elements.map((item) => plain(item.get("el"))),
  types: elements.map((item) => Object.values(item.get("el")).map((v) => typeof v)),
  assets: Object.values(doc.getMap("assets").toJSON()),
}));
"""


@pytest.mark.skipif(
    shutil.which("node") is None or not (FRONTEND / "node_modules/yjs").is_dir(),
    reason="needs node and the front end's npm packages (make setup)",
)
def test_the_browsers_yjs_reads_the_starter_as_y_excalidraw_writes(city, planned):
    session = live.live_session_start(teacher=city.teacher, lesson=planned)
    [update] = board_content(board_id=session.board_id).updates
    result = subprocess.run(  # noqa: S603 - a fixed script, our own update
        ["node", "--input-type=module", "-e", READ_WITH_YJS],  # noqa: S607
        input=update,
        cwd=FRONTEND,
        capture_output=True,
        check=True,
        timeout=60,
    )
    seen = json.loads(result.stdout)
    # Pages and elements are plain objects in a Y.Array / Y.Map {pos, el}, as
    # board.jsx and y-excalidraw read them; numbers are numbers, not BigInts.
    assert seen["pages"] == [
        {"id": "1", "title": WARM_UP},
        {"id": "2", "title": PROBLEMS},
    ]
    assert seen["items"] == ["YMap"]
    assert seen["pos"] == ["a0"]
    assert seen["el"][0]["type"] == "image"
    assert "bigint" not in seen["types"][0]
    assert seen["assets"][0]["id"] == seen["el"][0]["fileId"]
