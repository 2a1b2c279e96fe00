"""The Russian catalogue is complete and compiled: no English by accident."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES"
ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M
)


def _unquote(lines: str) -> str:
    return "".join(re.findall(r'"(.*)"', lines)).encode().decode("unicode_escape")


def _text(lines: str | None) -> str | None:
    return None if lines is None else _unquote(lines).encode("latin1").decode("utf-8")


def catalogue() -> dict[tuple[str | None, str], str]:
    """(context, msgid) → msgstr for every singular entry of the .po file."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for match in ENTRY.finditer(text):
        context, msgid, msgstr = (_text(group) for group in match.groups())
        entries[(context, msgid)] = msgstr
    entries.pop((None, ""), None)
    return entries


def test_every_message_has_a_russian_translation():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy\nmsgid" not in text
    untranslated = [key for key, msgstr in catalogue().items() if not msgstr]
    assert untranslated == []
    # An empty plural form: `msgstr[n] ""` with no continuation line after it.
    assert not re.search(r'^msgstr\[\d\] ""\n(?!")', text, re.M)


def test_the_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for (context, msgid), msgstr in catalogue().items():
        if context is None:
            assert translations.gettext(msgid) == msgstr, msgid
        else:
            assert translations.pgettext(context, msgid) == msgstr, msgid
