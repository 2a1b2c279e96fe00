"""Re-scoring H5P.Blanks 1.14, H5P.DragText 1.10 and H5P.MarkTheWords 1.11."""

import pytest

from lessons.h5p.models import Verification
from lessons.h5p.scoring import markthewords, rescore
from tests.lessons.h5p import xapi

# --- Blanks. Fixture blanks, in order: Москва | Санкт-Петербург/Петербург/Питер
# | colour/color | H2O (tags stripped) | Fish & Chips (entity decoded) | "" (a
# tip only) | кот. The empty question and the empty pair "**" add none.
BLANKS_RIGHT = ["Москва", "Питер", "color", "H2O", "Fish & Chips", "", "кот"]


def blanks(answers, claimed_raw, *, content=None):
    content = content or xapi.content("blanks")
    found = xapi.statement(claimed_raw, 7, response="[,]".join(answers))
    return rescore(xapi.BL, content, found, None)


def with_answer(index: int, answer: str) -> list[str]:
    answers = list(BLANKS_RIGHT)
    answers[index] = answer
    return answers


def blanks_behaviour(**behaviour) -> dict:
    content = xapi.content("blanks")
    content["behaviour"].update(behaviour)
    return content


def test_blanks_all_right():
    result = blanks(BLANKS_RIGHT, 7)

    assert (result.verification, result.raw, result.max) == ("verified", 7, 7)
    assert result.success is None  # Blanks sends no success


@pytest.mark.parametrize(
    ("index", "answer", "right"),
    [
        (0, "  Москва ", True),
        (0, "Москва&nbsp;", True),  # the typed text "&nbsp;" becomes a space
        (0, "\ufeffМосква", True),  # JavaScript's trim() removes U+FEFF
        (0, "\x1cМосква", False),  # ...but not U+001C (Python's strip() would)
        (0, "москва", False),  # case matters by default
        (1, "Санкт-Петербург", True),
        (1, "Петербург", True),
        (1, "Ленинград", False),
        (2, "colour", True),
        (3, "H<sub>2</sub>O", False),
        (4, "Fish &amp; Chips", False),
        (5, "что-то", False),
        (6, "кит", False),
    ],
)
def test_blanks_one_answer(index, answer, right):
    result = blanks(with_answer(index, answer), 6 + right)

    assert result.verification == Verification.VERIFIED
    assert result.raw == 6 + right


def test_blanks_case_insensitive_unless_exactly_true():
    assert blanks(with_answer(0, "мОСКВА"), 7, content=blanks_behaviour()).raw == 6
    for value in (False, "true", 1):
        content = blanks_behaviour(caseSensitive=value)
        assert blanks(with_answer(0, "мОСКВА"), 7, content=content).raw == 7


def test_blanks_case_sensitive_by_default_when_the_key_is_missing():
    content = xapi.content("blanks")
    del content["behaviour"]["caseSensitive"]

    assert blanks(with_answer(6, "Кот"), 6, content=content).raw == 6


@pytest.mark.parametrize(
    ("index", "typed", "right"),
    [
        (0, "Моска", True),  # 6 letters: one edit
        (0, "Мсквы", False),  # two edits
        (1, "Санкт-Петрбург", True),  # 15 letters: two edits
        (1, "Санкт-Птрбург", True),
        (1, "Санк-Птрбург", False),  # three
        (1, "Петрбург", True),  # any alternative may be near
        (4, "Fish & Cihps", True),  # a swap of neighbours is one edit
        (6, "кт", False),  # 1–3 letters must match exactly
        (3, "H20", False),
    ],
)
def test_blanks_spelling_errors(index, typed, right):
    content = blanks_behaviour(acceptSpellingErrors=True)

    result = blanks(with_answer(index, typed), 6 + right, content=content)

    assert (result.verification, result.raw) == ("verified", 6 + right)


def test_blanks_lengths_count_utf16_units():
    content = blanks_behaviour(acceptSpellingErrors=True)
    content["questions"].append("<p>Смайлик: *a🙂b*</p>")
    claim = xapi.statement(8, 8, response="[,]".join([*BLANKS_RIGHT, "a🙂c"]))

    # "a🙂b" is four UTF-16 units long, so one edit is allowed.
    result = rescore(xapi.BL, content, claim, None)

    assert (result.verification, result.raw, result.max) == ("verified", 8, 8)


def test_blanks_nbsp_in_the_source_is_not_a_typed_space():
    content = xapi.content("blanks")
    content["questions"][2] = "<p>*Fish&nbsp;Chips*</p>"
    answers = ["Москва", "Питер", "Fish Chips", "", "кот"]
    claim = xapi.statement(4, 5, response="[,]".join(answers))

    result = rescore(xapi.BL, content, claim, None)

    assert (result.verification, result.raw, result.max) == ("verified", 4, 5)


@pytest.mark.parametrize(
    "answers",
    [
        with_answer(0, "Моск[,]ва"),  # typed separator shifts every blank
        BLANKS_RIGHT[:-1],
        [*BLANKS_RIGHT, ""],
    ],
)
def test_blanks_wrong_part_count_is_refused(answers):
    result = blanks(answers, 7)

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 7)
    assert result.reason


def test_blanks_forged_claim():
    result = blanks(["", "", "", "", "", "", ""], 7)

    assert (result.verification, result.raw, result.max) == ("mismatch", 1, 7)


# --- DragText. Zones: Скандинавия (tip removed) | rock &amp; roll (feedback
# removed, entity kept) | Париж | Москва; distractors: Лондон, Москва.
DT_RIGHT = ["Скандинавия", "rock &amp; roll", "Париж", "Москва"]


def dragtext(placed, claimed_raw, *, content=None):
    claim = xapi.statement(claimed_raw, 4, response="[,]".join(placed))
    return rescore(xapi.DT, content or xapi.content("dragtext"), claim, None)


def test_dragtext_right_partial_and_empty():
    right = dragtext(DT_RIGHT, 4)
    partial = dragtext(["Лондон", "rock &amp; roll", "", "Москва"], 2)
    empty = dragtext(["", "", "", ""], 0)

    assert (right.verification, right.raw, right.max) == ("verified", 4, 4)
    assert (partial.verification, partial.raw) == ("verified", 2)
    assert (empty.verification, empty.raw) == ("verified", 0)


def test_dragtext_distractor_equal_to_an_answer_is_a_second_copy():
    two = dragtext(["Скандинавия", "rock &amp; roll", "Москва", "Москва"], 3)
    three = dragtext(["Москва", "rock &amp; roll", "Москва", "Москва"], 2)

    assert (two.verification, two.raw) == ("verified", 3)
    assert (three.verification, three.raw) == ("mismatch", 0)


@pytest.mark.parametrize(
    "placed",
    [
        ["Скандинавия", "rock & roll", "Париж", "Москва"],  # no decoding
        ["Скандинавия", "rock &amp; roll", "париж", "Москва"],  # case matters
        ["Скандинавия:Северная Европа", "", "", ""],
        ["Скандинавия", "rock &amp; roll", "Париж"],
        ["Скандинавия", "Париж", "Париж", "Москва"],
    ],
)
def test_dragtext_words_not_offered_are_refused(placed):
    result = dragtext(placed, 4)

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 4)


def test_dragtext_keeps_leading_spaces_and_trims_trailing_ones():
    content = xapi.content("dragtext")
    content.update(textField="Столица — * Париж  *.", distractors="")

    def run(word):
        claim = xapi.statement(1, 1, response=word)
        return rescore(xapi.DT, content, claim, None)

    assert (run(" Париж").verification, run(" Париж").raw) == ("verified", 1)
    assert run("Париж").verification == Verification.MISMATCH


def test_dragtext_forged_claim():
    result = dragtext(["Москва", "", "", ""], 4)

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 4)


# --- MarkTheWords: the word list the player builds from the fixture.
MTW_WORDS = [
    "Кошка", "*бежит*", "по", "крыше", "а", "собака", "*лает*",
    "Птицы", "*поют*", "ученик", "—", "*читает*", "книгу",
    "Звезда", "*горит***", "два", "*слова", "вместе*", "не*считаются*",
    "wo", "rd", "и", "*спит*",
]  # fmt: skip
MTW_ANSWERS = [1, 6, 8, 11, 14, 22]


def test_mark_the_words_tokeniser():
    listed = markthewords.words(xapi.content("markthewords"))

    assert [word for word, _answer in listed] == MTW_WORDS
    assert [i for i, (_w, answer) in enumerate(listed) if answer] == MTW_ANSWERS


def mtw(chosen, claimed, *, content=None):
    claim = xapi.statement(*claimed, response="[,]".join(str(i) for i in chosen))
    return rescore(xapi.MTW, content or xapi.content("markthewords"), claim, None)


def test_mark_the_words_right_partial_and_wrong():
    right = mtw(MTW_ANSWERS, (6, 6))
    extra = mtw([0, *MTW_ANSWERS], (5, 6))
    phrase = mtw([16, 17, 18], (0, 6))
    more_wrong = mtw([1, 0, 2], (0, 6))

    assert (right.verification, right.raw, right.max, right.success) == (
        "verified", 6, 6, True,
    )  # fmt: skip
    assert (extra.verification, extra.raw, extra.success) == ("verified", 5, False)
    assert (phrase.verification, phrase.raw) == ("verified", 0)
    assert (more_wrong.verification, more_wrong.raw) == ("verified", 0)


@pytest.mark.parametrize("chosen", [[23], [1, 1], ["x"], ["-1"]])
def test_mark_the_words_malformed(chosen):
    result = mtw(chosen, (6, 6))

    assert (result.verification, result.raw, result.max) == ("mismatch", 0, 6)


def test_mark_the_words_without_answers_scores_one_for_marking_nothing():
    content = xapi.content("markthewords")
    content["textField"] = "<p>Просто текст без ответов.</p>"

    nothing = mtw([], (1, 1), content=content)
    something = mtw([0], (1, 1), content=content)

    assert (nothing.verification, nothing.raw, nothing.max) == ("verified", 1, 1)
    assert (something.verification, something.raw) == ("mismatch", 0)
