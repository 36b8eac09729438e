"""Where the example site's defects are, and the special pages that carry them (example stage).

Each defect an audit looks for sits at a fixed URL below; the comment says where it is linked
from. The shop template adds its own on every page (see ``render.py``): the rel="nofollow"
sign-in link, the cart and search links robots.txt disallows, the footer's link to a redirect,
``mailto:`` and ``tel:`` links, and links outside every landmark.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from linkequity.example.render import (
    BRAND,
    CART_PAGE,
    HTML,
    LOGIN_PAGE,
    Document,
    PageContext,
    paragraphs,
    regular_page,
)

if TYPE_CHECKING:
    from linkequity.example.site import ExampleSite, Route

__all__ = [
    "BASE_HREF_PAGE",
    "GONE_PRODUCT",
    "INFO_PAGES",
    "LANDING_TERMS",
    "LEGACY_CHARSET_PAGE",
    "LEGACY_CHARSET_TITLE",
    "MALFORMED_PAGE",
    "NOFOLLOW_ONLY_PAGE",
    "NOINDEX_NOFOLLOW_PAGE",
    "NOINDEX_PAGE",
    "ORPHAN_LANDINGS",
    "PDF_BODY",
    "PDF_PATH",
    "REDIRECTS",
    "RELATIVE_404_HREF",
    "REMOVED_POST",
    "RETIRED_PRODUCT",
    "SPECIAL_COMPOSERS",
    "SPECIAL_ROUTES",
    "SPECS_SUFFIX",
    "STAFF_DISCOUNTS",
    "STORE_LOCATOR",
    "TYPO_PREFIX",
    "UTM_QUERY",
    "XHTML_PAGE",
    "X_ROBOTS_NOINDEX_PAGE",
    "answer_headers",
]

#: Old landing pages in the sitemap that nothing links to (sitemap-only orphans).
ORPHAN_LANDINGS = (
    "/landing/spring-sale-2019/",
    "/landing/summer-clearance-2020/",
    "/landing/black-friday-2021/",
)
#: Linked only from the first orphan landing page: first reached in the sitemap phase.
LANDING_TERMS = "/landing/spring-sale-2019/terms/"
#: In the sitemap but answers 404 (a retired product nobody took out of the sitemap).
RETIRED_PRODUCT = "/products/trailblazer-stove-2018/"
#: Answers 410 Gone; linked from the second blog post.
GONE_PRODUCT = "/products/glowworm-headlamp-2017/"
#: Answers 500; linked from the contact page.
STORE_LOCATOR = "/stores/locator/"
#: A deleted post (404) still linked from the first guide and the fourth blog post.
REMOVED_POST = "/blog/winter-camping-checklist-2016/"
#: A typo (404) in the third blog post: ``/prodcuts/<first product>/``.
TYPO_PREFIX = "/prodcuts/"
#: The second product links ``reviews/`` (meant ``#reviews``): a relative href to a 404.
RELATIVE_404_HREF = "reviews/"
#: The page in windows-1252, declared only in ``<meta charset>``; linked from the about page.
LEGACY_CHARSET_PAGE = "/stores/zurich/"
LEGACY_CHARSET_TITLE = "Café Zürich pop-up store \N{EN DASH} winter sale from 49 \N{EURO SIGN}"
#: Broken markup from an old CMS, linked from the guides archive.
MALFORMED_PAGE = "/legacy/gear-list-2009/"
#: ``<base href="/guides/">`` with relative links; linked from the guides index.
BASE_HREF_PAGE = "/guides/archive/"
#: ``<meta name="robots" content="noindex, nofollow">``; linked from the about page.
NOINDEX_NOFOLLOW_PAGE = "/promo/staff-picks/"
#: Linked only from the noindex-nofollow page, so never crawled.
STAFF_DISCOUNTS = "/promo/staff-discounts/"
#: Linked only with rel="nofollow" (from the about page), not in the sitemap: never crawled.
NOFOLLOW_ONLY_PAGE = "/wholesale/"
#: Noindex through the ``X-Robots-Tag`` header only; linked from the first blog index page.
X_ROBOTS_NOINDEX_PAGE = "/newsletter/archive/"
#: ``<meta name="robots" content="noindex">``; linked from the newsletter archive.
NOINDEX_PAGE = "/newsletter/thanks/"
#: A PDF (stored, not parsed); linked from the returns page and every footwear product.
PDF_PATH = "/downloads/size-guide.pdf"
#: Served as application/xhtml+xml (an old CMS page nobody migrated).
XHTML_PAGE = "/terms/"
#: Canonical only in an HTTP ``Link`` header: the first product's spec sheet, linked from it.
SPECS_SUFFIX = "specs/"
#: An affiliate link with ``?utm_source=`` from the first post (normalised to the product).
UTM_QUERY = "?utm_source=newsletter&utm_medium=email"
#: Redirects: path -> (status, Location as sent; ``{origin}`` and ``{category}`` filled in).
#: /shop/ starts a 3-hop chain (301 -> 302 -> 301 -> 200) linked from the home page;
#: /gift-cards/ <-> /gift-card/ loop, linked from the shipping page; /about-us/ is one hop
#: linked from every footer; /go/trailpass/ is an affiliate redirect out, linked from the
#: first guide with rel="sponsored".
REDIRECTS: dict[str, tuple[int, str]] = {
    "/shop/": (301, "{origin}/store/"),
    "/store/": (302, "/outlet/"),
    "/outlet/": (301, "../category/{category}/"),
    "/about-us/": (301, "/about/"),
    "/gift-cards/": (301, "/gift-card/"),
    "/gift-card/": (301, "{origin}/gift-cards/"),
    "/go/trailpass/": (302, "https://www.trailpass.com/?ref=northwind"),
}
#: The info pages: (slug, title); each linked from the footer.
INFO_PAGES = (
    ("about", "About us"),
    ("contact", "Contact us"),
    ("shipping", "Shipping"),
    ("returns", "Returns & exchanges"),
    ("privacy", "Privacy policy"),
    ("terms", "Terms & conditions"),
)
#: The PDF's bytes: a minimal valid one-page document.
PDF_BODY = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

#: Every special path and the kind of page it is (catalogue pages are routed in site.py).
SPECIAL_ROUTES: dict[str, str] = {
    "/": "home",
    "/blog/": "blog",
    "/guides/": "guides",
    BASE_HREF_PAGE: "archive",
    MALFORMED_PAGE: "malformed",
    LEGACY_CHARSET_PAGE: "charset",
    NOINDEX_NOFOLLOW_PAGE: "staff_picks",
    STAFF_DISCOUNTS: "plain",
    NOFOLLOW_ONLY_PAGE: "plain",
    LOGIN_PAGE: "plain",
    CART_PAGE: "plain",
    X_ROBOTS_NOINDEX_PAGE: "newsletter",
    NOINDEX_PAGE: "plain",
    LANDING_TERMS: "plain",
    GONE_PRODUCT: "gone",
    STORE_LOCATOR: "error",
    PDF_PATH: "pdf",
}


# -- info, landing and special pages --------------------------------------------------------
_INFO_LINKS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "about": (
        ("/guides/", "our guides", None),
        (LEGACY_CHARSET_PAGE, "our Zurich pop-up store", None),
        (NOINDEX_NOFOLLOW_PAGE, "staff picks", None),
        (NOFOLLOW_ONLY_PAGE, "wholesale enquiries", "nofollow"),
        ("/contact/", "get in touch", None),
    ),
    "contact": (
        ("mailto:hello@northwind-outfitters.com", "hello@northwind-outfitters.com", None),
        ("tel:+441315550100", "+44 131 555 0100", None),
        (STORE_LOCATOR, "Find a store near you", None),
        ("/shipping/", "shipping", None),
        ("/returns/", "returns", None),
    ),
    "shipping": (
        ("/returns/", "Returns", None),
        ("/gift-cards/", "Gift cards", None),
        ("/contact/", "Contact us", None),
    ),
    "returns": (
        (PDF_PATH, "Size guide (PDF)", None),
        ("/shipping/", "Shipping", None),
        ("/contact/", "Contact us", None),
    ),
    "privacy": (
        ("/contact/", "Contact us", None),
        ("mailto:privacy@northwind-outfitters.com", "privacy@northwind-outfitters.com", None),
    ),
    "terms": (("/privacy/", "Privacy policy", None), ("/returns/", "Returns", None)),
}


def _text(text: str) -> str:
    return escape(text, quote=False)


def _info(p: PageContext, route: Route) -> Document:
    slug, name = INFO_PAGES[route.record]

    def content() -> None:
        p.b.add(f"<h1>{_text(name)}</h1>")
        paragraphs(p, 2)
        p.b.add("<ul>")
        for href, anchor, rel in _INFO_LINKS[slug]:
            p.b.item(href, anchor, rel=rel)
        p.b.add("</ul>")

    return regular_page(p, name, name, [], content)


def _simple(
    p: PageContext, h1: str, links: list[tuple[str, str]], meta_robots: str | None = None
) -> Document:
    def content() -> None:
        p.b.add(f"<h1>{_text(h1)}</h1><p>{_text(p.text(2))}</p><ul>")
        for href, anchor in links:
            p.b.item(href, anchor)
        p.b.add("</ul>")

    return regular_page(p, h1, h1, [], content, meta_robots=meta_robots)


def _landing(p: PageContext, route: Route) -> Document:
    site = p.site
    name = ORPHAN_LANDINGS[route.record].split("/")[2].replace("-", " ").capitalize()
    picks = [site.products[(route.record * 11 + k * 5) % len(site.products)] for k in range(4)]
    links = [(x.path, x.name) for x in picks]
    if route.record == 0:
        links.append((LANDING_TERMS, "Offer terms"))
    return _simple(p, name, links)


def _plain(p: PageContext, route: Route) -> Document:
    titles = {
        STAFF_DISCOUNTS: ("Staff discount codes", None),
        NOFOLLOW_ONLY_PAGE: ("Wholesale", None),
        LOGIN_PAGE: ("Sign in", "noindex"),
        CART_PAGE: ("Your cart", "noindex"),
        NOINDEX_PAGE: ("Thanks for subscribing", "noindex"),
        LANDING_TERMS: ("Spring sale 2019: offer terms", None),
    }
    h1, robots = titles[p.clean_path]
    return _simple(p, h1, [("/", "Back to the shop")], meta_robots=robots)


def _staff_picks(p: PageContext, route: Route) -> Document:
    links = [(STAFF_DISCOUNTS, "Staff discount codes")]
    links += [(x.path, x.name) for x in p.site.products[2:6]]
    return _simple(p, "Staff picks", links, meta_robots="noindex, nofollow")


def _newsletter(p: PageContext, route: Route) -> Document:
    links = [(post.path, post.title) for post in p.site.posts[:5]]
    links.append((NOINDEX_PAGE, "Subscribe"))
    return _simple(p, "Newsletter archive", links)


def _archive(p: PageContext, route: Route) -> Document:
    """``<base href="/guides/">``: the relative links below resolve against it."""
    site, b = p.site, p.b

    def content() -> None:
        b.add("<h1>Guide archive</h1><ul>")
        for guide in site.guides[:3]:
            b.item(f"{guide.slug}/", guide.title)
        b.add("</ul><p>")
        b.link("../legacy/gear-list-2009/", "Our 2009 gear list")  # the MALFORMED_PAGE
        b.link("./", "All guides")
        b.add("</p>")

    return regular_page(p, "Guide archive", "Guide archive", [("/guides/", "Guides")], content,
                        base_href="/guides/")  # fmt: skip


def _charset(p: PageContext, route: Route) -> Document:
    def content() -> None:
        p.b.add("<h1>Café Zürich</h1><p>Unsere Schlafsäcke für Hütten ab 49 €, ")
        p.b.add("von Montag bis Samstag im Café Zürich.</p><p>")
        p.b.link("/category/clothing/", "Winterjacken")
        p.b.link("/about/", "Über uns")
        p.b.add("</p>")

    doc = regular_page(p, LEGACY_CHARSET_TITLE, "Café Zürich", [], content)
    doc.charset, doc.encoding = "windows-1252", "cp1252"
    doc.title = LEGACY_CHARSET_TITLE
    return doc


def _malformed(p: PageContext, route: Route) -> Document:
    """The old CMS's gear list: upper-case tags, unquoted attributes, unclosed and misnested
    elements, no ``</body></html>``. Regions come only from id and class names here
    (``#header``, ``#nav``, ``td.content``, ``.footer``); the second table cell is in none."""
    products = p.site.products[:3]
    netloc = p.origin.split("://", 1)[1]
    b = p.b

    def raw(href: str, anchor: str, markup: str, *, img: str | None = None,
            alt: str | None = None) -> None:  # fmt: skip
        b.link(href, anchor, img=img, alt=alt, raw=markup)

    b.add("<BODY BGCOLOR=#ffffff>\n")
    with b.region("<div id=header>", "</div>\n", "header"):
        raw("/", "", '<A HREF=/><IMG SRC=/static/logo-2009.gif ALT="Northwind Outfitters" '
            "BORDER=0></A>", img="/static/logo-2009.gif", alt=BRAND)  # fmt: skip
    with b.region("<div id=nav>\n", "</div>\n", "navigation"):
        raw("/category/tents/", "Tents", "<A HREF=/category/tents/>Tents</A> |\n")
        raw("/category/footwear/", "Footwear", "<A HREF='/category/footwear/'>Footwear</A> |\n")
        raw("/blog/", "Journal", '<a href="/blog/">Journal</a>\n')
    b.add("<TABLE WIDTH=100% CELLPADDING=4>\n<TR>")
    with b.region("<TD class=content>\n", "", "content"):
        b.add("<H1>Our gear list, 2009 edition</H2>\n<P>Everything we carried on the ")
        b.add("<B>West Highland Way<I>, in one list</B></I>.\n<P>Start with a ")
        raw("/category/tents/", "good tent", '<a href="/category/tents/">good tent</a>')
        b.add(", then <b>")
        raw("/category/sleeping/", "a warm bag", '<a href="/category/sleeping/">a warm bag</b></a>')
        b.add(".\n<UL>\n")
        for i, product in enumerate(products):
            href = product.path if i < 2 else f"http://{netloc}{product.path}"
            raw(href, product.name, f"<LI><A HREF={href}>{escape(product.name)}</A>\n")
        b.add("</UL>\n<p>Questions? ")
        raw("mailto:hello@northwind-outfitters.com", "Write to us",
            "<a href=mailto:hello@northwind-outfitters.com>Write to us</a>\n")  # fmt: skip
    b.add("<TD>")
    raw("/about/", "About the shop", '<a href="/about/">About the shop</a>\n')
    b.add("</TABLE>\n")
    with b.region("<div class=footer>&copy; 2009 Northwind Outfitters ", "</span>\n", "footer"):
        raw("/contact/", "Contact", "<a href=/contact/>Contact</a>")
    head = (
        '<HTML>\n<HEAD>\n<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=utf-8">\n'
        f"<TITLE>Gear list 2009 | {BRAND}</TITLE>\n</HEAD>\n"
    )
    return Document(
        title=f"Gear list 2009 | {BRAND}",
        h1="Our gear list, 2009 edition",
        body=b.body,
        raw_head=head,
        complete=False,
    )


#: The composer of each kind of info and special page.
SPECIAL_COMPOSERS: dict[str, Callable[[PageContext, Route], Document]] = {
    "info": _info,
    "landing": _landing,
    "plain": _plain,
    "staff_picks": _staff_picks,
    "newsletter": _newsletter,
    "archive": _archive,
    "charset": _charset,
    "malformed": _malformed,
}


def answer_headers(
    site: ExampleSite, route: Route, path: str, origin: str
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The Content-Type and extra headers of a 200 HTML page; some defects live there."""
    path = path.split("?", 1)[0]
    if path == X_ROBOTS_NOINDEX_PAGE:
        return HTML, (("X-Robots-Tag", "noindex"),)
    if route.kind == "specs":
        product_url = origin + site.products[route.record].path
        return HTML, (("Link", f'<{product_url}>; rel="canonical"'),)
    if path == LEGACY_CHARSET_PAGE:
        return "text/html", ()  # the charset is only in <meta charset>
    if path == XHTML_PAGE:
        return "application/xhtml+xml; charset=utf-8", ()
    return HTML, ()
