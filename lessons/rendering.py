"""What of a lesson's body a pupil (or the public API) may see."""

from wagtail.blocks import StreamValue

from lessons.blocks import TEACHER_ONLY_BLOCKS


def _strip_answers(quiz: dict) -> dict:
    questions = [
        {
            "text": question["text"],
            "kind": question["kind"],
            "choices": [choice["text"] for choice in question["choices"]],
            "time_limit": question["time_limit"],
        }
        for question in quiz["questions"]
    ]
    return {"title": quiz["title"], "questions": questions}


def pupil_safe_body(body: StreamValue) -> list[dict]:
    """The body as plain data without teacher notes and without quiz answers."""
    safe = []
    for block in body:
        if block.block_type in TEACHER_ONLY_BLOCKS:
            continue
        value = block.block.get_api_representation(block.value)
        if block.block_type == "quiz":
            value = _strip_answers(value)
        safe.append({"type": block.block_type, "id": block.id, "value": value})
    return safe
