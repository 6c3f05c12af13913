"""Long texts over several Telegram messages, never cutting a word.

Telegram takes at most 4,096 characters per message, counted in UTF-16 code units. A text
longer than that is split at the last line break or space that fits; only a single "word"
longer than a whole message is broken inside (nothing is left out either way).
"""

from __future__ import annotations

TELEGRAM_TEXT_LIMIT = 4096


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _fits(text: str, limit: int) -> int:
    """The number of characters of `text` (a prefix) that fit in `limit` UTF-16 units."""
    if units(text) <= limit:
        return len(text)
    count = used = 0
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            break
        count += 1
    return count


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """`text` as parts of at most `limit` units; each break is at a line break or a space."""
    parts: list[str] = []
    rest = text
    while units(rest) > limit:
        head = rest[: _fits(rest, limit)]
        cut = max(head.rfind("\n"), head.rfind(" "))
        if cut <= 0:  # one word longer than a message: break it, lose nothing
            cut = len(head)
            parts.append(head)
            rest = rest[cut:]
            continue
        parts.append(head[:cut].rstrip())
        rest = rest[cut + 1 :].lstrip("\n")
    parts.append(rest)
    return [p for p in parts if p] or [""]
