"""H5P.Blanks 1.14, fill in the blanks (H5P_SCORING.md §4)."""

import html
import re

from lessons.h5p.scoring.text import js_trim, osa_distance, parts, utf16_length
from lessons.h5p.scoring.verdict import Score

# Inside a blank only tags without attributes are removed (`<strong>`, `</em>`).
BARE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*>")


def _questions(params: dict) -> list[str]:
    questions = params.get("questions")
    if not isinstance(questions, list):
        return []
    return [q for q in questions if isinstance(q, str) and q != ""]


def _blank_contents(question: str) -> list[str]:
    """Asterisks paired left to right; an empty pair `**` is not a blank."""
    found, start = [], question.find("*")
    while start != -1:
        end = question.find("*", start + 1)
        if end == -1:
            break
        if end > start + 1:
            found.append(question[start + 1 : end])
        start = question.find("*", end + 1)
    return found


def _alternatives(content: str) -> list[str]:
    # Everything after the first ":" is the tip; "/" separates alternatives.
    solution = BARE_TAG.sub("", content).split(":", 1)[0]
    return [html.unescape(js_trim(option)) for option in solution.split("/")]


def solutions(params: dict) -> list[list[str]]:
    """The accepted alternatives of every blank, in order."""
    return [
        _alternatives(content)
        for question in _questions(params)
        for content in _blank_contents(question)
    ]


def max_score(params: dict) -> int:
    return len(solutions(params))


def blank_response(params: dict) -> str:
    return "[,]".join([""] * max_score(params))


def _behaviour(params: dict) -> dict:
    behaviour = params.get("behaviour")
    return behaviour if isinstance(behaviour, dict) else {}


def _allowed_errors(solution: str) -> int:
    # Lengths in UTF-16 units: 1–3 exact, 4–9 one edit, 10+ two.
    length = utf16_length(solution)
    return 2 if length > 9 else 1 if length > 3 else 0


def is_correct(
    answer: str, alternatives: list[str], *, case_sensitive: bool, fuzzy: bool
) -> bool:
    typed = js_trim(answer.replace("&nbsp;", " "))
    for alternative in alternatives:
        solution = js_trim(alternative)
        if not case_sensitive:
            typed, solution = typed.lower(), solution.lower()
        if typed == solution:
            return True
        if fuzzy and osa_distance(typed, solution) <= _allowed_errors(solution):
            return True
    return False


def score(params: dict, response: str) -> Score:
    blanks = solutions(params)
    answers = parts(response, len(blanks))
    behaviour = _behaviour(params)
    # Case matters unless the option is there and not exactly true.
    case_sensitive = behaviour.get("caseSensitive", True) is True
    fuzzy = bool(behaviour.get("acceptSpellingErrors", False))
    raw = sum(
        is_correct(answer, options, case_sensitive=case_sensitive, fuzzy=fuzzy)
        for answer, options in zip(answers, blanks, strict=True)
    )
    return Score(raw, len(blanks), None)
