"""xAPI statements shaped like the ones H5P libraries send, and our content.json files.

The shapes follow ../shared/H5P_SCORING.md; only the fields the server reads
matter, but the rest is there so a statement looks like the real thing.
"""

import copy
import json
from functools import cache
from pathlib import Path

CONTENT = Path(__file__).parent / "content"
OBJECT_ID = "https://school.example/library/lessons/1/for/2/h5p/game-one/"
VERB = "http://adlnet.gov/expapi/verbs/"
SUBCONTENT = "http://h5p.org/x-api/h5p-subContentId"

MC = "H5P.MultiChoice 1.16"
SCS = "H5P.SingleChoiceSet 1.11"
TF = "H5P.TrueFalse 1.8"
BL = "H5P.Blanks 1.14"
DT = "H5P.DragText 1.10"
MTW = "H5P.MarkTheWords 1.11"
QS = "H5P.QuestionSet 1.21"


@cache
def _content(name: str) -> str:
    return (CONTENT / f"{name}.json").read_text(encoding="utf-8")


def content(name: str) -> dict:
    """A fresh copy of tests/lessons/h5p/content/<name>.json (tests may edit it)."""
    return copy.deepcopy(json.loads(_content(name)))


def statement(
    raw,
    max_score,
    *,
    response: str | None = None,
    verb: str = "answered",
    success: bool | None = None,
    subcontent_id: str | None = None,
    parent: bool = False,
    duration: str = "PT12.5S",
) -> dict:
    result: dict = {
        "score": {"min": 0, "max": max_score, "raw": raw},
        "completion": True,
        "duration": duration,
    }
    if max_score:
        result["score"]["scaled"] = round(raw / max_score, 4)
    if response is not None:
        result["response"] = response
    if success is not None:
        result["success"] = success
    object_id = OBJECT_ID
    extensions = {"http://h5p.org/x-api/h5p-local-content-id": 1}
    if subcontent_id:
        object_id += f"?subContentId={subcontent_id}"
        extensions[SUBCONTENT] = subcontent_id
    found = {
        "actor": {"name": "Кто-то другой", "mbox": "mailto:forged@example.com"},
        "verb": {"id": VERB + verb, "display": {"en-US": verb}},
        "object": {
            "id": object_id,
            "objectType": "Activity",
            "definition": {"extensions": extensions, "name": {"en-US": "Игра"}},
        },
        "context": {
            "contextActivities": {
                "category": [{"id": "http://h5p.org/libraries/H5P.MultiChoice-1.16"}]
            }
        },
        "result": result,
    }
    if parent:
        found["context"]["contextActivities"]["parent"] = [{"id": OBJECT_ID}]
    return found


def child(response: str, *, subcontent_id: str | None = None, raw=0, max_score=1):
    """One child of a `getXAPIData()` report."""
    return {
        "statement": statement(
            raw,
            max_score,
            response=response,
            subcontent_id=subcontent_id,
            parent=True,
        )
    }


def report(children: list, *, raw=0, max_score=1) -> dict:
    return {
        "statement": statement(raw, max_score),
        "children": children,
    }
