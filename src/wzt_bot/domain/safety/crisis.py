"""Crisis-risk detection: a deterministic first line that tells the bot a human must look now.

Patterns rather than a model because the result must be explainable (the matching pattern
is logged), reproducible in tests, available offline and cheap. The detector errs towards
flagging: a needless flag costs a counsellor a minute, a missed one can cost far more.
It only ever adds a flag; it never decides that someone is safe.

Pattern files live in ``patterns/<language>.txt`` (package data). Each has the sections
``[suicide]``, ``[violence]``, ``[crisis]`` and ``[ignore]``, one regular expression per
line, written for the output of :func:`normalise`. ``[ignore]`` holds that language's
everyday figures of speech ("ik ben doodmoe", "mort de rire"); they are cut out of the
text, for that language's risk patterns only, before those run. Every language is checked
for every message, because people mix languages; the first match wins in the order
suicide, violence, crisis (the definition order of :class:`RiskKind`).

Normalisation, in this order:

1. apostrophe look-alikes (’ ‘ ‛ ` ´ ʼ ʻ ʹ ′ ＇) become ``'``;
2. Unicode NFKC (full-width forms, ligatures, Arabic presentation forms), then casefold;
3. letters that decomposition leaves alone are mapped: ı→i, ł→l, ø→o, đ→d, œ→oe,
   æ→ae; in Arabic أ إ آ ٱ→ا, ى and Persian ی→ي, ة→ه, and the tatweel ـ is dropped;
4. accents go: combining marks after a Latin, Cyrillic or Greek letter, a digit or a
   symbol are removed (é→e, ş→s, й→и, ї→і, a variation selector after an emoji);
   in Arabic only the harakat and Quranic marks go, so ؤ and ئ keep their hamza;
5. in a word that mixes Cyrillic and Latin letters the Latin look-alikes (a c e i k o p
   x y) become Cyrillic: on a Russian keyboard Ukrainians type a Latin i for і;
6. format characters (zero-width joiners, bidi controls, soft hyphens) are removed,
   other control characters become spaces and line breaks become clause breaks;
7. a hyphen or slash between two letters becomes a space (zelf-moord, m-a lovit); every
   other punctuation mark or symbol, emoji included, becomes a clause break;
8. runs of three or more identical letters shrink to two (doooood → dood);
9. whitespace collapses to one space and clause breaks to a single `` . ``, with none
   at either end. Patterns use ``(?: \\.|$)`` for "the clause ends here", and a gap such
   as ``(?:\\w+ ){0,2}`` never crosses a clause break.

Digits are deliberately not mapped to letters: Arabizi (Moroccan and Levantine Arabic in
Latin script, common among participants) uses 3, 7 and 9 as letters.

Rules for pattern lines: no named groups, no backreferences and no inline global flags,
because each section is compiled into one alternation of named groups (one search per
section, and the group that matched names the pattern line for the log). A line that starts
with ``\\b`` must go on with a letter, digit or apostrophe: such lines share one guard.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

__all__ = ["CrisisDetector", "RiskKind", "RiskMatch", "normalise"]

DEFAULT_LANGUAGES = ("nl", "en", "fr", "ar", "tr", "pl", "ro", "uk")
IGNORE_SECTION = "ignore"


class RiskKind(enum.StrEnum):
    """What a message may signal. Definition order is detection priority."""

    SUICIDE = "suicide"  # suicidal thoughts or self-harm
    VIOLENCE = "violence"  # violence against the participant, or threats to harm others
    CRISIS = "crisis"  # acute crisis: at the end of one's tether, panic, no roof, no food


SECTIONS = (*(kind.value for kind in RiskKind), IGNORE_SECTION)


@dataclass(frozen=True, slots=True)
class RiskMatch:
    kind: RiskKind
    language: str  # the pattern file's language
    pattern: str  # the pattern line that matched: for logs and tests, never for participants


# --- normalisation -------------------------------------------------------------------------

_APOSTROPHES = str.maketrans(
    dict.fromkeys("\u2019\u2018\u201b`\u00b4\u02bc\u02bb\u02b9\u2032\uff07", "'")
)
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "œ": "oe",
        "æ": "ae",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ة": "ه",
        "ـ": "",
    }
)
_LATIN_TO_CYRILLIC = str.maketrans("aceikopxy", "асеікорху")
_LETTER_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[a-z]")
_WORD_JOINER = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011\u2012\u2013\u2014/](?=[^\W\d_])")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
_LETTER_RUN = re.compile(r"([^\W\d_])\1{2,}")
_BREAKS = re.compile(r"[\s.]*\.[\s.]*")
_SPACES = re.compile(r"\s+")
_CLAUSE_BREAK = " . "


def _is_arabic_vowel_mark(char: str) -> bool:
    """Harakat, superscript alef and Quranic annotation marks; not the hamza marks."""
    code = ord(char)
    return (
        0x0610 <= code <= 0x061A
        or 0x064B <= code <= 0x0652
        or 0x0656 <= code <= 0x065F
        or code == 0x0670
        or 0x06D6 <= code <= 0x06ED
    )


def _marks_removable_after(base: str) -> bool:
    """Accents go after Latin, Cyrillic and Greek letters and after anything not a letter."""
    if not base[0].isalpha():
        return True
    code = ord(base)
    return (
        code < 0x0250  # Basic Latin up to Latin Extended-B
        or 0x0370 <= code <= 0x052F  # Greek, Cyrillic, Cyrillic Supplement
        or 0x1E00 <= code <= 0x1FFF  # Latin Extended Additional, Greek Extended
        or 0x2C60 <= code <= 0x2C7F  # Latin Extended-C
        or 0xA640 <= code <= 0xA69F  # Cyrillic Extended-B
        or 0xA720 <= code <= 0xA7FF  # Latin Extended-D
    )


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    kept: list[str] = []
    removable = True
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me"}:
            if removable or _is_arabic_vowel_mark(char):
                continue
        else:
            removable = _marks_removable_after(char)
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _cyrillic_lookalikes(text: str) -> str:
    def fix(word: re.Match[str]) -> str:
        token = word.group()
        if _CYRILLIC.search(token) and _LATIN.search(token):
            return token.translate(_LATIN_TO_CYRILLIC)
        return token

    return _LETTER_WORD.sub(fix, text)


def _separate(text: str) -> str:
    """Drop format characters, then turn punctuation, symbols and line breaks into breaks."""
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = _WORD_JOINER.sub(" ", text)
    parts: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char == "'" or category[0] in "LNM":
            parts.append(char)
        elif char in _LINE_BREAKS or category[0] in "PS":
            parts.append(_CLAUSE_BREAK)
        else:  # other controls, separators, unassigned
            parts.append(" ")
    return "".join(parts)


def _tidy(text: str) -> str:
    text = _BREAKS.sub(_CLAUSE_BREAK, text)
    return _SPACES.sub(" ", text).strip(" .")


def normalise(text: str) -> str:
    """The form every pattern is written for; see the module docstring for the steps."""
    text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES)).casefold()
    text = _strip_marks(text.translate(_LETTERS))
    text = _separate(_cyrillic_lookalikes(text))
    return _tidy(_LETTER_RUN.sub(r"\1\1", text))


# --- pattern files ---------------------------------------------------------------------------

_SECTION_HEADER = re.compile(r"\[(\w+)\]")
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


def _starts_at_word(line: str) -> bool:
    r"""True if the whole line must start where a word starts: it begins with ``\b`` and has
    no ``|`` outside parentheses and character classes (then the ``\b`` covers every branch).
    """
    if not line.startswith("\\b"):
        return False
    depth = 0
    in_class = escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Section:
    r"""One section of one language as a single alternation of named groups.

    Lines that start at a word are put behind one shared guard, ``\b(?=[\w'])``: the regex
    engine tries every branch at every position, and the guard lets it skip the positions
    inside words at once (about four times faster on a long message).
    """

    lines: tuple[str, ...]
    regex: re.Pattern[str] | None

    @classmethod
    def compile(cls, lines: Iterable[str]) -> _Section:
        kept = tuple(lines)
        return cls(kept, _alternation(kept, named=True))

    def search(self, text: str) -> str | None:
        """The pattern line that matches somewhere in ``text``, if any."""
        if self.regex is None:
            return None
        found = self.regex.search(text)
        if found is None or found.lastgroup is None:
            return None
        return self.lines[int(found.lastgroup[1:])]

    def remove(self, text: str) -> str:
        if self.regex is None:
            return text
        return _tidy(self.regex.sub(_CLAUSE_BREAK, text))


def _alternation(lines: tuple[str, ...], *, named: bool) -> re.Pattern[str] | None:
    """The lines as one regex; `named`: each line in a group ``p<index>``."""
    if not lines:
        return None

    def branch(i: int, line: str) -> str:
        return f"(?P<p{i}>{line})" if named else f"(?:{line})"

    at_word = [(i, line) for i, line in enumerate(lines) if _starts_at_word(line)]
    anywhere = [branch(i, line) for i, line in enumerate(lines) if not _starts_at_word(line)]
    branches = [f"\\b(?=[\\w'])(?:{_by_first_letter(at_word, branch)})"] if at_word else []
    return re.compile("|".join(branches + anywhere))


_PLAIN_START = re.compile(r"[a-z0-9']")


def _group_alternatives(text: str) -> list[str] | None:
    """The top-level alternatives of the group ``(?:...)`` that ``text`` starts with."""
    if not text.startswith("(?:"):
        return None
    depth = 0
    in_class = escaped = False
    parts: list[str] = []
    start = 3
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                parts.append(text[start:index])
                return parts
        elif char == "|" and depth == 1:
            parts.append(text[start:index])
            start = index + 1
    return None


_OPTIONAL = frozenset({"?", "*", "{"})


def _first_letters(pattern: str) -> set[str] | None:
    """The letters a match of ``pattern`` can start with, or None when that is not plain."""
    if pattern.startswith("k?"):
        rest = _first_letters(pattern[2:])
        return None if rest is None else rest | {"k"}
    if pattern.startswith("(?:"):
        return _group_first_letters(pattern)
    if pattern[:1] and _PLAIN_START.match(pattern[0]) and pattern[1:2] not in _OPTIONAL:
        return {pattern[0]}
    return None


def _group_first_letters(pattern: str) -> set[str] | None:
    alternatives = _group_alternatives(pattern)
    if alternatives is None:
        return None
    closing = len("(?:") + sum(len(part) + 1 for part in alternatives) - 1
    if pattern[closing + 1 : closing + 2] in _OPTIONAL:
        return None  # the group itself is optional
    letters: set[str] = set()
    for part in alternatives:
        found = _first_letters(part)
        if found is None:
            return None
        letters |= found
    return letters


def _by_first_letter(lines: list[tuple[int, str]], branch: Callable[[int, str], str]) -> str:
    """The word-start lines as one alternation, grouped behind a lookahead on the first letter.

    The regex engine tries every branch of an alternation at every word start; grouping the
    branches by the letter they can start with lets it skip all groups but one or two at once.
    Lines whose first letters cannot be read plainly go last, ungrouped. Within a group the
    lines keep their file order.
    """
    groups: dict[str, list[str]] = {}
    other: list[str] = []
    for i, line in lines:
        letters = _first_letters(line[2:])  # after the leading \\b
        if letters is None:
            other.append(branch(i, line))
            continue
        key = "".join(sorted(letters))
        groups.setdefault(key, []).append(branch(i, line))
    parts = [f"(?=[{re.escape(key)}])(?:{'|'.join(members)})" for key, members in groups.items()]
    return "|".join(parts + other)


@dataclass(frozen=True, slots=True)
class _Language:
    code: str
    ignore: _Section
    risks: Mapping[RiskKind, _Section]
    #: Every risk line of every kind in one regex: it finds a match exactly when one of the
    #: kinds' sections does (an alternation matches where one of its branches matches), at
    #: about a quarter of the cost of searching each kind. Most messages hold no risk at all,
    #: and for those this one search per language is all there is to do.
    any_risk: re.Pattern[str] | None


def _check_line(line: str, where: str) -> None:
    try:
        compiled = re.compile(line)
    except re.error as exc:
        raise ValueError(f"{where}: invalid pattern {line!r}: {exc}") from exc
    if compiled.groupindex or _BACKREFERENCE.search(line):
        raise ValueError(f"{where}: named groups and backreferences are not allowed: {line!r}")


def _parse(source: str, name: str) -> dict[str, list[str]]:
    """Section name to pattern lines; '#' starts a comment line, blank lines are skipped."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{name}:{number}"
        header = _SECTION_HEADER.fullmatch(line)
        if header is not None:
            section = header.group(1)
            if section not in SECTIONS or section in sections:
                raise ValueError(f"{where}: unknown or repeated section [{section}]")
            current = sections[section] = []
            continue
        if current is None:
            raise ValueError(f"{where}: pattern before the first section")
        _check_line(line, where)
        current.append(line)
    missing = [section for section in SECTIONS if section not in sections]
    if missing:
        raise ValueError(f"{name}: missing sections {missing}")
    return sections


def _read(code: str) -> str:
    if not _LANGUAGE_CODE.fullmatch(code):
        raise ValueError(f"not a language code: {code!r}")
    package = __name__.rpartition(".")[0]
    resource = resources.files(package).joinpath("patterns", f"{code}.txt")
    if not resource.is_file():
        raise ValueError(f"no crisis patterns for language {code!r}")
    return resource.read_text(encoding="utf-8")


def _load_language(code: str) -> _Language:
    sections = _parse(_read(code), f"{code}.txt")
    risks = {kind: _Section.compile(sections[kind.value]) for kind in RiskKind}
    every_line = tuple(line for kind in RiskKind for line in sections[kind.value])
    return _Language(
        code,
        _Section.compile(sections[IGNORE_SECTION]),
        risks,
        _alternation(every_line, named=False),
    )


# --- detector --------------------------------------------------------------------------------


class CrisisDetector:
    """Finds signs of suicide risk, violence or acute crisis in one message.

    Build it once with :meth:`load` (it reads and compiles the pattern files) and share it:
    it is immutable and safe to use from any task or thread. It is CPU-bound: 0.01–0.2 ms
    for a chat-sized message (12-06, this machine), some milliseconds for one of Telegram's
    4,096 characters.
    """

    __slots__ = ("_languages",)

    def __init__(self, languages: Iterable[_Language]) -> None:
        self._languages = tuple(languages)

    @classmethod
    def load(cls, languages: Iterable[str] = DEFAULT_LANGUAGES) -> CrisisDetector:
        """Compiling the pattern files takes a second or more, so a process does it once per
        set of languages and shares the (immutable) result."""
        codes = tuple(dict.fromkeys(languages))
        if not codes:
            raise ValueError("at least one language is needed")
        return _loaded(codes)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language.code for language in self._languages)

    def detect(self, text: str) -> RiskMatch | None:
        """The most serious risk in ``text`` across all loaded languages, or None."""
        return self.detect_normalised(normalise(text))

    def detect_normalised(self, normalised: str) -> RiskMatch | None:
        """As :meth:`detect`, for a text already passed through :func:`normalise`."""
        if not normalised:
            return None
        candidates: list[tuple[_Language, str]] = []
        for language in self._languages:
            cleaned = language.ignore.remove(normalised)
            if language.any_risk is not None and language.any_risk.search(cleaned):
                candidates.append((language, cleaned))
        # Only languages with some match left: which kind, the most serious first.
        for kind in RiskKind:
            for language, cleaned in candidates:
                pattern = language.risks[kind].search(cleaned)
                if pattern is not None:
                    return RiskMatch(kind, language.code, pattern)
        return None

    def __repr__(self) -> str:
        return f"CrisisDetector(languages={self.languages!r})"


@functools.lru_cache(maxsize=8)
def _loaded(codes: tuple[str, ...]) -> CrisisDetector:
    detector = CrisisDetector(_load_language(code) for code in codes)
    # Checking each line compiled it on its own, and `re` keeps up to 512 compiled patterns
    # in its cache: megabytes that no search uses. Only the alternations are needed.
    re.purge()
    return detector
