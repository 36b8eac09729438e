"""Link position: content, navigation, header, footer, sidebar or unknown (acquire stage).

A link's position is the region of its innermost landmark ancestor, read from

* ARIA roles: ``main``, ``navigation``, ``banner``, ``contentinfo``, ``complementary``;
* semantic elements: ``main`` and ``article`` (content), ``nav``, ``header``, ``footer``,
  ``aside`` (sidebar);
* class and id names, matched by whole pieces of the name split on ``-``, ``_``, spaces and
  camelCase (or by a few compound endings: ``topnav``, ``megamenu``, ``sphinxsidebar``), never by
  substring: ``main-navigation`` and ``topNav`` are navigation, ``canvas`` and ``unavailable``
  are not; ``card-header`` or ``dropdown-content`` name a component's part, not the page's.

An element's role beats its tag, which beats its names; ``html``, ``body``, ``li`` and ``a`` are
never landmarks. A link under no landmark is ``"unknown"``. As in HTML-AAM, a header or footer
(by tag or by name, not by an explicit ``banner`` / ``contentinfo`` role) inside ``article``,
``aside``, ``main``, ``nav`` or ``section`` is not the page's header or footer: it is skipped and
the link keeps its enclosing landmark (the ``entry-footer`` of a blog post is content).

Cost: each link walks up only until an ancestor already seen from an earlier link, whose
context is memoised, so every element on the way to a link is looked at once and most links stop
at their parent; name rules are cached per distinct class string. One CSS query for candidate
landmarks (``[class*=nav i]``, ...) was measured first and dropped: lexbor runs a selector list
alternative by alternative over the whole tree, so with the ~30 alternatives the rules need the
query alone cost as much as parsing benchmarks/parse.py's page, and the approach took three times
as long as this walk (0.31 ms against 0.105 ms).
"""

from __future__ import annotations

import re
from functools import lru_cache

from selectolax.lexbor import LexborNode, create_tag

from linkequity.records import Position

__all__ = ["TemplateRegions", "link_positions", "region_of_names"]

_ROLE_REGIONS: dict[str, Position] = {
    "main": "content",
    "navigation": "navigation",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "sidebar",
}
_TAG_REGIONS: dict[str, Position] = {
    "main": "content",
    "article": "content",
    "nav": "navigation",
    "header": "header",
    "footer": "footer",
    "aside": "sidebar",
}
# HTML-AAM: a header or footer scoped to these is not a banner / contentinfo landmark.
_SECTIONING_TAGS = frozenset({"article", "aside", "main", "nav", "section"})
_SECTIONING_ROLES = frozenset({"article", "complementary", "main", "navigation", "region"})
_SEMANTIC_TAGS = frozenset(_TAG_REGIONS) | _SECTIONING_TAGS
# Elements that are never a landmark: the page itself (WordPress puts ``has-sidebar`` on
# <body>), and list items and links, whose names (``menu-item``, ``nav-link``) repeat the
# landmark around them.
_SKIP_TAG_IDS = frozenset(create_tag(tag).tag_id for tag in ("html", "body", "li", "a"))

# Name pieces that name a region. The lists are the names used by WordPress core themes,
# Bootstrap, Sphinx, Drupal and Genesis, plus the generic ones (``#nav``, ``#footer``).
_PIECES: dict[str, Position] = {
    "nav": "navigation",
    "navbar": "navigation",
    "navigation": "navigation",
    "menu": "navigation",
    "menubar": "navigation",
    "breadcrumb": "navigation",
    "breadcrumbs": "navigation",
    "pagination": "navigation",
    "pager": "navigation",
    "header": "header",
    "masthead": "header",
    "footer": "footer",
    "colophon": "footer",
    "sidebar": "sidebar",
    "widgets": "sidebar",
    "content": "content",
    "main": "content",
}
# Compound pieces written as one word (``topnav``, ``megamenu``, ``sphinxsidebar``): no common
# word ends with these, unlike a prefix or infix ``nav`` (``navy``, ``canvas``, ``unavailable``).
_SUFFIXES: tuple[tuple[str, Position], ...] = (
    ("nav", "navigation"),
    ("navbar", "navigation"),
    ("menu", "navigation"),
    ("breadcrumb", "navigation"),
    ("breadcrumbs", "navigation"),
    ("sidebar", "sidebar"),
)
# Names of more than one piece.
_SEQUENCES: tuple[tuple[str, Position], ...] = (
    ("-widget-area-", "sidebar"),
    ("-article-body-", "content"),
)
# A region word after one of these names a part of a component, not of the page:
# ``card-header``, ``modal-footer``, ``dropdown-content``, ``tab-content``.
_COMPONENTS = frozenset(
    {
        "accordion",
        "alert",
        "card",
        "collapse",
        "comment",
        "comments",
        "dropdown",
        "media",
        "modal",
        "offcanvas",
        "panel",
        "popover",
        "popup",
        "product",
        "tab",
        "table",
        "tabs",
        "toast",
        "tooltip",
        "widget",
    }
)
# ... and after these a header or footer belongs to a post (``entry-footer``), while
# ``entry-content`` is the post's content.
_POST_PARTS = frozenset({"article", "entry", "post"})
# Names that say what an element contains or how it is laid out, not what it is.
_STATES = frozenset({"no", "has", "with", "without"})
# Region order when one element's names say several things (``main-navigation``, ``footer-nav``,
# ``footer-widgets``): the most specific first.
_PRECEDENCE: tuple[Position, ...] = ("navigation", "header", "footer", "sidebar", "content")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")

# What a landmark passes to its descendants: their region, whether they are inside a
# sectioning element (for the header/footer scoping rule), and the ``mem_id`` of the
# outermost element of the template region they are in (0 outside one).
_Context = tuple[Position, bool, int]
_ROOT: _Context = ("unknown", False, 0)
# The regions a site's template repeats around a page's own content.
_TEMPLATE_REGIONS = frozenset({"navigation", "header", "footer", "sidebar"})


class TemplateRegions:
    """The outermost elements of the template regions (navigation, header, footer, sidebar)
    that :func:`link_positions` met on its way up from the links.

    A region that turns out to hold content (a ``sidebar-left`` wrapper around ``<main>``)
    is *mixed*: it is not a template region, though the template regions inside its content
    are.
    """

    def __init__(self) -> None:
        self.roots: dict[int, LexborNode] = {}
        self.mixed: set[int] = set()

    def holds(self, node: LexborNode) -> None:
        """Mark every region around ``node`` (the page's ``<main>``) as holding content."""
        parent = node.parent
        while parent is not None:
            if parent.mem_id in self.roots:
                self.mixed.add(parent.mem_id)
            parent = parent.parent

    def outermost(self) -> list[LexborNode]:
        """The template regions to leave out of the page's own text, none inside another."""
        return [node for key, node in self.roots.items() if key not in self.mixed]


def _is_part_of(previous: str, region: Position) -> bool:
    """Whether a region word after ``previous`` names a component's part, not the page's."""
    if previous in _COMPONENTS:
        return True
    return region in ("header", "footer") and previous in _POST_PARTS


@lru_cache(maxsize=8192)
def region_of_names(names: str) -> Position | None:
    """The region that class and id names describe, or None.

    >>> region_of_names("main-navigation"), region_of_names("canvas unavailable")
    ('navigation', None)
    >>> region_of_names("entry-footer"), region_of_names("sphinxsidebar")
    (None, 'sidebar')
    """
    found: set[Position] = set()
    for token in _CAMEL.sub(r"\1-\2", names).lower().replace("_", "-").split():
        pieces = token.split("-")
        if pieces[0] in _STATES:
            continue
        previous = ""
        for piece in pieces:
            region = _PIECES.get(piece)
            if region is None:
                region = next((r for s, r in _SUFFIXES if piece.endswith(s)), None)
            if region is not None and not _is_part_of(previous, region):
                found.add(region)
            previous = piece
        padded = f"-{token}-"
        found.update(r for s, r in _SEQUENCES if s in padded)
    return next((r for r in _PRECEDENCE if r in found), None)


def _role(value: str | None) -> str | None:
    # A role attribute lists fallbacks; the first token that is a landmark role counts.
    if not value:
        return None
    tokens = value.lower().split()
    return next((t for t in tokens if t in _ROLE_REGIONS or t in _SECTIONING_ROLES), None)


@lru_cache(maxsize=8192)
def _element_regions(
    tag: str, class_: str | None, id_: str | None, role_value: str | None
) -> tuple[Position | None, Position | None, bool] | None:
    """What an element says about itself: ``(region, region when inside a sectioning element,
    is a sectioning element)``, or None when it says nothing."""
    role = _role(role_value)
    if role in _ROLE_REGIONS:
        region: Position | None = _ROLE_REGIONS[role]
        scoped = region
    else:
        names = region_of_names(f"{class_ or ''} {id_ or ''}") if class_ or id_ else None
        by_tag = _TAG_REGIONS.get(tag)
        region = by_tag or names
        scoped = next((r for r in (by_tag, names) if r not in (None, "header", "footer")), None)
    sectioning = tag in _SECTIONING_TAGS or role in _SECTIONING_ROLES
    if region is None and not sectioning:
        return None
    return region, scoped, sectioning


def _enter(node: LexborNode, context: _Context) -> _Context:
    """The context an element gives its descendants, given the context it is in."""
    attrs = node.attributes
    tag = node.tag or ""
    if not attrs and tag not in _SEMANTIC_TAGS:
        return context
    regions = _element_regions(tag, attrs.get("class"), attrs.get("id"), attrs.get("role"))
    if regions is None:
        return context
    region, scoped, sectioning = regions
    outer, sectioned, root = context
    if sectioned:
        region = scoped
    if region is None and (sectioned or not sectioning):
        return context
    inner = region or outer
    if inner not in _TEMPLATE_REGIONS:
        root = 0
    elif outer not in _TEMPLATE_REGIONS:
        root = node.mem_id
    return (inner, sectioned or sectioning, root)


def _context_of(
    node: LexborNode, node_id: int, memo: dict[int, _Context], regions: TemplateRegions | None
) -> _Context:
    """The context ``node`` gives its descendants; memoises it for ``node`` and its ancestors
    (and notes the template regions entered on the way in ``regions``)."""
    ids = [node_id]
    nodes = [node]
    context = _ROOT
    parent = node.parent
    while parent is not None:
        parent_id = parent.mem_id
        known = memo.get(parent_id)
        if known is not None:
            context = known
            break
        ids.append(parent_id)
        nodes.append(parent)
        parent = parent.parent
    # Outermost first, so each element sees the context of its parent.
    skip = _SKIP_TAG_IDS
    for i in range(len(nodes) - 1, -1, -1):
        element = nodes[i]
        if element.tag_id not in skip:
            entered = _enter(element, context)
            if regions is not None and entered[2] != context[2]:
                if entered[2]:
                    regions.roots[entered[2]] = element
                else:
                    regions.mixed.add(context[2])
            context = entered
        memo[ids[i]] = context
    return context


def link_positions(
    links: list[LexborNode], regions: TemplateRegions | None = None
) -> list[Position]:
    """The position of each link node, in the order given; the template regions met on the
    way are noted in ``regions`` when it is given.

    Walks up from each link only until an ancestor already seen from an earlier link, whose
    context is memoised: every element is looked at once, and on a templated page most links
    stop at their parent or grandparent (a ``li`` and the ``ul`` shared with the previous link).
    """
    memo: dict[int, _Context] = {}
    known = memo.get
    skip = _SKIP_TAG_IDS
    positions: list[Position] = []
    append = positions.append
    for link in links:
        parent = link.parent
        if parent is None:
            append("unknown")
            continue
        # The commonest parent, a <li> (one per link, so never seen before), passes on its
        # own parent's context: look that up directly, and do not memoise the <li>.
        if parent.tag_id in skip and (grandparent := parent.parent) is not None:
            parent, parent_id = grandparent, grandparent.mem_id
        else:
            parent_id = parent.mem_id
        context = known(parent_id)
        if context is None:
            context = _context_of(parent, parent_id, memo, regions)
        append(context[0])
    return positions
