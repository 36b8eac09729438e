"""HTML bytes to text, in the encoding a browser would pick (acquire stage).

The order follows the WHATWG HTML "determining the character encoding" algorithm, simplified:

1. a byte order mark;
2. the ``charset`` parameter of the ``Content-Type`` header;
3. a ``<meta charset>`` or ``<meta http-equiv="Content-Type" content="...; charset=...">``
   declaration in the first bytes of the document (a regex prescan, not a parse);
4. UTF-8 when the bytes are valid UTF-8;
5. statistical detection (charset-normalizer);
6. windows-1252, the fallback of browsers in Western locales.

Labels are resolved like the WHATWG Encoding Standard: ``iso-8859-1``, ``latin1`` and
``us-ascii`` mean windows-1252, ``gb2312`` means GB18030, ``shift_jis`` means windows-31J, and so
on; a label that is not an encoding a browser knows is ignored and the next step decides.
Decoding never raises: undecodable bytes become U+FFFD.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

from charset_normalizer import from_bytes

__all__ = ["PRESCAN_BYTES", "decode_html", "resolve_label"]

#: How far the ``<meta>`` prescan looks. The HTML Standard stops at 1024 bytes; real pages put
#: a long ``<head>`` (inline styles, tracking snippets) before the declaration often enough that
#: looking four times as far finds it at no measurable cost (one regex search).
PRESCAN_BYTES = 4096

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s"';,]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)""", re.IGNORECASE
)

# WHATWG labels that Python's codec registry does not know.
_EXTRA_LABELS = {
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
    "x-cp1252": "cp1252",
    "x-cp1253": "cp1253",
    "x-cp1254": "cp1254",
    "x-cp1255": "cp1255",
    "x-cp1256": "cp1256",
    "x-cp1257": "cp1257",
    "x-cp1258": "cp1258",
    "windows-874": "cp874",
    "dos-874": "cp874",
    "iso-8859-8-i": "iso8859-8",
    "csiso88598i": "iso8859-8",
    "logical": "iso8859-8",
    "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic",
    "x-gbk": "gb18030",
    "x-euc-jp": "euc_jp",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "cn-big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "x-user-defined": "cp1252",
}

# Where the Encoding Standard decodes a label with a superset of the encoding Python would pick
# (the labels browsers treat as synonyms), keyed by Python's codec name.
_WHATWG_SUPERSET = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "utf-16": "utf-16-le",
}

# The encodings of the Encoding Standard, by Python codec name. Anything else Python knows
# (utf-7, utf-32, base64, rot-13, ...) is not a label a browser honours.
_BROWSER_ENCODINGS = frozenset(
    {
        "utf-8",
        "utf-16-le",
        "utf-16-be",
        "cp866",
        "iso8859-2",
        "iso8859-3",
        "iso8859-4",
        "iso8859-5",
        "iso8859-6",
        "iso8859-7",
        "iso8859-8",
        "iso8859-10",
        "iso8859-13",
        "iso8859-14",
        "iso8859-15",
        "iso8859-16",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "cp874",
        "cp1250",
        "cp1251",
        "cp1252",
        "cp1253",
        "cp1254",
        "cp1255",
        "cp1256",
        "cp1257",
        "cp1258",
        "gb18030",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "cp932",
        "cp949",
    }
)

# Candidates for detection: what a browser could have used, minus UTF-8 (already ruled out by
# then) and UTF-16 (without a byte order mark it is a false positive on binary-looking bytes).
_DETECTABLE = sorted(_BROWSER_ENCODINGS - {"utf-8", "utf-16-le", "utf-16-be"})
_LATIN_CODE_PAGES = frozenset(
    {
        "cp1250",
        "cp1252",
        "cp1254",
        "cp1257",
        "cp1258",
        "iso8859-2",
        "iso8859-3",
        "iso8859-4",
        "iso8859-10",
        "iso8859-13",
        "iso8859-14",
        "iso8859-15",
        "iso8859-16",
        "mac-roman",
    }
)


@lru_cache(maxsize=256)
def resolve_label(label: str) -> str | None:
    """The Python codec a browser would decode a charset label with, or None if unknown.

    >>> resolve_label(" ISO-8859-1 "), resolve_label("utf8"), resolve_label("utf-7")
    ('cp1252', 'utf-8', None)
    """
    label = label.strip().lower()
    name = _EXTRA_LABELS.get(label)
    if name is None:
        try:
            name = codecs.lookup(label).name
        except LookupError:
            return None
    name = _WHATWG_SUPERSET.get(name, name)
    return name if name in _BROWSER_ENCODINGS else None


def _declared_in_header(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _HEADER_CHARSET.search(content_type)
    return resolve_label(m.group(1)) if m else None


def _declared_in_meta(body: bytes) -> str | None:
    for m in _META_CHARSET.finditer(body, 0, PRESCAN_BYTES):
        encoding = resolve_label(m.group(1).decode("ascii"))
        if encoding is None:
            continue
        # A UTF-16 document could not have matched an ASCII regex, so the declaration is wrong
        # about the bytes; the HTML Standard reads such a page as UTF-8.
        return "utf-8" if encoding.startswith("utf-16") else encoding
    return None


def _detected(body: bytes) -> str | None:
    best = from_bytes(body, cp_isolation=_DETECTABLE).best()
    if best is None:
        return None
    try:
        name = codecs.lookup(best.encoding).name
    except LookupError:
        return None
    # Detection is trusted for the script (Cyrillic, Greek, CJK, ...), not for which Latin
    # code page: on French text charset-normalizer 3.5 prefers cp1257 and cp1250 to cp1252 (the
    # same bytes decode without error in all three), and browsers in Western locales read an
    # undeclared Latin page as windows-1252 anyway.
    return "cp1252" if name in _LATIN_CODE_PAGES else name


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """The text of an HTML response and the Python codec name it was decoded with.

    >>> decode_html(b"<meta charset=latin1><p>caf\\xe9", None)
    ('<meta charset=latin1><p>café', 'cp1252')
    >>> decode_html("<p>café".encode(), "text/html")
    ('<p>café', 'utf-8')
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, "replace"), encoding
    declared = _declared_in_header(content_type) or _declared_in_meta(body)
    if declared is not None:
        return body.decode(declared, "replace"), declared
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A body cut at a size limit may end inside a multi-byte character; that is still UTF-8.
        if exc.reason == "unexpected end of data":
            return body.decode("utf-8", "replace"), "utf-8"
    encoding = _detected(body) or "cp1252"
    return body.decode(encoding, "replace"), encoding
