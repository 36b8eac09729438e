"""Embedded JSON: hostile crawled text stays data, and parses back to the same values."""

from __future__ import annotations

import json
import re

import pytest

from linkequity.present.report.embed import json_script, safe_json

HOSTILE = [
    "</script><script>alert(1)</script>",
    "<!-- comment",
    "line\u2028separator\u2029paragraph",
    'quote " and \\ backslash',
    "javascript:alert(1)",
    "<img src=x onerror=alert(1)>",
]


def test_hostile_strings_cannot_end_the_element_and_parse_back_unchanged() -> None:
    element = json_script("pages", {"titles": HOSTILE, "n": 3, "share": 0.25})
    body = re.fullmatch(r'<script type="application/json" id="pages">(.*)</script>', element, re.S)
    assert body is not None
    inner = body.group(1)
    assert "<" not in inner and "\u2028" not in inner and "\u2029" not in inner
    assert json.loads(inner) == {"titles": HOSTILE, "n": 3, "share": 0.25}


def test_nan_and_odd_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        safe_json({"share": float("nan")})
    with pytest.raises(ValueError, match="not an element id"):
        json_script('x" onload="alert(1)', {})
