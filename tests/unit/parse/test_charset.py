"""Decoding HTML bytes with the encoding a browser would pick."""

from __future__ import annotations

import random

import pytest

from linkequity.parse import decode_html
from linkequity.parse.charset import PRESCAN_BYTES, resolve_label

# An en dash, "é", "ï" and "€": bytes that differ between windows-1252, Latin-1 and UTF-8.
CAFE = "Café naïve \u2013 10 € menu"


def test_windows_1252_declared_only_in_meta() -> None:
    body = f'<html><head><meta charset="windows-1252"></head><p>{CAFE}</p>'.encode("cp1252")
    text, encoding = decode_html(body, "text/html")
    assert CAFE in text
    assert encoding == "cp1252"


def test_latin1_label_means_windows_1252() -> None:
    # 0x80 is the euro sign in windows-1252 and a control character in ISO-8859-1; browsers
    # read "iso-8859-1" pages as windows-1252.
    body = (
        f'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>{CAFE}</p>'
    ).encode("cp1252")
    text, encoding = decode_html(body, None)
    assert CAFE in text
    assert encoding == "cp1252"


def test_header_charset_beats_meta() -> None:
    body = f'<meta charset="windows-1252"><p>{CAFE}</p>'.encode()
    text, encoding = decode_html(body, 'text/html; charset="UTF-8"')
    assert CAFE in text
    assert encoding == "utf-8"


def test_bom_beats_header() -> None:
    body = b"\xef\xbb\xbf" + f"<p>{CAFE}</p>".encode()
    text, encoding = decode_html(body, "text/html; charset=iso-8859-1")
    assert text == f"<p>{CAFE}</p>"
    assert encoding == "utf-8"


def test_utf16_bom() -> None:
    body = "\ufeff<p>Привет</p>".encode("utf-16-le")
    assert decode_html(body, None) == ("<p>Привет</p>", "utf-16-le")


@pytest.mark.parametrize("label", ["foobar", "utf-7", "base64", "x-unknown-charset", ""])
def test_garbage_label_is_ignored(label: str) -> None:
    body = f'<meta charset="windows-1252"><p>{CAFE}</p>'.encode("cp1252")
    text, encoding = decode_html(body, f"text/html; charset={label}")
    assert CAFE in text
    assert encoding == "cp1252"


def test_undeclared_utf8() -> None:
    body = f"<p>{CAFE} 日本語</p>".encode()
    assert decode_html(body, "text/html") == (f"<p>{CAFE} 日本語</p>", "utf-8")


def test_utf8_cut_inside_a_character_is_still_utf8() -> None:
    body = "<p>Price: 10 €".encode()[:-1]
    text, encoding = decode_html(body, None)
    assert encoding == "utf-8"
    assert text.startswith("<p>Price: 10 ")


def test_undeclared_western_page_falls_back_to_windows_1252() -> None:
    body = ("<p>Le café est très bon, à côté de l'église. Déjà vu, nous étions là.</p>" * 3).encode(
        "cp1252"
    )
    text, encoding = decode_html(body, None)
    assert encoding == "cp1252"
    assert "très bon, à côté de l'église" in text


def test_undeclared_cyrillic_page_is_detected() -> None:
    russian = "<p>Привет! Это тестовая страница на русском языке, добро пожаловать.</p>" * 3
    text, encoding = decode_html(russian.encode("cp1251"), None)
    assert encoding == "cp1251"
    assert text == russian


def test_meta_after_the_prescan_window_is_not_seen() -> None:
    body = b"<!--" + b"x" * PRESCAN_BYTES + b'--><meta charset="koi8-r"><p>plain</p>'
    assert decode_html(body, None)[1] == "utf-8"


def test_meta_declaring_utf16_means_utf8() -> None:
    body = '<meta charset="utf-16"><p>café</p>'.encode()
    assert decode_html(body, None) == ('<meta charset="utf-16"><p>café</p>', "utf-8")


def test_never_raises_on_random_bytes() -> None:
    rng = random.Random(20250501)
    for _ in range(50):
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
        text, encoding = decode_html(body, rng.choice([None, "text/html; charset=utf-8"]))
        assert isinstance(text, str)
        assert encoding


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("utf-8", "utf-8"),
        ("UTF8", "utf-8"),
        ("unicode-1-1-utf-8", "utf-8"),
        ("iso-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("windows-1251", "cp1251"),
        ("iso-8859-9", "cp1254"),
        ("gb2312", "gb18030"),
        ("shift_jis", "cp932"),
        ("x-sjis", "cp932"),
        ("euc-kr", "cp949"),
        ("big5", "big5hkscs"),
        ("koi8-r", "koi8-r"),
        ("iso-8859-15", "iso8859-15"),
        ("utf-7", None),
        ("utf-32", None),
        ("rot13", None),
        ("nonsense", None),
    ],
)
def test_labels_resolve_like_the_encoding_standard(label: str, codec: str | None) -> None:
    assert resolve_label(label) == codec
