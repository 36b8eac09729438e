"""A site full of crawl traps around real pages, for the trap defence tests.

Real pages (``REAL``): a home page, a blog archive paginated over 30 pages by path
(``/blog/page/N/``) with two posts a page, a news archive paginated over 30 pages by query
(``/news/?page=N``), a shop category with 12 products, a docs guide and an about page.

Traps around them:

* an endless calendar: ``/events/?month=YYYY-MM`` links the month before and after, for ever,
  and says "no events" with the month's number in it;
* faceted navigation: every shop listing links to itself with one more filter of five facets
  (colour, size, brand, sort, price): thousands of combinations, each listing the products
  that match;
* a session id per render: every internal link carries a fresh ``;jsessionid=`` or ``?sid=``;
* an endlessly deepening relative link: every page under ``/docs/guide/`` answers with the
  guide, whose "more" link is the relative ``more/``;
* one link longer than 2,048 characters and one with nine query parameters.
"""

from __future__ import annotations

import itertools
from urllib.parse import parse_qsl, urlsplit

from tests.servers import Answer

POSTS_PER_PAGE = 2
ARCHIVE_PAGES = 30
PRODUCTS = 12
FACETS: dict[str, tuple[str, ...]] = {
    "color": ("red", "blue", "green", "black"),
    "size": ("s", "m", "l", "xl"),
    "brand": ("acme", "globex", "initech"),
    "sort": ("price", "name", "new"),
    "price": ("0-10", "10-20", "20-50", "50-100", "100-"),
}

_sessions = itertools.count(1000)
_VOCABULARY = (
    "linen",
    "cotton",
    "collar",
    "sleeve",
    "button",
    "summer",
    "winter",
    "classic",
    "slim",
    "relaxed",
    "striped",
    "plain",
    "washed",
    "soft",
    "bright",
    "navy",
    "olive",
    "cream",
    "pocket",
    "hem",
    "cuff",
    "weave",
    "twill",
    "oxford",
    "poplin",
    "flannel",
    "denim",
    "chambray",
    "seersucker",
    "jersey",
    "pique",
    "knit",
    "merino",
    "travel",
    "office",
    "weekend",
    "garden",
    "harbour",
    "autumn",
    "spring",
    "evening",
    "morning",
    "city",
    "coast",
    "mountain",
    "river",
)


def _words(seed: int, count: int) -> str:
    """``count`` words of text that differ from one seed to the next."""
    n = len(_VOCABULARY)
    return " ".join(_VOCABULARY[(seed * 7 + j * (seed % 5 + 1) + j * j) % n] for j in range(count))


def _product(k: int) -> dict[str, str]:
    """The facet values product k has."""
    return {name: values[k % len(values)] for name, values in FACETS.items() if name != "sort"}


REAL: frozenset[str] = frozenset(
    [
        "/",
        "/about/",
        "/blog/",
        *(f"/blog/page/{n}/" for n in range(2, ARCHIVE_PAGES + 1)),
        *(f"/blog/post-{k}/" for k in range(1, ARCHIVE_PAGES * POSTS_PER_PAGE + 1)),
        "/news/",
        *(f"/news/?page={n}" for n in range(2, ARCHIVE_PAGES + 1)),
        *(f"/news/item-{k}/" for k in range(1, ARCHIVE_PAGES + 1)),
        "/shop/",
        *(f"/shop/p/{k}/" for k in range(1, PRODUCTS + 1)),
        "/docs/guide/",
        "/events/",
    ]
)
"""Paths of the pages a crawl must reach (the calendar's entry page included)."""


def _session(href: str) -> str:
    """The href as a site with URL sessions writes it: a new session id on every render."""
    sid = next(_sessions)
    if "?" in href:
        return f"{href}&sid=s{sid}"
    if sid % 2:
        return f"{href};jsessionid=J{sid}X"
    return f"{href}?sid=s{sid}"


def _render(title: str, content: str) -> Answer:
    nav = "".join(
        f'<a href="{_session(h)}">{t}</a> '
        for h, t in (("/", "Home"), ("/blog/", "Blog"), ("/news/", "News"), ("/shop/", "Shop"),
                     ("/events/", "Events"), ("/docs/guide/", "Guide"), ("/about/", "About"))
    )  # fmt: skip
    body = (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<header><nav>{nav}</nav></header><main><h1>{title}</h1>{content}</main>"
        f"<footer><p>Example Ltd, 1 High Street</p></footer></body></html>"
    )
    return Answer(body=body)


def _archive(n: int, url: str, item: str, per_page: int) -> str:
    """A page of an archive: its items, a link to every neighbour and the first and last."""
    first = (n - 1) * per_page + 1
    offset = 500 if "news" in item else 0
    items = "".join(
        f'<article><h2><a href="{_session(item.format(k=k))}">{_words(k + offset, 4).title()}'
        f"</a></h2><p>{_words(k + offset + 50, 12)}</p></article>"
        for k in range(first, first + per_page)
    )
    pages = sorted({1, n - 1, n + 1, ARCHIVE_PAGES} & set(range(1, ARCHIVE_PAGES + 1)) - {n})
    return items + "".join(f'<a href="{_session(url.format(n=p))}">{p}</a> ' for p in pages)


def _shop(filters: list[tuple[str, str]]) -> Answer:
    chosen = dict(filters)
    products = [
        k
        for k in range(1, PRODUCTS + 1)
        if all(_product(k).get(name, value) == value for name, value in chosen.items())
    ]
    listing = "".join(
        f'<li><a href="{_session(f"/shop/p/{k}/")}">Product {k}: a {_product(k)["color"]} '
        f"{_product(k)['brand']} shirt</a></li>"
        for k in products
    )
    query = "&".join(f"{n}={v}" for n, v in filters)
    more = "".join(
        f'<a href="{_session("/shop/?" + (query + "&" if query else "") + f"{name}={value}")}">'
        f"{name}: {value}</a> "
        for name, values in FACETS.items()
        if name not in chosen
        for value in values
    )
    title = "Shop" + "".join(f" {v}" for _, v in filters)
    return _render(title, f"<ul>{listing or '<li>Nothing matches.</li>'}</ul><aside>{more}</aside>")


def trap_site(path: str) -> Answer | None:
    """The answer for a request path (with its query), or None for a 404."""
    parts = urlsplit(path)
    route, params = parts.path.split(";")[0], parse_qsl(parts.query)
    params = [(n, v) for n, v in params if n != "sid"]
    query = dict(params)
    if route == "/" and not params:
        long_href = "/about/?ref=" + "x" * 2100
        many = "/about/?" + "&".join(f"p{i}={i}" for i in range(9))
        return _render(
            "Home",
            f'<p>Welcome.</p><a href="{long_href}">long</a> <a href="{many}">many</a>',
        )
    if route == "/about/":
        return _render("About", "<p>We sell shirts and write about them.</p>")
    if route == "/blog/" or route.startswith("/blog/page/"):
        n = 1 if route == "/blog/" else int(route.split("/")[3])
        if not 1 <= n <= ARCHIVE_PAGES:
            return None
        url = "/blog/page/{n}/"
        archive = _archive(n, url, "/blog/post-{k}/", POSTS_PER_PAGE).replace(
            'href="/blog/page/1/', 'href="/blog/'
        )
        return _render(f"Blog, page {n}", archive)
    if route.startswith("/blog/post-"):
        k = int(route.removeprefix("/blog/post-").strip("/"))
        return _render(f"Post {k}", f"<p>{_words(k, 40)}</p>")
    if route == "/news/":
        n = int(query.get("page", "1"))
        if not 1 <= n <= ARCHIVE_PAGES:
            return None
        archive = _archive(n, "/news/?page={n}", "/news/item-{k}/", 1)
        return _render(f"News, page {n}", archive.replace("/news/?page=1&", "/news/?"))
    if route.startswith("/news/item-"):
        k = int(route.removeprefix("/news/item-").strip("/"))
        return _render(f"News {k}", f"<p>{_words(k + 100, 30)}</p>")
    if route == "/shop/":
        return _shop(params)
    if route.startswith("/shop/p/"):
        k = int(route.split("/")[3])
        if not 1 <= k <= PRODUCTS:
            return None
        return _render(f"Product {k}", f"<p>{_words(k + 200, 25)}</p>")
    if route == "/events/":
        month = query.get("month")
        if month is None:
            return _render("Events", f'<a href="{_session("/events/?month=2031-03")}">March</a>')
        year, mon = (int(x) for x in month.split("-"))
        index = year * 12 + mon - 1
        before, after = (f"{i // 12}-{i % 12 + 1:02d}" for i in (index - 1, index + 1))
        return _render(
            f"Events {month}",
            f"<p>There are no events in {month}.</p>"
            f'<a href="{_session("/events/?month=" + before)}">{before}</a> '
            f'<a href="{_session("/events/?month=" + after)}">{after}</a>',
        )
    if route.startswith("/docs/guide/"):
        return _render("Guide", '<p>How to choose a shirt.</p><a href="more/">More</a>')
    return None
