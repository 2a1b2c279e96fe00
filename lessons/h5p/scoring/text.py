"""String rules of the H5P libraries' JavaScript, reproduced for re-scoring.

Python's `str.strip()`, `str.split()` and `re`'s `\\s` differ from JavaScript's on
a few code points (U+FEFF, U+0085, U+001C–U+001F), and JavaScript counts string
lengths in UTF-16 units; a mismatch here shifts a pupil's score.
"""

import re

from django.utils.translation import gettext as _

from lessons.h5p.scoring.verdict import Malformed

# JavaScript's WhiteSpace and LineTerminator (what `trim()` and `\s` match).
JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
JS_SPACE_RUN = re.compile(f"[{re.escape(JS_SPACE)}]+")
LIST_SEPARATOR = "[,]"
# Indices as the libraries write them: String(n), no sign, no leading zero.
INDEX = re.compile(r"0|[1-9][0-9]{0,5}")


def js_trim(text: str) -> str:
    return text.strip(JS_SPACE)


def js_trim_end(text: str) -> str:
    return text.rstrip(JS_SPACE)


def js_words(text: str) -> list[str]:
    """`text.split(/\\s+/)` without the empty ends."""
    return [word for word in JS_SPACE_RUN.split(text) if word]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parts(response: str, count: int) -> list[str]:
    """A `[,]`-joined list that must hold exactly `count` items.

    A typed `[,]` shifts every later item, so any other count is refused.
    """
    found = response.split(LIST_SEPARATOR) if count or response else []
    if len(found) != count:
        raise Malformed(
            _("The answer has %(found)d parts, the game has %(count)d.")
            % {"found": len(found), "count": count}
        )
    return found


def indices(response: str, size: int) -> list[int]:
    """Distinct indices in [0, size), `[,]`-joined; `""` is no selection."""
    if response == "":
        return []
    found = []
    for token in response.split(LIST_SEPARATOR):
        if not INDEX.fullmatch(token) or int(token) >= size:
            raise Malformed(
                _("The answer names an option the game does not have: %(token)s.")
                % {"token": token[:20]}
            )
        found.append(int(token))
    if len(set(found)) != len(found):
        raise Malformed(_("The answer names the same option twice."))
    return found


def osa_distance(left: str, right: str) -> int:
    """Optimal-string-alignment Damerau–Levenshtein distance in UTF-16 units
    (insert, delete, substitute, swap of neighbours: 1 each), as H5P.TextUtilities."""
    a = _utf16_units(left)
    b = _utf16_units(right)
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(row[j - 1] + 1, rows[i - 1][j] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _utf16_units(text: str) -> list[int]:
    data = text.encode("utf-16-le")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]
