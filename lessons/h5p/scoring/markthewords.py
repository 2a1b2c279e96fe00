"""H5P.MarkTheWords 1.11 (H5P_SCORING.md §6): indices into a rebuilt word list.

The response indexes the selectable words as the player tokenises the text, so
the tokeniser below follows the library's rules exactly; one word more or less
shifts every index after it.
"""

from html.parser import HTMLParser

from lessons.h5p.scoring.text import indices, js_words
from lessons.h5p.scoring.verdict import Score

LEADING = '[({⟨¿¡“"«„'
TRAILING = '",….:;?!])}⟩»”'


class _TextNodes(HTMLParser):
    """Text nodes in document order, entities decoded (as the DOM gives them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._joinable = False

    def handle_starttag(self, tag, attrs):
        self._joinable = False

    def handle_endtag(self, tag):
        self._joinable = False

    def handle_startendtag(self, tag, attrs):
        self._joinable = False

    def handle_data(self, data):
        # The parser may hand one text node over in pieces.
        if self._joinable:
            self.nodes[-1] += data
        else:
            self.nodes.append(data)
        self._joinable = True


def _text_nodes(markup: str) -> list[str]:
    parser = _TextNodes()
    parser.feed(markup)
    parser.close()
    return parser.nodes


def _is_answer(word: str) -> bool:
    # One escaped "**" is removed before the check ("*word***" shows "word*").
    bare = word.replace("**", "", 1)
    return len(bare) > 2 and bare[0] == "*" and "*" in (bare[-1], bare[-2])


def words(params: dict) -> list[tuple[str, bool]]:
    """Each selectable word and whether it is one to mark, in player order."""
    markup = params.get("textField")
    found = []
    for node in _text_nodes(markup if isinstance(markup, str) else ""):
        for chunk in js_words(node.replace("\r", " ").replace("\n", " ")):
            word = chunk.lstrip(LEADING).rstrip(TRAILING)
            if word:
                found.append((word, _is_answer(word)))
    return found


def max_score(params: dict) -> int:
    return max(sum(answer for _word, answer in words(params)), 1)


def blank_response(params: dict) -> str:
    return ""


def score(params: dict, response: str) -> Score:
    listed = words(params)
    chosen = indices(response, len(listed))
    right = sum(listed[i][1] for i in chosen)
    wrong = len(chosen) - right
    answers = sum(answer for _word, answer in listed)
    if not answers:
        raw, top = int(wrong == 0), 1
    else:
        raw, top = max(0, right - wrong), answers
    return Score(raw, top, raw == top)
