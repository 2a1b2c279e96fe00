"""The Russian catalogue is complete and compiled: no English by accident."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M)


def _unquote(lines: str) -> str:
    return "".join(re.findall(r'"(.*)"', lines)).encode().decode("unicode_escape")


def catalogue() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for match in ENTRY.finditer(text):
        msgid = _unquote(match.group(1)).encode("latin1").decode("utf-8")
        entries[msgid] = _unquote(match.group(2)).encode("latin1").decode("utf-8")
    entries.pop("", None)
    return entries


def test_every_message_has_a_russian_translation():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy\nmsgid" not in text
    untranslated = [msgid for msgid, msgstr in catalogue().items() if not msgstr]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for msgid, msgstr in catalogue().items():
        assert translations.gettext(msgid) == msgstr, msgid
