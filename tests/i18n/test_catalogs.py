"""Catalogs: fresh, complete, same placeholders, compile; Dutch source in plain language."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from wzt_bot.domain.models import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
TRANSLATED = [loc for loc in SUPPORTED_LOCALES if loc != "nl"]
MAX_SENTENCE_WORDS = 15
MAX_MESSAGE_WORDS = 80


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=locale)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def _ids(catalog: Catalog) -> set[str]:
    return {str(m.id) for m in catalog if m.id}


def test_template_is_fresh(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = _ids(_read(LOCALES / "messages.pot"))
    assert _ids(_read(fresh)) == committed, "run `wzt-bot i18n update` and commit locales/"


@pytest.mark.parametrize("locale", TRANSLATED)
def test_language_is_complete_with_same_placeholders(locale: str) -> None:
    template = _ids(_read(LOCALES / "messages.pot"))
    catalog = _read(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    assert _ids(catalog) == template, f"{locale}: run `wzt-bot i18n update`"
    for message in catalog:
        if not message.id:
            continue
        msgid, msgstr = str(message.id), str(message.string or "")
        assert msgstr.strip(), f"{locale}: no translation for {msgid!r}"
        assert not message.fuzzy, f"{locale}: fuzzy translation for {msgid!r}"
        assert _fields(msgstr) == _fields(msgid), f"{locale}: placeholders differ in {msgid!r}"
        for command in re.findall(r"/[a-z]+", msgid):
            assert command in msgstr, f"{locale}: command {command} lost in {msgid!r}"
        for number in re.findall(r"\b\d{3,4}\b", msgid):
            assert number in msgstr, f"{locale}: helpline {number} lost in {msgid!r}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_compiles(locale: str, tmp_path: Path) -> None:
    path = LOCALES / locale / "LC_MESSAGES" / "messages.po"
    catalog = _read(path, locale)
    errors = [(m.id, err) for m, err in catalog.check()] if hasattr(catalog, "check") else []
    assert not errors
    with (tmp_path / "messages.mo").open("wb") as fp:
        write_mo(fp, catalog)
    assert (tmp_path / "messages.mo").stat().st_size > 0


def _jargon() -> list[str]:
    lines = (Path(__file__).with_name("jargon.txt")).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


EXPLAINED = re.compile(r"dat betekent|dat wil zeggen|dit is|dat is|\(", re.IGNORECASE)


def _is_list(text: str) -> bool:
    return sum(1 for line in text.splitlines() if line.lstrip().startswith(("•", "-", "1"))) >= 3


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?:])\s+|\n+", text)
    return [p for p in parts if p.strip()]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text) if re.search(r"\w", w)]


def test_dutch_is_plain() -> None:
    problems: list[str] = []
    jargon = _jargon()
    for message in _read(LOCALES / "messages.pot"):
        if not message.id:
            continue
        text = str(message.id)
        for sentence in _sentences(text):
            if len(_words(sentence)) > MAX_SENTENCE_WORDS:
                problems.append(f"sentence over {MAX_SENTENCE_WORDS} words: {sentence!r}")
        if len(_words(text)) > MAX_MESSAGE_WORDS and not _is_list(text):
            problems.append(f"message over {MAX_MESSAGE_WORDS} words: {text[:60]!r}…")
        for word in jargon:
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) and not (
                EXPLAINED.search(text)
            ):
                problems.append(f"jargon {word!r} without explanation: {text[:60]!r}")
    assert not problems, "\n".join(problems)


def test_plain_language_check_catches_bad_text() -> None:
    """The checks above can fail: they catch a long sentence and unexplained jargon."""
    long_sentence = " ".join(["woord"] * 16) + "."
    assert any(len(_words(s)) > MAX_SENTENCE_WORDS for s in _sentences(long_sentence))
    assert re.search(r"(?<!\w)MMPPS(?!\w)", "Je MMPPS-test is klaar.", re.IGNORECASE)
    assert not EXPLAINED.search("Je MMPPS-test is klaar")


def test_no_words_of_control_or_sanction_in_dutch() -> None:
    forbidden = re.compile(
        r"niet-toeleidbaar|verplicht|sanctie|controleren wij|moet je|je moet|schorsing|straf",
        re.IGNORECASE,
    )
    hits = [
        str(m.id) for m in _read(LOCALES / "messages.pot") if m.id and forbidden.search(str(m.id))
    ]
    assert hits == []
