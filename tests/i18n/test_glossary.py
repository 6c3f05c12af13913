"""One word per term and language (issue 16 §6): locales/<lang>/glossary.tsv lists, per
Dutch term, the required translation and the forbidden ones; every translated msgid that
contains the Dutch term is checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from wzt_bot.domain.models import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
TRANSLATED = [loc for loc in SUPPORTED_LOCALES if loc != "nl"]
TERMS = {"begeleider", "casemanager", "traject", "team", "zorg", "stage", "eindadvies",
         "klacht", "hulpmiddel"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    dutch: re.Pattern[str]
    required: tuple[str, ...]
    forbidden: tuple[str, ...]


def glossary(locale: str) -> list[Entry]:
    entries = []
    lines = (LOCALES / locale / "glossary.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.strip() or line.startswith("#") or line.startswith("dutch\t"):
            continue
        dutch, required, forbidden, *_ = [*line.split("\t"), "", ""]
        entries.append(
            Entry(
                re.compile(rf"(?<!\w)(?:{dutch})(?!\w)", re.IGNORECASE),
                tuple(r for r in required.split("|") if r),
                tuple(f for f in forbidden.split("|") if f),
            )
        )
    return entries


def problems(locale: str, entries: list[Entry], messages: dict[str, str]) -> list[str]:
    found = []
    for msgid, msgstr in messages.items():
        if not msgstr:
            continue
        for entry in entries:
            if not entry.dutch.search(msgid):
                continue
            lowered = msgstr.casefold()
            if not any(r.casefold() in lowered for r in entry.required):
                found.append(f"{locale}: {entry.required[0]!r} missing: {msgid!r} -> {msgstr!r}")
            for word in entry.forbidden:
                if word in msgstr:
                    found.append(f"{locale}: forbidden {word!r}: {msgid!r} -> {msgstr!r}")
    return found


def _messages(locale: str) -> dict[str, str]:
    with (LOCALES / locale / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        catalog = read_po(fp, locale=locale)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_glossary_covers_the_terms(locale: str) -> None:
    dutch = " ".join(e.dutch.pattern for e in glossary(locale))
    for term in TERMS:
        assert term in dutch, f"{locale}: no glossary entry for {term!r}"
    assert all(e.required for e in glossary(locale))


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_use_the_glossary(locale: str) -> None:
    found = problems(locale, glossary(locale), _messages(locale))
    assert not found, "\n".join(found)


def test_the_check_catches_a_forbidden_and_a_missing_term() -> None:
    entries = glossary("fr")
    bad = {"Je traject": "Ton trajet", "Je team": "Ton groupe"}
    found = problems("fr", entries, bad)
    assert any("forbidden 'trajet'" in p for p in found)
    assert any("'équipe' missing" in p for p in found)
    en = problems("en", glossary("en"), {"🦯 Hulpmiddelen": "🦯 Aids"})
    assert any("forbidden 'Aids'" in p for p in en)
