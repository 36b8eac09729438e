"""Typed records that cross stage boundaries: what parse/ hands to crawl/, and crawl/ to store/.

``Link`` is a NamedTuple rather than a frozen dataclass because a templated page yields ~200 of
them and a crawl makes ~1,000 pages a second: tuple construction costs about a third of a frozen
dataclass's ``object.__setattr__`` path, and the store reads the fields column by column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = ["POSITIONS", "Link", "ParsedHtml", "Position"]

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
    links: list[Link]
