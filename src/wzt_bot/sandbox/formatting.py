"""Telegram text formatting checks for the fake Bot API server.

These parsers follow the behaviour of Telegram's own (tdlib) parsers closely enough to
catch the mistakes a bot makes in practice: unsupported HTML tags such as ``<br>``,
unbalanced tags, unescaped reserved characters in MarkdownV2, unterminated entities.
They turn formatted text into the plain text a user sees plus a list of message
entities with offsets and lengths in UTF-16 code units, like the Bot API does.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = [
    "PARSE_MODES",
    "EntityParseError",
    "parse_formatted",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]

PARSE_MODES = ("HTML", "Markdown", "MarkdownV2")

Entity = dict[str, Any]


class EntityParseError(ValueError):
    """Raised with the text Telegram puts after "Bad Request: can't parse entities: "."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def parse_formatted(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """Parse ``text`` according to ``parse_mode`` (``None`` means plain text)."""
    if parse_mode is None:
        return text, []
    if parse_mode == "HTML":
        return parse_html(text)
    if parse_mode == "MarkdownV2":
        return parse_markdown_v2(text)
    if parse_mode == "Markdown":
        return parse_markdown(text)
    raise ValueError(f"unsupported parse_mode {parse_mode!r}")


# --------------------------------------------------------------------------- HTML

_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,4});")
_SPACES = " \t\r\n\f"


def _decode_entity(text: str, i: int) -> tuple[str, int] | None:
    """Decode an HTML entity starting at ``text[i] == '&'``; returns (char, next index)."""
    match = _ENTITY_RE.match(text, i)
    if match is None:
        return None
    name = match.group(1)
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
        except ValueError:
            return None
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), match.end()
    char = _NAMED_ENTITIES.get(name.lower()) if name.islower() else _NAMED_ENTITIES.get(name)
    if char is None:
        return None
    return char, match.end()


class _Open:
    __slots__ = ("attrs", "byte_offset", "offset", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], offset: int, byte_offset: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.offset = offset
        self.byte_offset = byte_offset


def _parse_attributes(  # noqa: PLR0912 - tokenizer
    text: str, i: int, tag: str, begin: int
) -> tuple[dict[str, str], int]:
    """Parse attributes from ``i`` up to the closing '>'; returns (attrs, index of '>')."""
    n = len(text)
    attrs: dict[str, str] = {}
    at = _byte_offset(text, begin)
    while True:
        while i < n and text[i] in _SPACES:
            i += 1
        if i >= n:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
        if text[i] == ">":
            return attrs, i
        name_start = i
        while i < n and text[i] not in _SPACES and text[i] not in "=>":
            i += 1
        name = text[name_start:i].lower()
        if not name:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
        while i < n and text[i] in _SPACES:
            i += 1
        if i >= n or text[i] != "=":
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {at}"
            )
        i += 1
        while i < n and text[i] in _SPACES:
            i += 1
        if i >= n:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
        if text[i] in "'\"":
            quote = text[i]
            end = text.find(quote, i + 1)
            if end < 0:
                raise EntityParseError(
                    f'Unclosed end of attribute value of the tag "{tag}" at byte offset {at}'
                )
            value = html.unescape(text[i + 1 : end])
            i = end + 1
        else:
            value_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            value = text[value_start:i]
            if i < n and text[i] not in _SPACES and text[i] != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {_byte_offset(text, i)}"
                )
        attrs[name] = value


def parse_html(text: str) -> tuple[str, list[Entity]]:  # noqa: PLR0912, PLR0915 - tokenizer
    """Parse Telegram-flavoured HTML; raise :class:`EntityParseError` like Telegram."""
    out: list[str] = []
    out_len = 0  # in UTF-16 code units
    stack: list[_Open] = []
    entities: list[Entity] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                char, i = decoded
            else:
                char = c
                i += 1
            out.append(char)
            out_len += utf16_len(char)
            continue
        if c != "<":
            out.append(c)
            out_len += utf16_len(c)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":
            if not stack:
                raise EntityParseError(
                    f"Unexpected end tag at byte offset {_byte_offset(text, begin)}"
                )
            i += 1
            name_start = i
            while i < n and text[i] not in _SPACES and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < n and text[i] in _SPACES:
                i += 1
            if i >= n or text[i] != ">":
                raise EntityParseError(
                    f"Unclosed end tag at byte offset {_byte_offset(text, begin)}"
                )
            i += 1
            top = stack.pop()
            if end_name and end_name != top.tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, begin)}, "
                    f'expected "</{top.tag}>", found "</{end_name}>"'
                )
            _close_html_entity(top, out_len, stack, entities)
            continue
        name_start = i
        while i < n and text[i] not in _SPACES and text[i] != ">":
            i += 1
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        tag = text[name_start:i].lower()
        if tag not in _HTML_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, begin)}'
            )
        attrs, i = _parse_attributes(text, i, tag, begin)
        i += 1  # skip '>'
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        if tag == "tg-emoji" and "emoji-id" not in attrs:
            raise EntityParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset '
                f"{_byte_offset(text, begin)}"
            )
        stack.append(_Open(tag, attrs, out_len, _byte_offset(text, begin)))
    if stack:
        raise EntityParseError(f"Can't find end tag corresponding to start tag {stack[-1].tag}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_html_entity(
    top: _Open, out_len: int, stack: list[_Open], entities: list[Entity]
) -> None:
    length = out_len - top.offset
    if length <= 0:
        return
    kind = _HTML_TAGS[top.tag]
    entity: Entity = {"type": kind, "offset": top.offset, "length": length}
    if top.tag == "a":
        href = top.attrs.get("href", "")
        if not href:
            return
        entity["url"] = href
    elif top.tag == "tg-emoji":
        entity["custom_emoji_id"] = top.attrs.get("emoji-id", "")
    elif top.tag == "blockquote" and "expandable" in top.attrs:
        entity["type"] = "expandable_blockquote"
    elif top.tag == "pre":
        language = top.attrs.get("language")
        if language:
            entity["language"] = language
    elif top.tag == "code" and stack and stack[-1].tag == "pre":
        cls = top.attrs.get("class", "")
        if cls.startswith("language-"):
            stack[-1].attrs["language"] = cls[len("language-") :]
            return
    entities.append(entity)


# --------------------------------------------------------------------------- MarkdownV2

_RESERVED_V2 = "_*[]()~`>#+-=|{}.!"
_V2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


class _V2Open:
    __slots__ = ("argument", "byte_offset", "kind", "offset", "out_index")

    def __init__(
        self, kind: str, offset: int, byte_offset: int, out_index: int, argument: str = ""
    ) -> None:
        self.kind = kind
        self.offset = offset
        self.byte_offset = byte_offset
        self.out_index = out_index
        self.argument = argument


def _reserved(char: str) -> EntityParseError:
    return EntityParseError(
        f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
    )


def _v2_is_end(kind: str, text: str, i: int) -> bool:
    c = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    ends = {
        "bold": c == "*",
        "italic": c == "_" and nxt != "_",
        "underline": c == "_" and nxt == "_",
        "strikethrough": c == "~",
        "spoiler": c == "|" and nxt == "|",
        "code": c == "`",
        "pre": text.startswith("```", i),
    }
    return ends.get(kind, c == "]")  # text_link, custom_emoji end at ']'


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:  # noqa: PLR0912, PLR0915
    """Parse MarkdownV2; raise :class:`EntityParseError` like Telegram."""
    out: list[str] = []
    out_len = 0
    stack: list[_V2Open] = []
    entities: list[Entity] = []
    n = len(text)
    i = 0

    def emit(s: str) -> None:
        nonlocal out_len
        out.append(s)
        out_len += utf16_len(s)

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            emit(text[i + 1])
            i += 2
            continue
        if stack and stack[-1].kind in ("code", "pre") and c != "`":
            emit(c)
            i += 1
            continue
        if c not in _RESERVED_V2:
            emit(c)
            i += 1
            continue
        if c == ">" and (i == 0 or text[i - 1] == "\n") and not stack:
            # block quotation line marker
            i += 1
            continue
        if stack and _v2_is_end(stack[-1].kind, text, i):
            top = stack.pop()
            entity: Entity = {
                "type": top.kind,
                "offset": top.offset,
                "length": out_len - top.offset,
            }
            if top.kind == "text_link":
                if i + 1 < n and text[i + 1] == "(":
                    j = i + 2
                    url_chars: list[str] = []
                    while j < n and text[j] != ")":
                        if text[j] == "\\" and j + 1 < n:
                            j += 1
                        url_chars.append(text[j])
                        j += 1
                    if j >= n:
                        raise EntityParseError(
                            f"Can't find end of a URL at byte offset {_byte_offset(text, i + 2)}"
                        )
                    entity["url"] = "".join(url_chars)
                    i = j
                else:
                    entity["url"] = "".join(out[top.out_index :])  # the text itself
            elif top.kind == "custom_emoji":
                if not (i + 1 < n and text[i + 1] == "("):
                    raise EntityParseError(
                        f"Custom emoji entity must contain a tg://emoji URL at byte offset "
                        f"{top.byte_offset}"
                    )
                j = text.find(")", i + 2)
                if j < 0:
                    raise EntityParseError(
                        f"Can't find end of a custom emoji URL at byte offset "
                        f"{_byte_offset(text, i + 2)}"
                    )
                url = text[i + 2 : j]
                entity["custom_emoji_id"] = url.partition("id=")[2]
                i = j
            elif top.kind == "pre":
                i += 2
                if top.argument:
                    entity["language"] = top.argument
            elif top.kind in ("underline", "spoiler"):
                i += 1
            i += 1
            if entity["length"] > 0 and (top.kind != "text_link" or entity.get("url")):
                entities.append(entity)
            continue
        begin = i
        if c == "_":
            if i + 1 < n and text[i + 1] == "_":
                kind = "underline"
                i += 1
            else:
                kind = "italic"
        elif c == "*":
            kind = "bold"
        elif c == "~":
            kind = "strikethrough"
        elif c == "|":
            if i + 1 < n and text[i + 1] == "|":
                kind = "spoiler"
                i += 1
            else:
                raise _reserved(c)
        elif c == "[":
            kind = "text_link"
        elif c == "`":
            if text.startswith("```", i):
                i += 3
                lang_start = i
                while i < n and text[i] not in " \n`":
                    i += 1
                language = text[lang_start:i] if i < n and text[i] == "\n" else ""
                if not language:
                    i = lang_start
                elif i < n and text[i] == "\n":
                    i += 1
                stack.append(_V2Open("pre", out_len, _byte_offset(text, begin), len(out), language))
                continue
            kind = "code"
        elif c == "!":
            if i + 1 < n and text[i + 1] == "[":
                kind = "custom_emoji"
                i += 1
            else:
                raise _reserved(c)
        else:
            raise _reserved(c)
        stack.append(_V2Open(kind, out_len, _byte_offset(text, begin), len(out)))
        i += 1
    if stack:
        top = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_V2_NAMES[top.kind]} entity at byte offset {top.byte_offset}"
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# --------------------------------------------------------------------------- Markdown (legacy)


def parse_markdown(text: str) -> tuple[str, list[Entity]]:  # noqa: PLR0912, PLR0915 - tokenizer
    """Parse legacy Markdown; raise :class:`EntityParseError` like Telegram."""
    out: list[str] = []
    out_len = 0
    entities: list[Entity] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            out_len += 1
            i += 2
            continue
        if c not in "_*`[":
            out.append(c)
            out_len += utf16_len(c)
            i += 1
            continue
        begin = i
        end_char = "]" if c == "[" else c
        is_pre = False
        language = ""
        if text.startswith("```", i):
            i += 3
            is_pre = True
            lang_start = i
            while i < n and text[i] not in " \n`":
                i += 1
            if i < n and text[i] == "\n":
                language = text[lang_start:i]
                i += 1
            else:
                i = lang_start
        else:
            i += 1
        start = out_len
        while i < n and (text[i] != end_char or (is_pre and not text.startswith("```", i))):
            out.append(text[i])
            out_len += utf16_len(text[i])
            i += 1
        if i >= n:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {_byte_offset(text, begin)}"
            )
        length = out_len - start
        entity: Entity = {"offset": start, "length": length}
        if is_pre:
            entity["type"] = "pre"
            if language:
                entity["language"] = language
            i += 3
        elif c == "[":
            i += 1
            if i < n and text[i] == "(":
                close = text.find(")", i)
                if close < 0:
                    entity["type"] = ""
                else:
                    entity["type"] = "text_link"
                    entity["url"] = text[i + 1 : close]
                    i = close + 1
            else:
                entity["type"] = ""
        else:
            entity["type"] = {"_": "italic", "*": "bold", "`": "code"}[c]
            i += 1
        if length > 0 and entity["type"]:
            entities.append(entity)
    return "".join(out), entities
