"""Anchor text as audits compare it: normalised text and a page's keyword (foundation stage).

The internal anchor audit, the backlink anchor profile and the link recommendations all
compare anchors the same way: lower-cased, whitespace collapsed, trailing punctuation and
arrows dropped (``"Read more »"`` is ``"read more"``).
"""

from __future__ import annotations

import re

__all__ = ["comparable", "keyword_of"]

# Guillemets, single guillemets, arrows, ellipsis, middle dot, en and em dash.
_MARKS = "\u00bb\u00ab\u203a\u2039\u2192\u2190\u2026\u00b7\u2013\u2014"
_TRAILING = re.compile(rf"[\s.,:;!?>|/{_MARKS}-]+$")
_LEADING = re.compile(rf"^[\s<|{_MARKS}-]+")
_TITLE_PARTS = re.compile(r"\s+[|\u2013\u2014\u00b7-]\s+|\s+::\s+")


def comparable(text: str) -> str:
    """An anchor as compared: lower case, whitespace collapsed, edge punctuation dropped.

    >>> comparable("  Read   MORE » ")
    'read more'
    """
    collapsed = " ".join(text.split()).lower()
    return _LEADING.sub("", _TRAILING.sub("", collapsed))


def keyword_of(title: str | None, h1: str | None) -> str:
    """A page's keyword: its h1, else the first part of its title.

    >>> keyword_of("Tents | Ridgeline Outdoor", None)
    'tents'
    >>> keyword_of("Tents | Ridgeline Outdoor", "Backpacking tents")
    'backpacking tents'
    """
    if h1 and h1.strip():
        return comparable(h1)
    if title and title.strip():
        return comparable(_TITLE_PARTS.split(title.strip(), maxsplit=1)[0])
    return ""
