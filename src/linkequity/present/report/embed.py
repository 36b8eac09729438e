"""Data embedded in the report as JSON a browser cannot mistake for markup (present stage).

The report's data travels in ``<script type="application/json">`` elements that its script
reads with ``JSON.parse``. Crawled strings are untrusted: a title holding ``</script>`` would
end the element, and U+2028 / U+2029 end a line in older JavaScript parsers. So, as
Lighthouse does for its reports, ``<`` is written ``\\u003c`` and the two separators
``\\u2028`` and ``\\u2029`` inside the JSON: still the same JSON values, never a tag.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final
from xml.sax.saxutils import quoteattr

__all__ = ["json_script", "safe_json"]

_ESCAPES: Final = {"<": "\\u003c", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE: Final = re.compile("[<\u2028\u2029]")
_ID: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def safe_json(data: Any) -> str:
    """``data`` as JSON with ``<``, U+2028 and U+2029 escaped (NaN refused: not JSON)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: _ESCAPES[m.group(0)], text)


def json_script(element_id: str, data: Any) -> str:
    """A ``<script type="application/json">`` element holding ``data``."""
    if not _ID.fullmatch(element_id):
        raise ValueError(f"{element_id!r} is not an element id the report uses")
    return f'<script type="application/json" id={quoteattr(element_id)}>{safe_json(data)}</script>'
