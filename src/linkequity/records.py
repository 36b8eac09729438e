"""Typed records and vocabularies that cross stage boundaries (foundation stage).

What parse/ hands to crawl/, and the closed vocabularies every stage reads and writes: link
positions, page roles, link outcomes, indexability reasons and the HTML media types.

A templated page has ~200 links and a crawl parses ~1,000 pages a second, so the parse stage
hands a page's links over as :class:`LinkColumns`, one list per field, rather than an object
per link: the crawl buffers them by extending lists, the store builds its Arrow columns from
those lists directly, and a parse worker pickles eleven lists instead of ~200 tuples. Measured
on the crawl benchmark's 200-link pages, per page: pickling 0.17 -> 0.05 ms, unpickling
0.12-0.24 -> 0.05 ms, building the store's Arrow columns 0.24 -> 0.06 ms. ``Link`` is one row
of those columns, for code that wants a link at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, NamedTuple, get_args

__all__ = [
    "HTML_MEDIA_TYPES",
    "OUTCOMES",
    "POSITIONS",
    "ROLES",
    "IndexabilityReason",
    "Link",
    "LinkColumns",
    "LinkOutcome",
    "PageRole",
    "ParsedHtml",
    "Position",
    "is_html",
    "media_type",
]

Position = Literal["content", "navigation", "header", "footer", "sidebar", "unknown"]
#: Every link position, in the order reports list them.
POSITIONS: tuple[Position, ...] = (
    "content",
    "navigation",
    "header",
    "footer",
    "sidebar",
    "unknown",
)

#: What a crawled URL does with the equity its inlinks bring (``page_scores.role``); the
#: equity model (:mod:`linkequity.equity.graph`) says what each means.
PageRole = Literal[
    "page",
    "canonicalised",
    "redirect",
    "broken",
    "redirect_loop",
    "blocked",
    "non_html",
    "unfetched",
]
ROLES: tuple[PageRole, ...] = get_args(PageRole)
#: What a link to a URL does: reaches a node, is wasted, leaks or is left out
#: (``page_scores.link_outcome``).
LinkOutcome = Literal["node", "broken", "blocked", "external", "excluded"]
OUTCOMES: tuple[LinkOutcome, ...] = get_args(LinkOutcome)

#: Media types search engines index as web pages.
HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type value, lower case, parameters dropped.

    >>> media_type("Text/HTML; charset=utf-8")
    'text/html'
    """
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_html(content_type: str | None) -> bool:
    """Whether a Content-Type value declares an HTML media type."""
    return media_type(content_type) in HTML_MEDIA_TYPES


class IndexabilityReason(StrEnum):
    """Why a URL is not indexable (``pages.indexability_reason``), as SEO crawlers say it.

    The values are the stored text. An imported crawl may also store a reason its tool gave
    that is none of these; readers compare against the members, never against literals.
    """

    BLOCKED = "blocked by robots.txt"
    """robots.txt forbids fetching it: a value of its own, not an error."""
    NO_RESPONSE = "no response"
    REDIRECT = "redirect"
    CLIENT_ERROR = "client error"
    SERVER_ERROR = "server error"
    NON_200 = "non-200"
    NON_HTML = "non-html"
    NOINDEX = "noindex"
    CANONICALISED = "canonicalised"
    UNKNOWN = "unknown"
    """Known only as a link target of an imported crawl: what it holds is not known."""


class Link(NamedTuple):
    """One ``<a href>`` occurrence on a page (the page itself is the link's source)."""

    dst_url: str
    """Normalised absolute URL; for ``mailto:``, ``tel:``, ``javascript:`` the href as written."""
    anchor: str
    """Anchor text with whitespace collapsed (image alt text not included)."""
    alt: str | None
    """Alt text of the first image inside the link, if any."""
    rel: str | None
    """The rel attribute's tokens, lower-case, space separated; None when absent."""
    is_nofollow: bool
    is_sponsored: bool
    is_ugc: bool
    position: Position
    is_internal: bool
    """Same registrable domain as the crawl's start URL."""
    is_image: bool
    """The link wraps an image."""
    ordinal: int
    """0-based order of this link among the page's ``<a href>`` elements."""
    is_followable: bool
    """An http(s) URL (not ``mailto:``, ``javascript:``, ...) that a crawler could fetch."""
    fragment: str | None = None
    """The href's ``#fragment`` without the ``#`` (a place in the target page, a term's
    definition); None when the href has none."""


@dataclass(frozen=True, slots=True)
class LinkColumns:
    """A page's ``<a href>`` occurrences as parallel columns: item ``i`` of every list is a
    field of the page's link ``i`` (its ordinal). The fields are those of :class:`Link`."""

    dst_url: list[str]
    anchor: list[str]
    alt: list[str | None]
    rel: list[str | None]
    is_nofollow: list[bool]
    is_sponsored: list[bool]
    is_ugc: list[bool]
    position: list[Position]
    is_internal: list[bool]
    is_image: list[bool]
    is_followable: list[bool]
    fragment: list[str | None]

    @classmethod
    def empty(cls) -> LinkColumns:
        """The links of a page without any."""
        return cls([], [], [], [], [], [], [], [], [], [], [], [])

    def __len__(self) -> int:
        return len(self.dst_url)

    def rows(self) -> list[Link]:
        """The links one record each, in page order."""
        return [
            Link(d, a, al, r, nf, sp, ugc, pos, internal, image, ordinal, followable, fragment)
            for ordinal, (
                d,
                a,
                al,
                r,
                nf,
                sp,
                ugc,
                pos,
                internal,
                image,
                followable,
                fragment,
            ) in enumerate(
                zip(
                    self.dst_url,
                    self.anchor,
                    self.alt,
                    self.rel,
                    self.is_nofollow,
                    self.is_sponsored,
                    self.is_ugc,
                    self.position,
                    self.is_internal,
                    self.is_image,
                    self.is_followable,
                    self.fragment,
                    strict=True,
                )
            )
        ]


@dataclass(frozen=True, slots=True)
class ParsedHtml:
    """What an HTML document says about itself and where it links."""

    title: str | None
    h1: str | None
    meta_description: str | None
    meta_robots: str | None
    """Content of ``<meta name="robots">`` (and ``googlebot``), lower-case, comma joined."""
    canonical_url: str | None
    """Normalised absolute URL of ``<link rel="canonical">``."""
    base_url: str
    """The URL relative hrefs were resolved against (``<base href>`` or the page URL)."""
    word_count: int
    text_sha1: str
    """SHA-1 hex of the visible body text with whitespace collapsed (duplicate detection)."""
    link_columns: LinkColumns
    """Every ``<a href>`` of the page, in page order."""
    content_sketch: str = "0:"
    """A fingerprint of the page's own text (template and digits left out) that tells nearly
    identical pages apart from different ones (see ``parse.html._content_sketch``)."""
    content_text: str = ""
    """The page's own text (template regions left out), its links and headings marked (see
    :mod:`linkequity.pagetext`), cut to the crawl's ``text_limit``; empty when not kept."""
    headings: tuple[str, ...] = ()
    """The text of the content region's h1-h6 elements, in page order."""

    @property
    def links(self) -> list[Link]:
        """Every ``<a href>`` of the page, one record each, in page order."""
        return self.link_columns.rows()
