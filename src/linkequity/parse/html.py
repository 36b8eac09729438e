"""HTML text to ParsedHtml: metadata, visible text and every ``<a href>`` (acquire stage).

This runs once per crawled page, ~1,000 times a second, so it avoids a Python object per DOM
node: a few CSS queries run in C (selectolax's lexbor backend), and Python touches only the nodes
they return (head elements, links, images inside links) and the ancestors of links (positions,
see :mod:`linkequity.parse.position`).

The document is parsed with scripting enabled, as Googlebot's Chrome does: ``<noscript>`` is then
raw text, so a tracking pixel's ``<noscript><img></noscript>`` in ``<head>`` does not end the head
and push the canonical link after it into the body. The price is that links inside
``<noscript>`` are not seen.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from hashlib import sha1
from operator import itemgetter

from selectolax.lexbor import LexborHTMLParser, LexborNode

from linkequity.pagetext import (
    HEADING_END,
    HEADING_START,
    LINK_END,
    LINK_START,
    has_marks,
    plain,
)
from linkequity.parse.position import TemplateRegions, link_positions
from linkequity.records import LinkColumns, ParsedHtml
from linkequity.urls import LinkTargets, Resolver, Scope

__all__ = ["parse_html"]

# Elements whose text is not shown.
_INVISIBLE = ("script", "style", "noscript")
# Elements around a page's own content: what the template repeats on every page. Of these,
# a header or footer inside a sectioning element is the section's own (HTML-AAM).
_TEMPLATE = ("nav", "header", "footer", "aside")
_SECTIONING = frozenset({"article", "aside", "main", "nav", "section"})
_HEADINGS = "h1, h2, h3, h4, h5, h6"
# Headings kept per page, and characters per heading.
_MAX_HEADINGS = 64
_HEADING_CHARS = 300
# No space before punctuation that a separator put between a link's text and the next word.
_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[.,;:!?)\]}%](?:\s|$))")
# The spaces the separator put inside a mark: "\ufdd0 dome tent \ufdd1" -> "\ufdd0dome tent\ufdd1".
_TIGHT_MARKS = re.compile(f"(?<=[{LINK_START}{HEADING_START}]) | (?=[{LINK_END}{HEADING_END}])")
# Chunks of the content sketch (see content_sketch).
_SKETCH_CHUNKS = 8
_DIGITS = b"0123456789"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _head_metadata(
    tree: LexborHTMLParser,
) -> tuple[str | None, str | None, str | None, str | None]:
    """Title, meta description, meta robots and ``<base href>`` of a document.

    Only ``<head>`` counts, as for search engines, which stop reading metadata where the head
    ends; the title alone is also looked for in the body, where browsers still find it.
    """
    title = description = base_href = None
    robots: list[str] = []
    head = tree.head
    for node in head.css(":is(title, meta[name], base[href])") if head is not None else ():
        tag = node.tag
        if tag == "title":
            if title is None:
                title = _collapse(node.text())
        elif tag == "meta":
            attrs = node.attributes
            name = (attrs.get("name") or "").strip().lower()
            content = attrs.get("content")
            if content is None:
                continue
            if name == "description" and description is None:
                description = _collapse(content)
            elif name in ("robots", "googlebot") and content.strip():
                robots.append(_collapse(content).lower())
        elif base_href is None:
            base_href = node.attributes.get("href")
    if title is None and tree.body is not None:
        for node in tree.body.css("title"):
            # An SVG icon's <title> is not the page's.
            if node.parent is not None and node.parent.tag != "svg":
                title = _collapse(node.text())
                break
    return title, description, ", ".join(robots) or None, base_href


def _canonical(tree: LexborHTMLParser, base: str, resolver: Resolver) -> str | None:
    # Search engines ignore rel=canonical outside <head>, and so does this.
    head = tree.head
    if head is None:
        return None
    for node in head.css("link[rel][href]"):
        attrs = node.attributes
        href = (attrs.get("href") or "").strip()
        # An empty href would resolve to the base URL, not name a canonical.
        if href and "canonical" in (attrs.get("rel") or "").lower().split():
            return resolver.resolve(base, href)
    return None


def _image_alts(root: LexborNode) -> dict[int, str]:
    """Alt text of the first image inside each link, keyed by the link's ``mem_id``."""
    alts: dict[int, str] = {}
    for img in root.css("a[href] img"):
        # The nearest <a> is the link: the HTML parser never nests one <a> in another.
        node = img.parent
        while node is not None and node.tag != "a":
            node = node.parent
        if node is not None:
            link_id = node.mem_id
            if link_id not in alts:
                alts[link_id] = _collapse(img.attributes.get("alt") or "")
    return alts


_NO_REL: tuple[str | None, bool, bool, bool] = (None, False, False, False)
_FIRST, _SECOND, _THIRD, _FOURTH = (itemgetter(i) for i in range(4))


# Anchor texts repeat across a site's pages (menus, footers, product names): ~9,000 distinct
# among 100,000 links of 500 benchmark pages. Caching the collapsed text costs 75 ns a link
# against 115 ns, and the links of every page then share one string per text.
@lru_cache(maxsize=16384)
def _anchor(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=1024)
def _rel_flags(rel: str) -> tuple[str | None, bool, bool, bool]:
    """The rel attribute as stored (lower-case tokens) and its nofollow, sponsored, ugc flags."""
    tokens = rel.lower().split()
    return " ".join(tokens), "nofollow" in tokens, "sponsored" in tokens, "ugc" in tokens


def _links(
    nodes: list[LexborNode],
    root: LexborNode,
    base: str,
    targets: LinkTargets,
    regions: TemplateRegions,
) -> LinkColumns:
    if not nodes:
        return LinkColumns.empty()
    positions = link_positions(nodes, regions)
    alts = _image_alts(root)
    shared, target_of = targets.for_page(base)
    known = shared.get
    # One tuple a link for its target and one for its rel (both shared between links), split
    # into columns below by C loops: cheaper than eleven appends a link.
    found: list[tuple[str, bool, bool]] = []
    rels: list[tuple[str | None, bool, bool, bool]] = []
    anchors: list[str] = []
    fragments: list[str | None] = []
    for node in nodes:
        attrs = node.attributes
        href = attrs.get("href") or ""
        found.append(known(href) or target_of(href))
        at = href.find("#")
        fragments.append(None if at < 0 else href[at + 1 :].strip())
        rel = attrs.get("rel")
        rels.append(_NO_REL if rel is None else _rel_flags(rel))
        anchors.append(_anchor(node.text_lexbor()))
    if alts:
        alt = [alts.get(node.mem_id) for node in nodes]
        image = [a is not None for a in alt]
    else:
        alt = [None] * len(nodes)
        image = [False] * len(nodes)
    return LinkColumns(
        dst_url=list(map(_FIRST, found)),
        anchor=anchors,
        alt=alt,
        rel=list(map(_FIRST, rels)),
        is_nofollow=list(map(_SECOND, rels)),
        is_sponsored=list(map(_THIRD, rels)),
        is_ugc=list(map(_FOURTH, rels)),
        position=positions,
        is_internal=list(map(_THIRD, found)),
        is_image=image,
        is_followable=list(map(_SECOND, found)),
        fragment=fragments,
    )


def _body_words(tree: LexborHTMLParser) -> list[str]:
    """The visible words of the body, in order."""
    body = tree.body
    if body is None:
        return []
    # Mutates the tree, so it runs after everything else has been read. tags() is a plain
    # walk, twice as fast as the CSS query behind strip_tags(); <template> content is not in
    # the tree at all.
    for tag in _INVISIBLE:
        for node in tree.tags(tag):
            node.decompose()
    # A space between text nodes keeps "<li>Home</li><li>About</li>" two words; it splits a word
    # only where markup splits it ("<b>W</b>ord"), which is rarer.
    return body.text(separator=" ").split()


def _own_text(
    tree: LexborHTMLParser, links: list[LexborNode], regions: TemplateRegions
) -> tuple[str, tuple[str, ...]]:
    """The page's own text, links and headings marked (see :mod:`linkequity.pagetext`), and
    its headings.

    The text is ``<main>``'s (or the ``role="main"`` element's) when the page has one, else
    the body's; either way the template regions the links' positions were read from
    (navigation, header, footer, sidebar: by role, tag or class name) are left out, and so are
    ``nav`` and ``aside`` elements and the page's own ``header`` and ``footer`` (not a
    section's), links or not. Runs after :func:`_body_words`, on the tree it left; mutates it.
    """
    body = tree.body
    if body is None:
        return "", ()
    main = body.css_first("main, [role=main]")
    scope = main if main is not None else body
    if main is not None:
        regions.holds(main)
    # Links are marked before any region is removed: a node inside a removed subtree is freed.
    for node in links:
        node.insert_before(LINK_START)
        node.insert_after(LINK_END)
    for node in regions.outermost():
        node.decompose()
    for tag in _TEMPLATE:
        for node in scope.css(tag):
            if tag in ("header", "footer") and _in_section(node, scope):
                continue
            node.decompose()
    headings: list[str] = []
    for node in scope.css(_HEADINGS):
        text = _collapse(plain(node.text(separator=" ")))
        if text and len(headings) < _MAX_HEADINGS:
            headings.append(text[:_HEADING_CHARS])
        node.insert_before(HEADING_START)
        node.insert_after(HEADING_END)
    text = " ".join(scope.text(separator=" ").split())
    text = _SPACE_BEFORE_PUNCTUATION.sub("", _TIGHT_MARKS.sub("", text))
    return text, tuple(headings)


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > 0 else limit]


def _unmark(body: LexborNode) -> None:
    """Remove the marks of :mod:`linkequity.pagetext` from a page that contains them (as
    characters or ``&#xfdd0;``), so that only the parser's marks stand in the stored text."""
    hits = [
        node
        for node in body.traverse(include_text=True)
        if node.is_text_node and has_marks(node.text_content or "")
    ]
    # Replaced after the walk: changing the tree while traversing it crashes the parser.
    for node in hits:
        node.replace_with(plain(node.text_content or ""))


def _in_section(node: LexborNode, scope: LexborNode) -> bool:
    """Whether a header or footer belongs to a section (an article, a section...), not the page."""
    if scope.tag in _SECTIONING:
        return True
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag in _SECTIONING:
            return True
        parent = parent.parent
    return False


def _content_sketch(text: str) -> str:
    """A fingerprint of the page's own text, telling pages that say nearly the same apart
    from pages that say different things, whatever their template.

    The text is the page's own (:func:`_own_text`, marks removed) with every digit dropped,
    so that a calendar's dates or a counter do not make two pages differ. It is cut into 8
    runs of equal word counts; the sketch is the word count and the CRC-32 of each run, as
    ``"<words>:<8 x 8 hex digits>"``. Two pages with equal sketches say the same thing but for
    numbers; equal word counts and most runs equal mean a word or two differ (a month's name).
    """
    words = plain(text).encode("utf-8", "replace").translate(None, _DIGITS).split()
    n = len(words)
    if not n:
        return "0:"
    runs = (
        zlib.crc32(b" ".join(words[i * n // _SKETCH_CHUNKS : (i + 1) * n // _SKETCH_CHUNKS]))
        for i in range(_SKETCH_CHUNKS)
    )
    return f"{n}:" + "".join(f"{crc:08x}" for crc in runs)


def parse_html(
    text: str,
    url: str,
    resolver: Resolver,
    scope: Scope,
    targets: LinkTargets | None = None,
    text_limit: int = 30_000,
) -> ParsedHtml:
    """What an HTML document says about itself and where it links.

    ``url`` is the page's normalised URL. Relative hrefs resolve against ``<base href>`` when
    the document has one. Links that are not http(s) (``mailto:``, ``javascript:``, an
    unparseable URL) keep their href as written and are not followable. Malformed HTML is
    parsed the way browsers repair it; nothing raises. ``targets``, made from the same
    resolver and scope, carries link targets over from the crawl's earlier pages. The page's
    own text (:func:`_own_text`) is kept up to ``text_limit`` characters (0: not kept).

    >>> from linkequity.urls import LinkTargets, Resolver, Scope
    >>> page = parse_html(
    ...     '<title>Hi</title><nav><a href="/about" rel="NoFollow">About  us</a></nav>',
    ...     "https://example.com/",
    ...     Resolver(),
    ...     Scope(["https://example.com/"]),
    ... )
    >>> page.title, page.links[0].dst_url, page.links[0].anchor, page.links[0].position
    ('Hi', 'https://example.com/about', 'About us', 'navigation')
    """
    # Encoding here rather than in selectolax turns a lone surrogate into "?" instead of an
    # exception; the parser reads the bytes as UTF-8 at no extra cost.
    tree = LexborHTMLParser(text.encode("utf-8", "replace"), scripting=True)
    root = tree.root
    title, description, robots, base_href = _head_metadata(tree)
    base = url
    if base_href is not None:
        base = resolver.resolve(url, base_href) or url
    canonical = _canonical(tree, base, resolver)
    links = LinkColumns.empty()
    h1 = None
    link_nodes: list[LexborNode] = []
    regions = TemplateRegions()
    if root is not None:
        link_nodes = root.css("a[href]")
        links = _links(link_nodes, root, base, targets or LinkTargets(resolver, scope), regions)
        h1_node = root.css_first("h1")
        if h1_node is not None:
            h1 = _collapse(h1_node.text())
    words = _body_words(tree)
    joined = " ".join(words)
    if tree.body is not None and has_marks(joined):
        _unmark(tree.body)
    own_text, headings = _own_text(tree, link_nodes, regions)
    return ParsedHtml(
        title=title,
        h1=h1,
        meta_description=description,
        meta_robots=robots,
        canonical_url=canonical,
        base_url=base,
        word_count=len(words),
        text_sha1=sha1(joined.encode("utf-8"), usedforsecurity=False).hexdigest(),
        link_columns=links,
        content_sketch=_content_sketch(own_text),
        content_text=_cut(own_text, text_limit) if text_limit > 0 else "",
        headings=headings if text_limit > 0 else (),
    )
