"""Response bytes and headers to what a page says about itself (acquire stage).

:func:`decode_html` turns bytes into text, :func:`parse_html` turns text into a
:class:`~linkequity.records.ParsedHtml` with its links, :func:`canonical_from_link_header` and
:func:`robots_directives` read the HTTP headers, and :func:`indexability` combines it all into
the page's indexability and its reason.
"""

from __future__ import annotations

from linkequity.parse.charset import decode_html
from linkequity.parse.headers import canonical_from_link_header, robots_directives
from linkequity.parse.html import parse_html
from linkequity.parse.indexability import indexability

__all__ = [
    "canonical_from_link_header",
    "decode_html",
    "indexability",
    "parse_html",
    "robots_directives",
]
