"""Masking of shared free-text answers before a report shows them.

- e-mail addresses -> "[e-mail]";
- phone numbers (a run of 8 or more digits, optionally with +, spaces, dots, slashes or
  dashes between them: 0470 12 34 56, +32 9 123 45 67) -> "[telefoon]";
- names -> "[naam]", by a heuristic: a capitalised word that does not start a sentence
  (Dutch writes common nouns in lower case), and any word straight after a title or a role
  word (meneer, mevrouw, juf, casemanager, begeleider, ...), also at a sentence start.

Limits of the name heuristic: a name written in lower case, or as the first word of a
sentence without a title before it, is not caught; place names, organisations (VDAB, OCMW)
and brand names mid-sentence are masked too (over-masking is the safe side); a name spelled
out with spaces or digits is not recognised. Reports therefore show free text only when the
participant agreed to share it and the question has at least K respondents.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d(?:[\s./-]?\d){7,}(?!\w)")
_TITLES = (
    "meneer|mevrouw|mevr|dhr|mr|juf|juffrouw|meester|dokter|dr|casemanager|begeleider"
    "|begeleidster|coach|consulent|bemiddelaar|trajectbegeleider"
)
_AFTER_TITLE = re.compile(rf"(?i)\b({_TITLES})\.?\s+(\w[\w'-]*)")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_SENTENCE_END = re.compile(r"[.!?]\s*$")
NAME, PHONE, EMAIL = "[naam]", "[telefoon]", "[e-mail]"


def _names(text: str) -> str:
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(text):
        before = text[: m.start()]
        start_of_sentence = not before.strip() or bool(_SENTENCE_END.search(before))
        word = m.group()
        is_placeholder = before.endswith("[")
        if word[0].isupper() and not start_of_sentence and not is_placeholder:
            out.append(text[last : m.start()])
            out.append(NAME)
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def mask(text: str) -> str:
    text = _EMAIL.sub(EMAIL, text)
    text = _PHONE.sub(PHONE, text)
    text = _AFTER_TITLE.sub(lambda m: f"{m.group(1)} {NAME}", text)
    return _names(text)
