"""Gettext catalogs (Babel) per locale. Dutch msgids are the source text.

Compiled `.mo` files are used when present and fresh; otherwise the `.po` file is compiled in
memory, so a fresh checkout works without a build step.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from wzt_bot.domain.models import SUPPORTED_LOCALES

DOMAIN = "messages"
RTL_LOCALES = frozenset({"ar"})
LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate … pop directional isolate
# Left alone, as written: a run already isolated, a URL, an e-mail address, a domain name
# ("zelfmoord1813.be"). Marks inside them would break the link and copy-paste.
_KEEP = (
    rf"{LRI}[^{PDI}]*{PDI}"
    r"|(?:https?://|www\.)\S+"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.-])(?:[\w-]+\.)+[A-Za-z]{2,}\b(?:/\S*)?"
)
# A whole run of digits and what joins them, isolated as one unit: a phone number ("0800 240
# 50", "+32 2 ..."), a date ("07/12/2026"), a time ("20:00"), a code. Not digits inside a
# Latin word ("P-1A2B3C", "4de"): those stay as they are.
_LATIN = r"0-9A-Za-z\u00c0-\u024f_"
_RUN = rf"(?<![{_LATIN}])\+?\d+(?:[ .:/-]\d+)*(?![{_LATIN}])"
_ISOLATE = re.compile(rf"(?P<keep>{_KEEP})|(?P<run>{_RUN})")


def default_locales_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "locales"


def isolate_numbers(text: str) -> str:
    """Keep numbers left-to-right inside right-to-left text (Unicode bidi isolates).

    Each whole run (phone number, date, time, code) is one isolate; URLs, domain names,
    e-mail addresses, words and runs already isolated get no marks inside. Idempotent."""
    return _ISOLATE.sub(_isolate, text)


def _isolate(match: re.Match[str]) -> str:
    run = match.group("run")
    return match.group(0) if run is None else f"{LRI}{run}{PDI}"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


@dataclass(frozen=True, slots=True)
class Translator:
    locale: str
    _t: NullTranslations

    @property
    def rtl(self) -> bool:
        return self.locale in RTL_LOCALES

    def __call__(self, message: str, /, **params: Any) -> str:
        text = self._t.gettext(message)
        if params:
            text = text.format(**params)
        return isolate_numbers(text) if self.rtl else text

    def n(self, singular: str, plural: str, count: int, /, **params: Any) -> str:
        text = self._t.ngettext(singular, plural, count).format(count=count, **params)
        return isolate_numbers(text) if self.rtl else text


def _load(locales_dir: Path, locale: str) -> NullTranslations:
    po = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    if po.exists():
        with po.open("rb") as fp:
            catalog = read_po(fp, locale=locale, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    return NullTranslations()


class I18n:
    def __init__(
        self,
        locales_dir: Path | None = None,
        *,
        default_locale: str = "nl",
        locales: Iterable[str] = SUPPORTED_LOCALES,
    ) -> None:
        self.locales_dir = locales_dir or default_locales_dir()
        self.default_locale = default_locale
        self.locales = tuple(locales)
        self._translators = {
            locale: Translator(locale, _load(self.locales_dir, locale)) for locale in self.locales
        }

    def get(self, locale: str | None) -> Translator:
        return self._translators.get(locale or "", self._translators[self.default_locale])

    def all(self) -> Iterable[Translator]:
        return self._translators.values()
