"""The example site's ground truth: what a crawl from its origin must store (example stage).

It is derived from the site's model by replaying the crawl rules, never by parsing the HTML.

The rules replayed (the crawler implements the same):

1. The start URL is ``origin + "/"`` at depth 0; robots.txt is read first and its ``Sitemap:``
   lines give the sitemaps (indexes recursed, ``.gz`` inflated); every ``<loc>`` counts once.
2. Breadth-first by levels. A URL robots.txt disallows gets a row with no status and its depth,
   and is never requested. A 2xx answer with an HTML media type is parsed: all its ``<a href>``
   are recorded (duplicates, fragments and ``mailto:`` included); those that are http(s), on the
   start's host:port and not ``rel=nofollow`` are queued at depth + 1 unless already seen, and
   none of them when the page's meta robots or ``X-Robots-Tag`` says ``nofollow`` (or ``none``).
   Its canonical (``<link>``, else the ``Link`` header), when it differs and is in scope, is
   queued too. A 3xx queues its resolved ``Location``. Other answers are stored, not parsed.
3. When the link crawl is exhausted, sitemap URLs never seen seed a second breadth-first crawl
   with the same rules; its pages have no depth.
4. Indexability, the first reason that applies: blocked by robots.txt, no response, redirect,
   client error, server error, non-200, non-html, noindex, canonicalised.

URLs are normalised with :func:`linkequity.urls.normalise_url`; relative hrefs are resolved with
the standard library's ``urljoin`` (RFC 3986) against the page URL or its ``<base href>``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urljoin

from linkequity.example.defects import LEGACY_CHARSET_PAGE, LEGACY_CHARSET_TITLE
from linkequity.example.site import SITEMAP_INDEX
from linkequity.records import HTML_MEDIA_TYPES, POSITIONS, IndexabilityReason, Position
from linkequity.urls import netloc_of, normalise_url, registrable_domain

if TYPE_CHECKING:
    from linkequity.example.render import Document
    from linkequity.example.site import ExampleSite

__all__ = [
    "BrokenLink",
    "ExpectedLink",
    "ExpectedPage",
    "GroundTruth",
    "LegacyCharsetPage",
    "RedirectChain",
    "RedirectHop",
    "compute_truth",
    "iter_links",
]

_LINK_CANONICAL = re.compile(r'<([^>]*)>\s*;\s*rel="?canonical"?', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ExpectedPage:
    """The page row a crawl stores for one URL."""

    url: str
    status_code: int | None
    """None: disallowed by robots.txt, never requested."""
    content_type: str | None
    """Media type without parameters, lower-case."""
    depth: int | None
    """Clicks from the start URL; None when first reached from the sitemaps."""
    redirect_url: str | None
    canonical_url: str | None
    meta_robots: str | None
    x_robots_tag: str | None
    indexable: bool
    indexability_reason: str | None
    title: str | None
    h1: str | None
    encoding: str | None
    """The Python codec the HTML is decoded with (``utf-8``, ``cp1252``); None if not parsed."""
    in_sitemap: bool


class ExpectedLink(NamedTuple):
    """One link row: an ``<a href>`` occurrence on a parsed page."""

    src_url: str
    dst_url: str
    anchor: str
    alt: str | None
    rel: str | None
    is_nofollow: bool
    is_sponsored: bool
    is_ugc: bool
    position: Position
    is_internal: bool
    is_image: bool
    ordinal: int


@dataclass(frozen=True, slots=True)
class BrokenLink:
    """An internal link occurrence whose target answered 4xx or 5xx."""

    src_url: str
    dst_url: str
    anchor: str
    position: Position
    status_code: int


@dataclass(frozen=True, slots=True)
class RedirectHop:
    url: str
    status_code: int
    location: str | None
    """The resolved, normalised Location."""


@dataclass(frozen=True, slots=True)
class RedirectChain:
    """A redirecting URL's chain, hop by hop, to the first URL that does not redirect."""

    url: str
    hops: tuple[RedirectHop, ...]
    final_url: str | None
    """Where the chain ends; None for a loop."""
    is_loop: bool


@dataclass(frozen=True, slots=True)
class LegacyCharsetPage:
    url: str
    charset: str
    """The label in ``<meta charset>`` (the Content-Type header has none)."""
    encoding: str
    """The Python codec a browser-like decoder uses for it."""
    title: str
    """The title as it must be decoded."""


@dataclass(frozen=True)
class GroundTruth:
    """Everything an exact test of a crawl of the example site compares with.

    Link counts cover every recorded link: ``link_count`` = ``internal_link_count`` +
    ``external_link_count`` (other http(s) hosts) + the ``mailto:``, ``tel:`` and
    ``javascript:`` counts.
    """

    origin: str
    start_url: str
    pages: Mapping[str, ExpectedPage]
    pages_by_status: Mapping[int | None, int]
    pages_by_reason: Mapping[str | None, int]
    """Indexable pages are counted under None."""
    depth_histogram: Mapping[int | None, int]
    sitemap_files: tuple[str, ...]
    sitemap_urls: tuple[str, ...]
    link_count: int
    internal_link_count: int
    external_link_count: int
    links_by_position: Mapping[Position, int]
    nofollow_link_count: int
    sponsored_link_count: int
    ugc_link_count: int
    mailto_link_count: int
    tel_link_count: int
    javascript_link_count: int
    image_link_count: int
    self_link_count: int
    orphan_urls: tuple[str, ...]
    """In a sitemap, but no crawled page links to them (self-links excluded)."""
    broken_links: tuple[BrokenLink, ...]
    redirect_chains: tuple[RedirectChain, ...]
    """One per crawled redirecting URL, in URL order (intermediate hops start their own)."""
    canonicalised_urls: tuple[str, ...]
    noindex_urls: tuple[str, ...]
    blocked_urls: tuple[str, ...]
    uncrawled_link_targets: tuple[str, ...]
    """In-scope link targets never fetched: reached only by rel=nofollow links or from pages
    whose robots directives say nofollow."""
    legacy_charset: LegacyCharsetPage

    @property
    def sitemap_url_count(self) -> int:
        return len(self.sitemap_urls)

    @property
    def orphan_pages(self) -> tuple[str, ...]:
        """Live, indexable pages no followed link path from the start URL reaches (they were
        first reached from the sitemaps): what the ``orphan`` finding lists."""
        return tuple(
            sorted(
                p.url
                for p in self.pages.values()
                if p.depth is None
                and p.status_code is not None
                and 200 <= p.status_code < 300
                and p.indexable
            )
        )

    @property
    def broken_link_count(self) -> int:
        return len(self.broken_links)

    @property
    def redirect_loops(self) -> tuple[str, ...]:
        """URLs whose chain loops."""
        return tuple(c.url for c in self.redirect_chains if c.is_loop)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _directives(meta_robots: str | None, x_robots_tag: str | None) -> set[str]:
    found = {d.strip().lower() for v in (meta_robots, x_robots_tag) if v for d in v.split(",")}
    if "none" in found:
        found |= {"noindex", "nofollow"}
    return found


def _indexability(
    url: str, status: int | None, media_type: str | None, noindex: bool, canonical: str | None
) -> str | None:
    if status is None:
        return IndexabilityReason.BLOCKED
    if 300 <= status < 400:
        return "redirect"
    if 400 <= status < 500:
        return "client error"
    if 500 <= status < 600:
        return "server error"
    if status != 200:
        return "non-200"
    if media_type not in HTML_MEDIA_TYPES:
        return "non-html"
    if noindex:
        return "noindex"
    if canonical is not None and canonical != url:
        return "canonicalised"
    return None


class _Target(NamedTuple):
    url: str | None
    """Normalised http(s) URL; None for ``mailto:`` and other schemes."""
    dst_url: str
    """What the link row stores: the URL, or the href as written."""
    in_scope: bool
    is_internal: bool


class _Replay:
    """Fetches URLs from the model and resolves hrefs as the crawler would."""

    def __init__(self, site: ExampleSite, origin: str) -> None:
        start = normalise_url(origin + "/")
        if start is None:
            raise ValueError(f"{origin!r} is not an http(s) origin")
        self.site = site
        self.origin = origin
        self.start = start
        self.prefix = start[:-1]
        self.netloc = netloc_of(start)
        self.domain = registrable_domain(self.netloc)
        self._cache: dict[tuple[str, str], _Target] = {}

    def resolve(self, base: str, href: str) -> str | None:
        """Normalised absolute URL of ``href`` on a page whose base URL is ``base``."""
        return self.target(base, href).url

    def target(self, base: str, href: str) -> _Target:
        """Where ``href`` on a page whose base URL is ``base`` points (cached: templated pages
        repeat the same hrefs)."""
        if href.startswith("/") and not href.startswith("//"):
            same_origin = base.startswith(self.prefix) and base[len(self.prefix)] == "/"
            key = ("" if same_origin else base[: base.find("/", base.find("//") + 2)], href)
        elif ":" in href.split("/", 1)[0]:
            key = ("", href)  # absolute, or mailto: and friends
        else:
            key = (base, href)
        try:
            return self._cache[key]
        except KeyError:
            url = normalise_url(urljoin(base, href.strip()))
            if url is None:
                target = _Target(None, href.strip(), False, False)
            else:
                netloc = netloc_of(url)
                internal = registrable_domain(netloc) == self.domain
                target = _Target(url, url, netloc == self.netloc, internal)
            self._cache[key] = target
            return target

    def in_scope(self, url: str) -> bool:
        return netloc_of(url) == self.netloc

    def visit(
        self, url: str, depth: int | None, sitemap: set[str]
    ) -> tuple[ExpectedPage, Document | None, str, list[str]]:
        """The page row of ``url``, its parsed document and base URL, and the URLs it queues."""
        path = url[len(self.prefix) :]
        in_sitemap = url in sitemap
        if self.site.is_disallowed(path):
            blocked = IndexabilityReason.BLOCKED
            row = ExpectedPage(url, None, None, depth, None, None, None, None, False, blocked,
                               None, None, None, in_sitemap)  # fmt: skip
            return row, None, url, []
        answer = self.site.answer(path, self.origin, with_text=False)
        status = answer.status
        headers = dict(answer.headers)
        media_type = answer.content_type.split(";", 1)[0].strip().lower()
        location = headers.get("Location")
        redirect = self.resolve(url, location) if location else None
        x_robots = headers.get("X-Robots-Tag")
        doc = answer.document if 200 <= status < 300 and media_type in HTML_MEDIA_TYPES else None
        base = url
        canonical = None
        if doc is not None:
            if doc.base_href:
                base = self.resolve(url, doc.base_href) or url
            if doc.canonical:
                canonical = self.resolve(base, doc.canonical)
        link_header = headers.get("Link")
        if canonical is None and link_header:
            m = _LINK_CANONICAL.search(link_header)
            canonical = self.resolve(url, m.group(1)) if m else None
        meta_robots = _collapse(doc.meta_robots).lower() if doc and doc.meta_robots else None
        directives = _directives(meta_robots, x_robots)
        reason = _indexability(url, status, media_type, "noindex" in directives, canonical)
        row = ExpectedPage(
            url=url,
            status_code=status,
            content_type=media_type,
            depth=depth,
            redirect_url=redirect,
            canonical_url=canonical,
            meta_robots=meta_robots,
            x_robots_tag=x_robots,
            indexable=reason is None,
            indexability_reason=reason,
            title=_collapse(doc.title) if doc else None,
            h1=_collapse(doc.h1) if doc and doc.h1 is not None else None,
            encoding=doc.encoding if doc else None,
            in_sitemap=in_sitemap,
        )
        queued: list[str] = []
        if redirect and 300 <= status < 400 and self.in_scope(redirect):
            queued.append(redirect)
        if 200 <= status < 300:
            if doc is not None and "nofollow" not in directives:
                for link in doc.links():
                    if link.rel and "nofollow" in link.rel.lower().split():
                        continue
                    target = self.target(base, link.href)
                    if target.in_scope:
                        queued.append(target.dst_url)
            if canonical and canonical != url and self.in_scope(canonical):
                queued.append(canonical)
        return row, doc, base, queued

    def links(self, url: str, doc: Document, base: str) -> Iterator[ExpectedLink]:
        """The link rows of a parsed page."""
        for ordinal, spec in enumerate(doc.links()):
            target = self.target(base, spec.href)
            rel = None if spec.rel is None else " ".join(spec.rel.lower().split())
            tokens = rel.split() if rel else ()
            yield ExpectedLink(
                url,
                target.dst_url,
                _collapse(spec.anchor),
                spec.expected_alt,
                rel,
                "nofollow" in tokens,
                "sponsored" in tokens,
                "ugc" in tokens,
                spec.position,
                target.is_internal,
                spec.img is not None,
                ordinal,
            )


def _sitemap_urls(replay: _Replay) -> tuple[tuple[str, ...], set[str]]:
    site = replay.site
    files = [replay.origin + p for p in (SITEMAP_INDEX, *site.sitemaps())]
    urls = {
        url
        for entries in site.sitemaps().values()
        for path, _ in entries
        if (url := normalise_url(replay.origin + path)) is not None
    }
    return tuple(u for f in files if (u := normalise_url(f)) is not None), urls


def _crawl(replay: _Replay, sitemap: set[str]) -> dict[str, ExpectedPage]:
    pages: dict[str, ExpectedPage] = {}
    seen = {replay.start}
    frontier = [replay.start]
    phase, level = 1, 0
    while True:
        if not frontier:
            if phase == 2:
                break
            phase, level = 2, 0
            frontier = sorted(u for u in sitemap if u not in seen and replay.in_scope(u))
            seen.update(frontier)
            continue
        following: list[str] = []
        for url in frontier:
            row, _, _, queued = replay.visit(url, level if phase == 1 else None, sitemap)
            pages[url] = row
            for dst in queued:
                if dst not in seen:
                    seen.add(dst)
                    following.append(dst)
        frontier = following
        level += 1
    return dict(sorted(pages.items()))


def _links_of(
    replay: _Replay, pages: Mapping[str, ExpectedPage], sitemap: set[str]
) -> Iterator[ExpectedLink]:
    for url, page in pages.items():
        if page.encoding is None:  # not parsed
            continue
        _, doc, base, _ = replay.visit(url, page.depth, sitemap)
        if doc is not None:
            yield from replay.links(url, doc, base)


def iter_links(site: ExampleSite, truth: GroundTruth) -> Iterator[ExpectedLink]:
    """Every link row of the crawl ``truth`` describes, page by page in URL order."""
    return _links_of(_Replay(site, truth.origin), truth.pages, set(truth.sitemap_urls))


def _redirect_chains(pages: Mapping[str, ExpectedPage]) -> tuple[RedirectChain, ...]:
    hops = {
        u: p for u, p in pages.items() if p.status_code is not None and 300 <= p.status_code < 400
    }
    chains = []
    for start in sorted(hops):
        visited = {start}
        chain: list[RedirectHop] = []
        current: str = start
        location: str | None = None
        loop = False
        while True:
            page = hops[current]
            location = page.redirect_url
            chain.append(RedirectHop(current, page.status_code or 0, location))
            loop = location is not None and location in visited
            if loop or location is None or location not in hops:
                break
            visited.add(location)
            current = location
        chains.append(RedirectChain(start, tuple(chain), None if loop else location, loop))
    return tuple(chains)


def compute_truth(site: ExampleSite, origin: str) -> GroundTruth:
    """Replay a crawl of ``site`` served at ``origin`` on the model and summarise it."""
    replay = _Replay(site, origin)
    files, sitemap = _sitemap_urls(replay)
    pages = _crawl(replay, sitemap)
    by_position: Counter[Position] = Counter(dict.fromkeys(POSITIONS, 0))
    flags: Counter[str] = Counter()
    targets: set[str] = set()
    uncrawled: set[str] = set()
    broken: list[BrokenLink] = []
    for link in _links_of(replay, pages, sitemap):
        by_position[link.position] += 1
        scheme = link.dst_url.split(":", 1)[0].lower()
        kind = "internal" if link.is_internal else scheme if scheme in (
            "mailto", "tel", "javascript") else "external"  # fmt: skip
        flags[kind] += 1
        flags["nofollow"] += link.is_nofollow
        flags["sponsored"] += link.is_sponsored
        flags["ugc"] += link.is_ugc
        flags["image"] += link.is_image
        if link.dst_url == link.src_url:
            flags["self"] += 1
        else:
            targets.add(link.dst_url)
        if link.is_internal:
            target = pages.get(link.dst_url)
            if target is None:
                if replay.in_scope(link.dst_url):
                    uncrawled.add(link.dst_url)
            elif target.status_code is not None and target.status_code >= 400:
                broken.append(BrokenLink(link.src_url, link.dst_url, link.anchor, link.position,
                                         target.status_code))  # fmt: skip

    def having(reason: str) -> tuple[str, ...]:
        return tuple(u for u, p in pages.items() if p.indexability_reason == reason)

    charset_url = normalise_url(origin + LEGACY_CHARSET_PAGE) or ""
    return GroundTruth(
        origin=origin,
        start_url=replay.start,
        pages=MappingProxyType(pages),
        pages_by_status=MappingProxyType(Counter(p.status_code for p in pages.values())),
        pages_by_reason=MappingProxyType(Counter(p.indexability_reason for p in pages.values())),
        depth_histogram=MappingProxyType(Counter(p.depth for p in pages.values())),
        sitemap_files=files,
        sitemap_urls=tuple(sorted(sitemap)),
        link_count=sum(by_position.values()),
        internal_link_count=flags["internal"],
        external_link_count=flags["external"],
        links_by_position=MappingProxyType(dict(by_position)),
        nofollow_link_count=flags["nofollow"],
        sponsored_link_count=flags["sponsored"],
        ugc_link_count=flags["ugc"],
        mailto_link_count=flags["mailto"],
        tel_link_count=flags["tel"],
        javascript_link_count=flags["javascript"],
        image_link_count=flags["image"],
        self_link_count=flags["self"],
        orphan_urls=tuple(sorted(u for u in sitemap if u not in targets)),
        broken_links=tuple(broken),
        redirect_chains=_redirect_chains(pages),
        canonicalised_urls=having("canonicalised"),
        noindex_urls=having("noindex"),
        blocked_urls=having(IndexabilityReason.BLOCKED),
        uncrawled_link_targets=tuple(sorted(uncrawled)),
        legacy_charset=LegacyCharsetPage(
            charset_url, "windows-1252", "cp1252", LEGACY_CHARSET_TITLE
        ),
    )
