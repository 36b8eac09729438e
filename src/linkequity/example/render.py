"""Rendering the example site: the shop template, HTML bytes, robots.txt, sitemaps (example stage).

A page is composed (``pages.py``, ``defects.py``) into a :class:`Document`: its head facts and
its body as a list of markup strings and :class:`LinkSpec` items in document order. The
renderer writes the links; the ground truth (``truth.py``) reads the same items, so every link a
page renders is a link the truth knows about, with the position of the landmark it was written
in (:class:`Builder` tracks it).

The shop template (:func:`regular_page`) around every regular page: a skip link, ``<header>``
(logo, search form, sign-in, cart), the ``<nav>`` main menu, a breadcrumb ``<nav>``, ``<main>``,
an ``<aside class="sidebar">`` (whose own ``<header>`` is not a landmark), ``<footer>``, and a
cookie banner outside every landmark.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, NamedTuple

from linkequity.records import Position

if TYPE_CHECKING:
    from linkequity.example.site import ExampleSite

__all__ = [
    "CART_PAGE",
    "HTML",
    "LOGIN_PAGE",
    "OLD_ABOUT",
    "SEARCHES",
    "Answer",
    "Builder",
    "Document",
    "LinkSpec",
    "PageContext",
    "error_answer",
    "paragraphs",
    "regular_page",
    "robots_txt",
    "sitemap_index",
    "sitemap_urlset",
    "to_bytes",
    "to_html",
]


class LinkSpec(NamedTuple):
    """One ``<a href>`` as the page writes it, and the landmark region it is written in."""

    href: str
    anchor: str
    position: Position
    rel: str | None = None
    img: str | None = None
    """``src`` of an image inside the link (an image link), else None."""
    alt: str | None = None
    """The image's ``alt`` attribute; None writes no attribute."""
    css_class: str | None = None
    raw: str | None = None
    """Exact markup to write instead of the generated one (the malformed page)."""

    @property
    def expected_alt(self) -> str | None:
        """The alt text a parser records: "" for an image without one, None for no image."""
        if self.img is None:
            return None
        return " ".join((self.alt or "").split())


@dataclass(slots=True)
class Document:
    """An HTML page before rendering: head facts, and the body in document order."""

    title: str
    h1: str | None
    description: str | None = None
    canonical: str | None = None
    """The ``<link rel="canonical">`` href as written, if any."""
    meta_robots: str | None = None
    base_href: str | None = None
    charset: str = "utf-8"
    """The label declared in ``<meta charset>``."""
    encoding: str = "utf-8"
    """The Python codec the bytes are written in."""
    head_extra: str = ""
    body: list[str | LinkSpec] = field(default_factory=list)
    raw_head: str | None = None
    """A complete hand-written head and body start, replacing the generated one."""
    complete: bool = True
    """End with ``</body></html>`` (the malformed page does not)."""

    def links(self) -> Iterator[LinkSpec]:
        """The links in document order."""
        return (part for part in self.body if isinstance(part, LinkSpec))


class Builder:
    """Appends markup and links to a body, tracking the landmark region links are written in."""

    def __init__(self) -> None:
        self.body: list[str | LinkSpec] = []
        self._regions: list[Position] = ["unknown"]

    def add(self, markup: str) -> None:
        """Append markup that contains no link."""
        self.body.append(markup)

    def link(
        self,
        href: str,
        anchor: str = "",
        *,
        rel: str | None = None,
        img: str | None = None,
        alt: str | None = None,
        css_class: str | None = None,
        raw: str | None = None,
    ) -> None:
        """Append a link in the current region."""
        self.body.append(LinkSpec(href, anchor, self._regions[-1], rel, img, alt, css_class, raw))

    def item(self, href: str, anchor: str, *, rel: str | None = None) -> None:
        """Append a link as a list item."""
        self.body.append("<li>")
        self.link(href, anchor, rel=rel)
        self.body.append("</li>")

    @contextmanager
    def region(self, start: str, end: str, position: Position | None = None) -> Iterator[None]:
        """Wrap what is appended inside in ``start`` ... ``end``; ``position`` names the
        landmark that element is (None: not a landmark, links keep the enclosing one)."""
        self.body.append(start)
        self._regions.append(position or self._regions[-1])
        try:
            yield
        finally:
            self._regions.pop()
            self.body.append(end)


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _link_html(link: LinkSpec) -> str:
    if link.raw is not None:
        return link.raw
    attrs = f'<a href="{_attr(link.href)}"'
    if link.css_class:
        attrs += f' class="{link.css_class}"'
    if link.rel:
        attrs += f' rel="{link.rel}"'
    inner = escape(link.anchor, quote=False)
    if link.img is not None:
        alt = "" if link.alt is None else f' alt="{_attr(link.alt)}"'
        image = f'<img src="{_attr(link.img)}"{alt} width="320" height="240" loading="lazy">'
        inner = f"{image} {inner}" if inner else image
    return f"{attrs}>{inner}</a>"


def to_html(doc: Document) -> str:
    """The HTML text of a document."""
    if doc.raw_head is not None:
        out = [doc.raw_head]
    else:
        out = [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n',
            f'<meta charset="{doc.charset}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{escape(doc.title, quote=False)}</title>\n",
        ]
        if doc.description:
            out.append(f'<meta name="description" content="{_attr(doc.description)}">\n')
        if doc.meta_robots:
            out.append(f'<meta name="robots" content="{_attr(doc.meta_robots)}">\n')
        if doc.base_href:
            out.append(f'<base href="{_attr(doc.base_href)}">\n')
        if doc.canonical:
            out.append(f'<link rel="canonical" href="{_attr(doc.canonical)}">\n')
        out.append(doc.head_extra)
        out.append('</head>\n<body id="top">\n')
    out.extend(part if isinstance(part, str) else _link_html(part) for part in doc.body)
    if doc.complete:
        out.append("\n</body>\n</html>\n")
    return "".join(out)


def to_bytes(doc: Document) -> bytes:
    """The document encoded in its own encoding."""
    return to_html(doc).encode(doc.encoding)


# -- robots.txt and sitemaps ----------------------------------------------------------------
def robots_txt(origin: str, disallow: Iterable[str], sitemap: str) -> bytes:
    """A robots.txt: the shop's rules for every crawler, one bad bot shut out, the sitemap."""
    lines = ["# Northwind Outfitters", "User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow]
    lines += ["", "User-agent: BadBot", "Disallow: /", "", f"Sitemap: {origin}{sitemap}", ""]
    return "\n".join(lines).encode("ascii")


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap_index(origin: str, sitemaps: Iterable[tuple[str, str]]) -> bytes:
    """A sitemap index listing ``(path, lastmod)`` sitemaps."""
    items = "".join(
        f"<sitemap><loc>{escape(origin + p)}</loc><lastmod>{m}</lastmod></sitemap>\n"
        for p, m in sitemaps
    )
    return f"{_XML_HEAD}<sitemapindex {_NS}>\n{items}</sitemapindex>\n".encode()


def sitemap_urlset(origin: str, urls: Iterable[tuple[str, str]], compress: bool = False) -> bytes:
    """A urlset of ``(path, lastmod)`` pages; gzip-compressed when ``compress``."""
    items = "".join(
        f"<url><loc>{escape(origin + p)}</loc><lastmod>{m}</lastmod></url>\n" for p, m in urls
    )
    data = f"{_XML_HEAD}<urlset {_NS}>\n{items}</urlset>\n".encode()
    return gzip.compress(data, compresslevel=6, mtime=0) if compress else data


# -- answers and the shop template ----------------------------------------------------------
HTML = "text/html; charset=utf-8"
BRAND = "Northwind Outfitters"
#: URLs the template links from every page.
LOGIN_PAGE = "/account/login/"
"""The header's sign-in link, rel="nofollow": never crawled."""
CART_PAGE = "/cart/"
"""The header's cart link: disallowed by robots.txt."""
SEARCHES = (("/search/?q=tents", "tents"), ("/search/?q=rain+jacket", "rain jacket"))
"""The sidebar's popular searches: disallowed by robots.txt."""
OLD_ABOUT = "/about-us/"
"""The footer's "Our story" link: a 301 to /about/ on every page."""
SOCIAL = (
    ("https://www.facebook.com/northwindoutfitters", "Facebook"),
    ("https://www.instagram.com/northwindoutfitters/", "Instagram"),
    ("https://www.youtube.com/@northwindoutfitters", "YouTube"),
)
_MORE_SOCIAL = (
    ("https://www.pinterest.com/northwindoutfitters/", "Pinterest"),
    ("https://www.strava.com/clubs/northwind", "Strava club"),
    ("https://www.onepercentfortheplanet.org/", "1% for the Planet"),
    ("https://lnt.org/", "Leave No Trace"),
)
SELF = "<self>"
"""``canonical`` value meaning "this page's own URL without its query"."""

# Critical CSS inlined in every page, as shops do: ~4 KB, and ~12 KB more in the heavy profile;
# sized so that pages land at 10-20 KB (default) and ~50 KB (heavy).
_CSS = "".join(
    f".c{i}{{margin:{i % 7}px;padding:{i % 5}px {i % 9}px;color:#{(i * 2654435) % 0xFFFFFF:06x}}}"
    for i in range(90)
)
_HEAVY_CSS = "".join(
    f".u{i}{{display:flex;gap:{i % 11}px;font-size:{12 + i % 6}px;"
    f"border:1px solid #{(i * 40503) % 0xFFFFFF:06x}}}\n"
    for i in range(150)
)


@dataclass(frozen=True, slots=True)
class Answer:
    """A response before rendering: the HTML is still a :class:`Document` (or raw bytes)."""

    status: int
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    document: Document | None = None
    body: bytes = b""


def error_answer(status: int, message: str) -> Answer:
    """A small HTML error page (crawlers store it but do not parse it)."""
    body = (
        f"<!DOCTYPE html>\n<html><head><title>{message} | {BRAND}</title></head><body>"
        f'<h1>{message}</h1><p><a href="/">Back to the shop</a></p></body></html>\n'
    )
    return Answer(status, HTML, body=body.encode())


class PageContext:
    """What composing one page needs: the site, the page's path, the origin, a builder.

    Without ``with_text`` the page's prose is left out (the ground truth needs only the links,
    and no link depends on the prose).
    """

    def __init__(self, site: ExampleSite, path: str, origin: str, with_text: bool = True) -> None:
        self.site = site
        self.path = path
        self.origin = origin
        self.b = Builder()
        # Keyed by the path without its query: a colour variant repeats its product's text.
        self.clean_path = path.split("?", 1)[0]
        self._rng = site.rng(self.clean_path) if with_text else None

    def text(self, sentences: int) -> str:
        """``sentences`` sentences of the page's own prose."""
        if self._rng is None:
            return ""
        return self.site.text(self._rng, sentences)


def paragraphs(p: PageContext, count: int, sentences: int = 5) -> None:
    """Append ``count`` paragraphs of the page's own text."""
    for _ in range(count):
        p.b.add(f"<p>{escape(p.text(sentences), quote=False)}</p>\n")


def regular_page(
    p: PageContext,
    title: str,
    h1: str | None,
    crumbs: list[tuple[str, str]],
    content: Callable[[], None],
    *,
    canonical: str | None = SELF,
    meta_robots: str | None = None,
    base_href: str | None = None,
) -> Document:
    """A page in the shop template; ``content`` writes what goes inside ``<main>``.

    ``crumbs`` are the breadcrumb's linked ancestors after Home (none: no breadcrumb);
    ``canonical`` a path written as an absolute URL (``SELF``: the page's own path).
    """
    b = p.b
    b.link("#content", "Skip to content", css_class="skip-link")
    _header(p)
    _menu(p)
    if crumbs or (h1 is not None and p.path != "/"):
        with b.region('<nav class="breadcrumb" aria-label="Breadcrumb"><ol>', "</ol></nav>\n",
                      "navigation"):  # fmt: skip
            for href, name in [(p.origin + "/", "Home"), *crumbs]:
                b.item(href, name)
            b.add(f'<li aria-current="page">{escape(h1 or title, quote=False)}</li>')
    with b.region('<main id="content">\n', "</main>\n", "content"):
        content()
    _sidebar(p)
    _footer(p)
    b.add('<div class="cookie-banner">We use cookies to run the shop. ')
    b.link("/privacy/", "Read our privacy policy")
    b.add("</div>")
    if canonical == SELF:
        canonical = p.clean_path
    heavy = p.site.heavy
    return Document(
        title=title if title.startswith(BRAND) else f"{title} | {BRAND}",
        h1=h1,
        description=f"{h1 or title} at {BRAND}: outdoor gear, advice and free returns.",
        canonical=None if canonical is None else p.origin + canonical,
        meta_robots=meta_robots,
        base_href=base_href,
        head_extra=(
            f"<style>{_CSS}{_HEAVY_CSS if heavy else ''}</style>\n"
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            f'"@type":"Organization","name":"{BRAND}","url":"{p.origin}/"}}</script>\n'
        ),
        body=b.body,
    )


def _header(p: PageContext) -> None:
    b = p.b
    with b.region('\n<header class="site-header">', "</header>\n", "header"):
        b.link("/", img="/static/logo.svg", alt=BRAND, css_class="logo")
        b.add(
            '<form class="search-form" role="search" action="/search/" method="get">'
            '<input type="search" name="q" placeholder="Search tents, boots, stoves" '
            'aria-label="Search"><button type="submit">Search</button></form>'
        )
        b.link(LOGIN_PAGE, "Sign in", rel="nofollow", css_class="account")
        b.link(CART_PAGE, "Cart (0)", css_class="cart")


def _menu(p: PageContext) -> None:
    site, b, prof = p.site, p.b, p.site.profile
    with b.region('<nav class="main-menu" aria-label="Main menu"><ul>', "</ul></nav>\n",
                  "navigation"):  # fmt: skip
        for category in site.categories:
            b.add("<li>")
            b.link(category.path, category.name)
            b.add('<ul class="submenu">')
            subs = [site.subcategories[i] for i in category.subcategories]
            for sub in subs[: prof.nav_subcategories]:
                b.item(site.listing_path(sub), sub.name)
            featured = prof.nav_panel - 1 - min(len(subs), prof.nav_subcategories)
            first = subs[0].first_product
            last = subs[-1].first_product + subs[-1].product_count
            for pi in range(first, min(last, first + max(0, featured))):
                b.add('<li class="featured">')
                b.link(site.products[pi].path, site.products[pi].name)
                b.add("</li>")
            b.add("</ul></li>\n")
        for href, name in (("/guides/", "Guides"), ("/blog/", "Journal")):
            b.item(href, name)


def _sidebar(p: PageContext) -> None:
    site, b, prof = p.site, p.b, p.site.profile
    with b.region('<aside class="sidebar">\n', "</aside>\n", "sidebar"):
        with b.region("<header>", "</header>\n"):  # inside <aside>: not the page's header
            b.add("<h2>")
            b.link("/blog/", "From the journal")
            b.add("</h2>")
        b.add('<ul class="recent-posts">')
        for post in site.posts[: prof.sidebar_posts]:
            b.item(post.path, post.title)
        b.add('</ul>\n<h2>Popular gear</h2><ul class="popular-products">')
        n = len(site.products)
        for k in range(prof.sidebar_products):
            product = site.products[(k * n) // prof.sidebar_products + 1]
            b.item(product.path, product.name)
        b.add('</ul>\n<h2>Popular searches</h2><ul class="popular-searches">')
        for href, anchor in SEARCHES:
            b.item(href, anchor)
        b.add("</ul>\n")


def _footer(p: PageContext) -> None:
    site, b = p.site, p.b
    columns: list[tuple[str, list[tuple[str, str, str | None]]]] = [
        ("Help", [("/contact/", "Contact us", None), ("/shipping/", "Shipping", None),
                  ("/returns/", "Returns", None)]),
        ("Company", [(OLD_ABOUT, "Our story", None), ("/blog/", "Journal", None),
                     ("/guides/", "Guides", None), ("/privacy/", "Privacy", None),
                     ("/terms/", "Terms", None)]),
    ]  # fmt: skip
    social = list(SOCIAL)
    if site.profile.footer_extra:
        columns.append(("Shop", [(c.path, c.name, None) for c in site.categories]))
        places: list[tuple[str, str, str | None]] = [
            (g.path, g.title, None) for g in site.guides[:8]
        ]
        places += [
            (site.listing_path(s), s.name, None) for s in site.subcategories[: 8 - len(places)]
        ]
        columns.append(("Advice", places))
        popular = site.subcategories[8:14]
        columns.append(("Popular", [(site.listing_path(s), s.name, None) for s in popular]))
        social += _MORE_SOCIAL
    with b.region('<footer class="site-footer">\n', "</footer>\n", "footer"):
        for heading, links in columns:
            b.add(f"<section><h3>{heading}</h3><ul>")
            for href, anchor, rel in links:
                b.item(href, anchor, rel=rel)
            b.add("</ul></section>\n")
        b.add('<p class="social">')
        for href, anchor in social:
            b.link(href, anchor, rel="noopener")
        b.add('</p>\n<p class="contact">')
        b.link("mailto:hello@northwind-outfitters.com", "hello@northwind-outfitters.com")
        b.link("tel:+441315550100", "+44 131 555 0100")
        b.add(f"</p>\n<p>&copy; 1998-2025 {BRAND}. ")
        b.link("#top", "Back to top")
        b.add("</p>\n")
