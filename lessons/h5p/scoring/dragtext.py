"""H5P.DragText 1.10, drag the words (H5P_SCORING.md §5).

Answers are compared as they stand in content.json, entities and all: the player
shows the same bytes and sends them back (PHP hosts export `&amp;` and the like).
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

from lessons.h5p.scoring.text import js_trim, js_trim_end, parts
from lessons.h5p.scoring.verdict import Malformed, Score

LINE_BREAK = re.compile(r"\r\n|\n|\r")
# JavaScript's "." stops at line terminators.
ZONE = re.compile("(\\*[^\n\r\u2028\u2029]*?\\*)")
# Markers removed from a zone: tip up to the next backslash or asterisk, and
# the correct (\+) and incorrect (\-) feedback.
MARKERS = re.compile(r":[^\\*]*|\\\+[^\\*]*|\\-[^\\*]*")


def _text(params: dict, key: str) -> str:
    value = params.get(key)
    return LINE_BREAK.sub("<br/>", value) if isinstance(value, str) else ""


def _is_zone(part: str) -> bool:
    return part.startswith("*") and part.endswith("*")


def _lex(part: str) -> str:
    return js_trim_end(MARKERS.sub("", part[1:-1]))


def answers(params: dict) -> list[str]:
    """The answer of each drop zone, in text order."""
    return [_lex(p) for p in ZONE.split(_text(params, "textField")) if _is_zone(p)]


def distractors(params: dict) -> list[str]:
    return [
        _lex(part)
        for part in ZONE.split(_text(params, "distractors"))
        if js_trim(part) and _is_zone(part)
    ]


def max_score(params: dict) -> int:
    return len(answers(params))


def blank_response(params: dict) -> str:
    return "[,]".join([""] * max_score(params))


def score(params: dict, response: str) -> Score:
    zones = answers(params)
    placed = parts(response, len(zones))
    # Each draggable sits in one zone at most; equal texts are interchangeable.
    spare = Counter(zones) + Counter(distractors(params))
    used = Counter(word for word in placed if word)
    if used - spare:
        raise Malformed(_("The answer uses words the game does not offer."))
    raw = sum(word == zone for word, zone in zip(placed, zones, strict=True) if word)
    return Score(raw, len(zones), None)
