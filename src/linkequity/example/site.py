"""The example site, "Northwind Outfitters": a deterministic generated shop (example stage).

:func:`build_site` generates the catalogue (``catalogue.py``) and maps every URL the site answers
to a :class:`Route`. Nothing is rendered up front: :meth:`ExampleSite.answer` composes one
page's content on demand (``pages.py``, ``defects.py``) and :meth:`ExampleSite.response`
renders it (``render.py``), so a 20,000-page site holds only its catalogue (a few MB).
:meth:`ExampleSite.truth` derives what a crawl must find from the same model (``truth.py``).

>>> site = build_site(300)
>>> site.response("/", "http://127.0.0.1:8000").status
200
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from linkequity.errors import ConfigError
from linkequity.example import render
from linkequity.example.catalogue import Catalogue, build_catalogue
from linkequity.example.defects import (
    BASE_HREF_PAGE,
    INFO_PAGES,
    LEGACY_CHARSET_PAGE,
    MALFORMED_PAGE,
    ORPHAN_LANDINGS,
    PDF_BODY,
    REDIRECTS,
    RETIRED_PRODUCT,
    SPECIAL_COMPOSERS,
    SPECIAL_ROUTES,
    SPECS_SUFFIX,
    answer_headers,
)
from linkequity.example.pages import COMPOSERS
from linkequity.records import is_html

if TYPE_CHECKING:
    from linkequity.example.render import Document
    from linkequity.example.truth import ExpectedLink, GroundTruth

__all__ = [
    "ROBOTS_DISALLOW",
    "SITEMAP_INDEX",
    "SITEMAP_PAGES",
    "SITEMAP_POSTS",
    "ExampleSite",
    "Route",
    "SiteResponse",
    "accepts_gzip",
    "build_site",
]

#: robots.txt ``Disallow:`` rules for every user agent (prefixes, no wildcards).
ROBOTS_DISALLOW = ("/cart/", "/checkout/", "/search/")
SITEMAP_INDEX = "/sitemap_index.xml"
SITEMAP_PAGES = "/sitemap-pages.xml"
SITEMAP_POSTS = "/sitemap-posts.xml.gz"
#: lastmod of every sitemap entry that is not a post.
_LASTMOD = "2025-05-30"
_NOT_HTML = frozenset({"robots", "sitemap", "pdf", "gone", "error"})


class Route(NamedTuple):
    """What a URL is: a page kind, the index of its record and a page or colour number."""

    kind: str
    record: int = 0
    arg: int = 0


@dataclass(frozen=True, slots=True)
class SiteResponse:
    """One HTTP response of the example site."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The first header of that name (case-insensitive), if any."""
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


class ExampleSite(Catalogue):
    """The generated shop: its catalogue, its URL map and its responses (rendered on demand)."""

    def __init__(self, pages: int, seed: int, heavy: bool) -> None:
        super().__init__(seed, heavy)
        self.pages_requested = pages
        self.routes: dict[str, Route] = {}
        self._truths: dict[str, GroundTruth] = {}

    # -- the model ------------------------------------------------------------------------
    def paths(self) -> Iterator[str]:
        """Every path (and query) that answers something other than the generic 404."""
        yield from self.routes
        yield from REDIRECTS

    def html_page_count(self) -> int:
        """How many URLs answer an HTML page (a few of them no crawler reaches)."""
        return sum(1 for r in self.routes.values() if r.kind not in _NOT_HTML)

    def route(self, path_and_query: str) -> Route | None:
        """The route of a requested path; unknown query parameters are ignored, as shops do."""
        route = self.routes.get(path_and_query)
        if route is None and "?" in path_and_query:
            route = self.routes.get(path_and_query.split("?", 1)[0])
        return route

    def sitemaps(self) -> dict[str, list[tuple[str, str]]]:
        """Each urlset sitemap's ``(path, lastmod)`` entries. The home page is in both, as
        plugins that write one sitemap per content type often do."""
        listed = ["/", "/blog/", "/guides/", *(f"/{slug}/" for slug, _ in INFO_PAGES)]
        listed += [c.path for c in self.categories]
        listed += [self.listing_path(s) for s in self.subcategories]
        listed += [p.path for p in self.products]
        listed += [g.path for g in self.guides]
        listed += [*ORPHAN_LANDINGS, RETIRED_PRODUCT, LEGACY_CHARSET_PAGE, MALFORMED_PAGE]
        listed.append(BASE_HREF_PAGE)
        posts = [("/", _LASTMOD)] + [(p.path, p.published) for p in self.posts]
        return {SITEMAP_PAGES: [(p, _LASTMOD) for p in listed], SITEMAP_POSTS: posts}

    def is_disallowed(self, path_and_query: str) -> bool:
        """Does robots.txt disallow this path for every crawler (``linkequity`` included)?"""
        return path_and_query.startswith(ROBOTS_DISALLOW)

    # -- responses ------------------------------------------------------------------------
    def answer(self, path_and_query: str, origin: str, with_text: bool = True) -> render.Answer:
        """What the site answers to a GET of ``path_and_query``, before rendering.

        ``with_text=False`` leaves the prose out of pages (same links, same head), which
        makes composing a page several times faster for the ground truth.
        """
        redirect = REDIRECTS.get(path_and_query)
        if redirect is not None:
            status, location = redirect
            location = location.format(origin=origin, category=self.categories[0].slug)
            body = b"<!DOCTYPE html>\n<title>Moved</title>\n"
            return render.Answer(status, render.HTML, (("Location", location),), body=body)
        route = self.route(path_and_query)
        if route is None:
            return render.error_answer(404, "Page not found")
        if route.kind == "robots":
            body = render.robots_txt(origin, ROBOTS_DISALLOW, SITEMAP_INDEX)
            return render.Answer(200, "text/plain; charset=utf-8", body=body)
        if route.kind == "sitemap":
            return self._sitemap(path_and_query, origin)
        return self._page(route, path_and_query, origin, with_text)

    def _page(self, route: Route, path: str, origin: str, with_text: bool) -> render.Answer:
        kind = route.kind
        if kind == "pdf":
            return render.Answer(200, "application/pdf", body=PDF_BODY)
        if kind == "gone":
            return render.error_answer(410, "This product has been discontinued")
        if kind == "error":
            return render.error_answer(500, "Something went wrong")
        context = render.PageContext(self, path, origin, with_text)
        composer = COMPOSERS.get(kind) or SPECIAL_COMPOSERS[kind]
        content_type, headers = answer_headers(self, route, path, origin)
        return render.Answer(200, content_type, headers, composer(context, route))

    def _sitemap(self, path: str, origin: str) -> render.Answer:
        if path == SITEMAP_INDEX:
            body = render.sitemap_index(origin, [(p, _LASTMOD) for p in self.sitemaps()])
            return render.Answer(200, "application/xml", body=body)
        compress = path.endswith(".gz")
        body = render.sitemap_urlset(origin, self.sitemaps()[path], compress=compress)
        return render.Answer(200, "application/gzip" if compress else "application/xml", body=body)

    def response(self, path_and_query: str, origin: str, accept_encoding: str = "") -> SiteResponse:
        """The HTTP response to a GET of ``path_and_query``; ``origin`` like ``http://h:port``.

        HTML is gzip-compressed when ``accept_encoding`` allows it.
        """
        answer = self.answer(path_and_query, origin)
        body = answer.body if answer.document is None else render.to_bytes(answer.document)
        headers = [("Content-Type", answer.content_type), *answer.headers]
        if is_html(answer.content_type):
            headers.append(("Vary", "Accept-Encoding"))
            if accepts_gzip(accept_encoding):
                body = gzip.compress(body, compresslevel=6, mtime=0)
                headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        return SiteResponse(answer.status, tuple(headers), body)

    def document(self, path_and_query: str, origin: str) -> Document | None:
        """The content of an HTML page (None for redirects, files and error pages)."""
        return self.answer(path_and_query, origin).document

    # -- ground truth ---------------------------------------------------------------------
    def truth(self, origin: str) -> GroundTruth:
        """What a crawl from ``origin + "/"`` must find, derived from the model (cached)."""
        from linkequity.example.truth import compute_truth

        known = self._truths.get(origin)
        if known is None:
            known = self._truths[origin] = compute_truth(self, origin)
        return known

    def sections(self) -> dict[str, str]:
        """The topical section (a category's slug) of every path that belongs to one: the
        category's own page and listings, its products, the posts about its subcategories
        and its guides; the home page, the blog index, tags and info pages belong to none."""
        found: dict[str, str] = {}
        for path, route in self.routes.items():
            if route.kind == "category":
                found[path] = self.categories[route.record].slug
            elif route.kind == "listing":
                found[path] = self.category_of(self.subcategories[route.record]).slug
            elif route.kind == "product" and "?" not in path:
                sub = self.subcategories[self.products[route.record].subcategory]
                found[path] = self.category_of(sub).slug
            elif route.kind == "post":
                sub = self.subcategories[self.posts[route.record].subcategory]
                found[path] = self.category_of(sub).slug
            elif route.kind == "guide":
                found[path] = self.categories[self.guides[route.record].category].slug
        return found

    def expected_links(self, origin: str) -> Iterator[ExpectedLink]:
        """Every link row a crawl from ``origin + "/"`` records, page by page in URL order."""
        from linkequity.example.truth import iter_links

        return iter_links(self, self.truth(origin))


def accepts_gzip(accept_encoding: str) -> bool:
    """Does an Accept-Encoding header allow gzip (``gzip`` or ``*`` with a q above 0)?

    >>> accepts_gzip("gzip, deflate, br"), accepts_gzip("gzip;q=0"), accepts_gzip("")
    (True, False, False)
    """
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() in ("gzip", "x-gzip", "*"):
            q = params.strip()
            if not q.startswith("q="):
                return True
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
    return False


def build_site(pages: int = 300, seed: int = 7, heavy: bool = False) -> ExampleSite:
    """Generate the example shop with about ``pages`` crawlable HTML pages.

    Deterministic: the same arguments give the same URLs and the same bytes. ``heavy`` makes
    each page ~50 KB with ~200 links (the benchmark profile) instead of 10-20 KB with 60-90.
    """
    if pages < 100:
        raise ConfigError(f"The example site needs at least 100 pages (got {pages}).")
    # The shares are of the catalogue; pagination, variants and print pages add to it
    # differently per profile, so scale the request until the count is within 2 %.
    attempt = pages
    for _ in range(4):
        site = ExampleSite(pages, seed, heavy)
        build_catalogue(site, attempt)
        _build_routes(site)
        count = site.html_page_count()
        if abs(count - pages) <= pages // 50:
            break
        attempt = max(100, round(attempt * pages / count))
    return site


def _build_routes(site: ExampleSite) -> None:
    routes = site.routes
    routes["/robots.txt"] = Route("robots")
    for sitemap in (SITEMAP_INDEX, SITEMAP_PAGES, SITEMAP_POSTS):
        routes[sitemap] = Route("sitemap")
    for path, kind in SPECIAL_ROUTES.items():
        routes[path] = Route(kind)
    for i, (slug, _) in enumerate(INFO_PAGES):
        routes[f"/{slug}/"] = Route("info", i)
    for i, path in enumerate(ORPHAN_LANDINGS):
        routes[path] = Route("landing", i)
    for page in range(2, site.blog_pages + 1):
        routes[f"/blog/page/{page}/"] = Route("blog", 0, page)
    for c in site.categories:
        routes[c.path] = Route("category", c.index)
    for s in site.subcategories:
        for page in range(1, s.listing_pages + 1):
            routes[site.listing_path(s, page)] = Route("listing", s.index, page)
    for p in site.products:
        routes[p.path] = Route("product", p.index)
        for ci, colour in enumerate(p.colours):
            routes[f"{p.path}?color={colour}"] = Route("product", p.index, ci + 1)
    routes[site.products[0].path + SPECS_SUFFIX] = Route("specs", 0)
    for post in site.posts:
        routes[post.path] = Route("post", post.index)
    for tag in site.tags:
        routes[tag.path] = Route("tag", tag.index)
    for g in site.guides:
        routes[g.path] = Route("guide", g.index)
        routes[g.path + "print/"] = Route("print", g.index)
