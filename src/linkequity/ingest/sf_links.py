"""Screaming Frog All Inlinks / All Outlinks rows as ``links`` rows (acquire stage).

The format covers every version seen: current exports (15 columns: Type Hyperlink, Follow,
Rel, Link Position, ...) and older ones (8 or 9 columns, Type ``HREF`` or ``AHREF``, after a
title line). All Inlinks and All Outlinks share their columns.

Only hyperlinks become links (types Hyperlink, HREF, AHREF); CSS, JavaScript, images,
canonical / hreflang / prev / next elements and the rest are skipped and counted by type. Old
exports list a redirect as an ``HREF`` from the redirecting URL with the anchor "Redirect"
(:func:`is_redirect_row`); such rows say where that URL redirects, they are no link.

How fields map:

* anchor and alt text lose stray HTML (Screaming Frog sometimes swallows a broken tag into the
  anchor: "privacidad</a Te responderemos ...") and have whitespace collapsed;
* ``is_nofollow`` comes from the Rel tokens, and from Follow = false where Rel does not explain
  it (a meta-nofollow page, or an old export without Rel); sponsored and ugc from Rel only;
* ``is_image`` is true when the link has alt text, the only sign of an image the export gives;
* positions: Content, Navigation, Header, Footer and Sidebar map to the same names, Aside to
  ``sidebar``, anything else (custom positions, old exports without the column) to
  ``unknown``. "Head" holds no ``<a href>`` in valid HTML: Screaming Frog puts canonical,
  hreflang, CSS and JavaScript there, all skipped by type; a hyperlink it reports in the head
  comes from broken markup that a browser moves into the body, at a place the export does not
  say, so it is ``unknown`` too.
"""

from __future__ import annotations

import re

from linkequity.ingest.formats import BadValue, Column, Format, parse_bool
from linkequity.records import Position

__all__ = [
    "HYPERLINK_TYPES",
    "LINKS_FORMAT",
    "RelFlags",
    "clean_text",
    "is_redirect_row",
    "link_position",
    "rel_flags",
]

LINKS_FORMAT = Format(
    "Screaming Frog All Inlinks / All Outlinks",
    (
        Column("type", ("Type",), required=True),
        Column("src", ("Source",), required=True),
        Column("dst", ("Destination",), required=True),
        Column("anchor", ("Anchor",), required=True),
        Column("alt", ("Alt Text",)),
        Column("status_code", ("Status Code",)),
        Column("status", ("Status",)),
        Column("follow", ("Follow",)),
        Column("rel", ("Rel",)),
        Column("position", ("Link Position",)),
    ),
)

#: Type values (lower case) of an ``<a href>``: Hyperlink now, HREF or AHREF in older exports.
HYPERLINK_TYPES = frozenset({"hyperlink", "href", "ahref"})
# Types of the exports that list a redirect as a link with the anchor "Redirect".
_OLD_HYPERLINK_TYPES = frozenset({"href", "ahref"})

_POSITIONS: dict[str, Position] = {
    "content": "content",
    "navigation": "navigation",
    "header": "header",
    "footer": "footer",
    "sidebar": "sidebar",
    "aside": "sidebar",
    "head": "unknown",
}

# A complete tag, or a tag cut off at the end of the text ("privacidad</a Te responderemos").
_TAG = re.compile(r"<[^<>]*>|</?[A-Za-z][^<>]*$")
_REL_SPLIT = re.compile(r"[\s,]+")

#: ``(rel, is_nofollow, is_sponsored, is_ugc)`` of one link.
RelFlags = tuple[str | None, bool, bool, bool]


def clean_text(text: str) -> str:
    """Text with stray HTML tags removed and whitespace collapsed.

    >>> clean_text("política de <b>privacidad</b></a Te responderemos")
    'política de privacidad'
    """
    if "<" in text:
        text = _TAG.sub(" ", text)
    return " ".join(text.split())


def rel_flags(rel_text: str, follow_text: str) -> RelFlags:
    """The rel tokens (lower case, space separated; None when empty) and the three flags.

    >>> rel_flags("UGC Nofollow", "false"), rel_flags("", "false")
    (('ugc nofollow', True, False, True), (None, True, False, False))
    """
    tokens = [t for t in _REL_SPLIT.split(rel_text.lower()) if t]
    nofollow = "nofollow" in tokens
    sponsored = "sponsored" in tokens
    ugc = "ugc" in tokens
    try:
        follow = parse_bool(follow_text)
    except BadValue as exc:
        exc.field = "follow"
        raise
    if follow is False and not (nofollow or sponsored or ugc):
        nofollow = True
    return (" ".join(tokens) or None), nofollow, sponsored, ugc


def link_position(text: str) -> tuple[Position, bool]:
    """Our position for a Link Position value, and whether the value is one we do not know."""
    key = text.strip().lower()
    position = _POSITIONS.get(key)
    if position is None:
        return "unknown", bool(key)
    return position, False


def is_redirect_row(type_key: str, anchor: str, alt: str) -> bool:
    """Whether a row says its source redirects to its destination (rather than links to it).

    ``type_key`` is the Type value in lower case. Old exports write such a row as an ``HREF``
    with the anchor "Redirect" and no alt text; a Type naming a redirect says so directly.
    """
    if "redirect" in type_key:
        return True
    return type_key in _OLD_HYPERLINK_TYPES and anchor.strip() == "Redirect" and not alt.strip()
