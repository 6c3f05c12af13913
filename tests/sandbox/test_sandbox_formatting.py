"""Unit tests of the Telegram-like text parsers and markup checks (no server)."""

from __future__ import annotations

import pytest

from wzt_bot.sandbox.formatting import (
    EntityParseError,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    utf16_len,
)
from wzt_bot.sandbox.markup import validate_reply_markup
from wzt_bot.sandbox.params import ApiError, parse_multipart
from wzt_bot.sandbox.ratelimit import TokenBucket


def test_utf16_len_counts_surrogate_pairs() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("é") == 1
    assert utf16_len("\U0001f600") == 2


def test_html_plain_text_and_entities() -> None:
    text, entities = parse_html(
        '<b>Vet</b> <i>schuin</i> <a href="https://vdab.be">VDAB</a> 5 &lt; 6 &amp; R&D '
        '<tg-spoiler>geheim</tg-spoiler> <pre><code class="language-py">x</code></pre>'
    )
    assert text == "Vet schuin VDAB 5 < 6 & R&D geheim x"
    kinds = [(e["type"], e["offset"], e["length"]) for e in entities]
    assert ("bold", 0, 3) in kinds
    assert ("italic", 4, 6) in kinds
    assert ("text_link", 11, 4) in kinds
    assert ("spoiler", 28, 6) in kinds
    pre = next(e for e in entities if e["type"] == "pre")
    assert pre["language"] == "py"
    # offsets are UTF-16 code units
    _, [emoji_bold] = parse_html("\U0001f600 <b>x</b>")
    assert emoji_bold["offset"] == 3


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("regel<br>regel", 'Unsupported start tag "br" at byte offset 5'),
        ("<b>open", "Can't find end tag corresponding to start tag b"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<a href="x>y</a>', 'Unclosed end of attribute value of the tag "a"'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
    ],
)
def test_html_errors_match_telegram(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(source)
    assert message in str(info.value)


def test_markdown_v2() -> None:
    text, entities = parse_markdown_v2(
        r"*Vet* _schuin_ __onder__ ||sp|| [link](https://a\.b) 5\.00"
    )
    assert text == "Vet schuin onder sp link 5.00"
    assert [e["type"] for e in entities] == ["bold", "italic", "underline", "spoiler", "text_link"]
    with pytest.raises(EntityParseError, match=r"Character '\.' is reserved"):
        parse_markdown_v2("Prijs: 5.00")
    with pytest.raises(EntityParseError, match="Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*open")
    code, [entity] = parse_markdown_v2("`a.b-c`")
    assert code == "a.b-c"
    assert entity["type"] == "code"


def test_legacy_markdown() -> None:
    text, entities = parse_markdown("*vet* _schuin_ [VDAB](https://vdab.be) snake\\_case")
    assert text == "vet schuin VDAB snake_case"
    assert [e["type"] for e in entities] == ["bold", "italic", "text_link"]
    with pytest.raises(EntityParseError, match="Can't find end of the entity"):
        parse_markdown("een_woord")


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ({"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "x", "callback_data": ""}]]}, "BUTTON_DATA_INVALID"),
        ({"inline_keyboard": [[{"text": "x"}]]}, "Text buttons are unallowed"),
        (
            {"inline_keyboard": [[{"text": "x", "callback_data": "a", "url": "https://a"}]]},
            "exactly one",
        ),
        ({"inline_keyboard": [[{"callback_data": "a"}]]}, 'Field "text"'),
        ({"inline_keyboard": [[{"text": "x", "url": "javascript:1"}]]}, "BUTTON_URL_INVALID"),
        ({"inline_keyboard": [{"text": "x"}]}, "Array of Arrays"),
        ({"keyboard": [[{"text": ""}]]}, "BUTTON_TEXT_INVALID"),
        ({"remove_keyboard": False}, "can't parse reply keyboard markup"),
        ({"colour": "blue"}, "can't parse reply keyboard markup"),
    ],
)
def test_reply_markup_errors(markup: dict[str, object], message: str) -> None:
    with pytest.raises(ApiError) as info:
        validate_reply_markup(markup)
    assert info.value.status == 400
    assert message in info.value.description


def test_reply_markup_kinds_accepted() -> None:
    for markup in (
        {"inline_keyboard": [[{"text": "é", "callback_data": "é" * 32}]]},
        {"keyboard": [["Ja", {"text": "Nee"}]], "is_persistent": True, "resize_keyboard": True},
        {"remove_keyboard": True},
        {"force_reply": True, "input_field_placeholder": "Je antwoord"},
    ):
        assert validate_reply_markup(markup) == markup
    with pytest.raises(ApiError, match="inline keyboard expected"):
        validate_reply_markup({"remove_keyboard": True}, inline_only=True)


def test_multipart_parser() -> None:
    body = (
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="chat_id"\r\n\r\n'
        b"42\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="caption"\r\n\r\n'
        b"h\xc3\xa9\r\n\r\n"
        b"--XyZ\r\n"
        b'Content-Disposition: form-data; name="photo"; filename="a.jpg"\r\n'
        b"Content-Type: image/jpeg\r\n\r\n"
        b"\xff\xd8\r\n--\r\n"
        b"--XyZ--\r\n"
    )
    fields, files = parse_multipart(body, 'multipart/form-data; boundary="XyZ"')
    assert fields == {"chat_id": "42", "caption": "hé\r\n"}
    assert files["photo"].filename == "a.jpg"
    assert files["photo"].data == b"\xff\xd8\r\n--"
    assert files["photo"].content_type == "image/jpeg"


def test_token_bucket() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=2, clock=lambda: now[0])
    for _ in range(2):
        assert bucket.wait_time() == 0.0
        bucket.take()
    assert bucket.wait_time() == pytest.approx(0.5)
    assert TokenBucket.retry_after(0.5) == 1
    assert TokenBucket.retry_after(2.01) == 3
    now[0] = 0.5
    assert bucket.wait_time() == 0.0
