"""The example shop's pages: home, categories, listings, products, blog, guides (example stage).

Every page is in the shop template (``render.regular_page``). Hrefs are mostly root-relative,
some relative (``../x/``, ``page/2/``, ``?color=x``, ``./``) and some absolute with the origin,
so a crawler's resolution is exercised. The defects some of these pages carry are named in
``defects.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from linkequity.example.defects import (
    BASE_HREF_PAGE,
    GONE_PRODUCT,
    PDF_PATH,
    RELATIVE_404_HREF,
    REMOVED_POST,
    SPECS_SUFFIX,
    TYPO_PREFIX,
    UTM_QUERY,
    X_ROBOTS_NOINDEX_PAGE,
)
from linkequity.example.render import (
    Document,
    PageContext,
    paragraphs,
    regular_page,
)

if TYPE_CHECKING:
    from linkequity.example.catalogue import Post, Product
    from linkequity.example.site import Route

__all__ = ["COMPOSERS"]


def _h(text: str) -> str:
    return escape(text, quote=False)


def _price(cents: int) -> str:
    return f"${cents // 100}.{cents % 100:02d}"


def _card(p: PageContext, product: Product, href: str | None = None) -> None:
    """A product card: an image link (alt = name, no text), the name link and the price."""
    href = href or product.path
    p.b.add('<div class="card">')
    p.b.link(href, img=f"/static/img/{product.slug}.jpg", alt=product.name, css_class="thumb")
    p.b.link(href, product.name, css_class="name")
    p.b.add(f'<span class="price">{_price(product.price_cents)}</span></div>\n')


_HOME_H1 = "Gear for every trail"


# -- catalogue pages ------------------------------------------------------------------------
def _home(p: PageContext, route: Route) -> Document:
    site, b, prof = p.site, p.b, p.site.profile

    def content() -> None:
        b.add(f'<section class="hero"><h1>{_HOME_H1}</h1>')
        b.add(f"<p>{_h(p.text(2))}</p>")
        b.link("/shop/", "Shop all gear", css_class="button")
        b.link("/blog/", "Read the journal", css_class="button")
        b.add("</section>\n<section><h2>Shop by category</h2>")
        for c in site.categories:
            b.link(c.path, c.name, img=f"/static/img/{c.slug}.jpg", alt=c.name)
        b.add("</section>\n<section><h2>Featured gear</h2>")
        count = prof.listing_size * 2 // 3  # two rows of a listing's grid
        for product in site.products[:: max(1, len(site.products) // count)][:count]:
            _card(p, product)
        b.add("</section>\n<section><h2>From the journal</h2><ul>")
        for post in site.posts[: prof.related_posts]:
            b.item(post.path, post.title)
        b.add("</ul></section>\n<section><h2>Guides</h2><ul>")
        for guide in site.guides[: prof.related_posts]:
            b.item(guide.path, guide.title)
        b.add("</ul></section>\n")

    return regular_page(p, "Northwind Outfitters | Outdoor gear since 1998", _HOME_H1, [], content)


def _category(p: PageContext, route: Route) -> Document:
    site, b = p.site, p.b
    category = site.categories[route.record]

    def content() -> None:
        b.add(f"<h1>{_h(category.name)}</h1><p>{_h(p.text(3))}</p>\n")
        b.add('<ul class="subcategories">')
        for si in category.subcategories:
            sub = site.subcategories[si]
            b.item(f"{sub.slug}/", sub.name)
        b.add("</ul>\n<h2>Best sellers</h2>")
        for si in category.subcategories:
            sub = site.subcategories[si]
            for pi in site.products_of(sub)[: max(1, 8 // len(category.subcategories))]:
                _card(p, site.products[pi])
        for guide in site.guides_of(category)[:3]:
            b.add("<p>Read our ")
            b.link(guide.path, guide.title)
            b.add("</p>")

    return regular_page(p, category.name, category.name, [], content)


def _listing(p: PageContext, route: Route) -> Document:
    site, b = p.site, p.b
    sub = site.subcategories[route.record]
    category = site.category_of(sub)
    page, pages = route.arg or 1, sub.listing_pages
    size = site.profile.listing_size
    h1 = sub.name if page == 1 else f"{sub.name} (page {page} of {pages})"

    def rel_href(target: int) -> str:
        # Relative hrefs, as pagination templates write them.
        if page == 1:
            return f"page/{target}/"
        return "../../" if target == 1 else f"../{target}/"

    def content() -> None:
        b.add(f"<h1>{_h(h1)}</h1>\n")
        if page == 1:
            b.add(f"<p>{_h(p.text(2))}</p>\n")
        b.add('<div class="grid">')
        first = sub.first_product + (page - 1) * size
        for pi in range(first, min(first + size, sub.first_product + sub.product_count)):
            _card(p, site.products[pi])
        b.add("</div>\n")
        if pages > 1:
            with b.region('<nav class="pagination" aria-label="Pages">', "</nav>\n", "navigation"):
                if page > 1:
                    b.link(rel_href(page - 1), "Previous", rel="prev")
                for n in range(1, pages + 1):
                    if n == page:
                        b.add(f'<span aria-current="page">{n}</span>')
                    else:
                        b.link(rel_href(n), str(n))
                if page < pages:
                    b.link(rel_href(page + 1), "Next", rel="next")
        b.add("<p>")
        b.link(category.path, f"All {category.name}")
        b.add("</p>")

    crumbs = [(category.path, category.name)]
    if page > 1:
        crumbs.append((site.listing_path(sub), sub.name))
    title = sub.name if page == 1 else f"{sub.name} - Page {page}"
    return regular_page(p, title, h1, crumbs, content)


def _product(p: PageContext, route: Route) -> Document:
    site, b, prof = p.site, p.b, p.site.profile
    product = site.products[route.record]
    sub = site.subcategories[product.subcategory]
    category = site.category_of(sub)
    colour = product.colours[route.arg - 1].replace("-", " ") if route.arg else None
    title = product.name + (f" in {colour}" if colour else "")

    def content() -> None:
        b.add(f'<article class="product"><h1>{_h(product.name)}</h1>\n')
        b.add(f'<p class="price">{_price(product.price_cents)}</p>')
        b.add('<form class="buy" method="post" action="/cart/add/"><button>Add to cart</button>')
        b.add("</form>\n")
        if product.colours:
            b.add('<div class="swatches">')
            b.link("./", "All colours")
            for c in product.colours:
                b.link(f"?color={c}", c.replace("-", " "))
            b.add("</div>\n")
        b.link("#reviews", "Read the reviews")
        b.add("<h2>Description</h2>")
        guides = site.guides_of(category)
        neighbours = site.products_of(sub)
        other = site.products[neighbours[(product.index - sub.first_product + 1) % len(neighbours)]]
        b.add(f"<p>{_h(p.text(4))} ")
        if guides:
            # One anchor (the first guide's title) for several guides: an anchor pointing at
            # several targets, which anchor audits report.
            b.add("New to this? Read ")
            b.link(guides[product.index % len(guides)].path, guides[0].title)
            b.add(". ")
        if other.index != product.index:
            b.add("Compare it with the ")
            b.link(other.path, other.name)
            b.add(".")
        b.add("</p>\n")
        paragraphs(p, prof.paragraphs - 1)
        b.add('<table class="specs"><tr><th>Brand</th><td>')
        grams = product.price_cents % 900 + 90
        b.add(f"{_h(product.brand)}</td></tr><tr><th>Weight</th><td>{grams} g")
        b.add("</td></tr></table>\n")
        if product.index == 0:
            b.link(SPECS_SUFFIX, "Full specifications")
        if product.index == 1:
            b.link(RELATIVE_404_HREF, "See all reviews")
        if category.slug == "footwear":
            b.link(PDF_PATH, "Size guide (PDF)")
        brand_site = "https://www." + product.brand.lower().replace(" ", "") + "gear.com/"
        b.add("<p>Made by ")
        b.link(brand_site, product.brand, rel="noopener")
        b.add('</p>\n<section id="reviews"><h2>Reviews</h2>')
        paragraphs(p, 2, 2)
        b.add("</section></article>\n")
        b.add('<section class="related"><h2>You may also like</h2>')
        count = min(prof.related_products, len(neighbours) - 1)
        start = product.index - sub.first_product
        for k in range(1, count + 1):
            rel = site.products[neighbours[(start + k) % len(neighbours)]]
            _card(p, rel, f"../{rel.slug}/")
        b.add("</section>\n")
        if prof.also_viewed:
            b.add('<section class="also-viewed"><h2>Customers also viewed</h2><ul>')
            step = max(1, len(site.products) // prof.also_viewed)
            for k in range(prof.also_viewed):
                viewed = site.products[(product.index + 7 + k * step) % len(site.products)]
                b.item(viewed.path, viewed.name)
            b.add("</ul></section>\n")

    crumbs = [(category.path, category.name), (site.listing_path(sub), sub.name)]
    return regular_page(p, title, product.name, crumbs, content, canonical=product.path)


def _specs(p: PageContext, route: Route) -> Document:
    product = p.site.products[route.record]

    def content() -> None:
        p.b.add(f"<h1>{_h(product.name)}: specifications</h1>")
        p.b.add("<table><tr><th>Packed size</th><td>18 x 12 cm</td></tr></table>\n<p>")
        p.b.link("../", f"Back to the {product.name}")
        p.b.add("</p>")

    # Canonical only in the HTTP Link header (see answer()).
    return regular_page(
        p, f"{product.name} specifications", f"{product.name}: specifications", [], content,
        canonical=None,
    )  # fmt: skip


# -- blog -----------------------------------------------------------------------------------
def _post_links(p: PageContext, post: Post) -> None:
    """The inline links of a post's text, including the defects some posts carry."""
    site, b = p.site, p.b
    sub = site.subcategories[post.subcategory]
    products = site.products_of(sub)
    mentioned = [site.products[products[(post.index * 3 + k) % len(products)]] for k in range(3)]
    b.add(f"<p>{_h(p.text(3))} We took the ")
    b.link(p.origin + mentioned[0].path, mentioned[0].name)
    b.add(" and the ")
    b.link(mentioned[1].path, mentioned[1].name)
    # A product named without a link: the unlinked mention a link recommendation finds.
    b.add(f". Next time we want to try the {_h(mentioned[2].name)}.</p>\n<p>{_h(p.text(3))} ")
    if post.index == 0:
        b.add("Newsletter readers get 10% off the ")
        b.link(mentioned[2].path + UTM_QUERY, mentioned[2].name)
        b.add(". ")
    if post.index == 1:
        b.link(GONE_PRODUCT, "our old favourite headlamp")
        b.add(" is no longer made. ")
    if post.index == 2:
        b.link(f"{TYPO_PREFIX}{site.products[0].slug}/", site.products[0].name)
        b.add(" is back in stock. ")
    if post.index == 3:
        b.add("See also ")
        b.link(REMOVED_POST, "our winter camping checklist")
        b.add(". ")
    if post.index % 4 == 1:
        b.add("We booked the hut through ")
        b.link(f"https://www.trailpass.com/huts/?aff=northwind&p={post.index}", "TrailPass",
               rel="sponsored noopener")  # fmt: skip
        b.add(". ")
    if post.guide is not None:
        guide = site.guides[post.guide]
        b.add("For the full picture, read ")
        b.link(guide.path, guide.title)
        b.add(". ")
    if post.index + 1 < len(site.posts):
        older = site.posts[post.index + 1]
        b.add("Last time we wrote about ")
        b.link(f"../{older.slug}/", older.title.lower())
        b.add(".")
    b.add("</p>\n")


def _post(p: PageContext, route: Route) -> Document:
    site, b, prof = p.site, p.b, p.site.profile
    post = site.posts[route.record]

    def content() -> None:
        b.add('<article class="post">\n<header class="entry-header">')
        b.add(f"<h1>{_h(post.title)}</h1><p>By ")
        b.link("/about/", "the Northwind team", rel="author")
        b.add(f' on <time datetime="{post.published}">{post.published}</time></p></header>\n')
        _post_links(p, post)
        paragraphs(p, prof.paragraphs - 2)
        if prof.also_viewed:
            b.add('<section class="shop-the-story"><h2>Shop the story</h2>')
            products = site.products_of(site.subcategories[post.subcategory])
            for k in range(min(prof.related_products, len(products))):
                _card(p, site.products[products[(post.index + k) % len(products)]])
            b.add("</section>\n")
        b.add('<footer class="entry-footer">Tagged: ')
        for ti in post.tags:
            b.link(site.tags[ti].path, site.tags[ti].name, rel="tag")
            b.add(" ")
        b.link("javascript:window.print()", "Print this post")
        share = escape(p.origin + post.path, quote=True)
        b.link(f"https://twitter.com/intent/tweet?url={share}", "Share on X", rel="noopener")
        b.link(f"https://www.facebook.com/sharer/sharer.php?u={share}", "Share on Facebook",
               rel="noopener")  # fmt: skip
        b.add("</footer>\n</article>\n")
        with b.region('<nav class="post-navigation">', "</nav>\n", "navigation"):
            if post.index + 1 < len(site.posts):
                b.link(f"../{site.posts[post.index + 1].slug}/", "Previous post", rel="prev")
            if post.index > 0:
                b.link(f"../{site.posts[post.index - 1].slug}/", "Next post", rel="next")
        b.add('<section class="related-posts"><h2>Related posts</h2><ul>')
        cluster = site.guides[post.guide].posts if post.guide is not None else ()
        related = [i for i in cluster if i != post.index][: prof.related_posts]
        for i in related:
            b.item(site.posts[i].path, site.posts[i].title)
        b.add("</ul></section>\n")
        _comments(p)

    crumbs = [("/blog/", "Journal")]
    return regular_page(p, post.title, post.title, crumbs, content, canonical=post.path)


_COMMENTERS = ("Ailsa", "Ben", "Chiara", "Dmitri", "Eva", "Farid", "Greta", "Hamish")


def _comments(p: PageContext) -> None:
    b = p.b
    # Their own random source: what comments a post has does not depend on its text.
    rng = p.site.rng(p.clean_path + "#comments")
    count = rng.randint(0, 3)
    b.add(f'<section class="comments" id="comments"><h2>{count} comments</h2>\n')
    for _ in range(count):
        name = rng.choice(_COMMENTERS)
        b.add('<div class="comment"><p class="author">')
        if rng.random() < 0.7:
            b.link(f"https://{name.lower()}-outdoors.blogspot.com/", name,
                   rel="external nofollow ugc")  # fmt: skip
        else:
            b.add(_h(name))
        b.add(f"</p><p>{_h(p.text(1))}</p>")
        b.link("#respond", "Reply", css_class="reply")
        b.add("</div>\n")
    b.add('</section>\n<div id="respond"><form method="post" action="/blog/comment/">')
    b.add('<textarea name="comment"></textarea><button>Post comment</button></form></div>\n')


def _blog(p: PageContext, route: Route) -> Document:
    site, b, prof = p.site, p.b, p.site.profile
    page, pages = route.arg or 1, site.blog_pages
    h1 = "The Northwind Journal" + (f" (page {page})" if page > 1 else "")

    def rel_href(target: int) -> str:
        if page == 1:
            return f"page/{target}/"
        return "../../" if target == 1 else f"../{target}/"

    def content() -> None:
        b.add(f"<h1>{_h(h1)}</h1>\n")
        size = prof.blog_page_size
        for post in site.posts[(page - 1) * size : page * size]:
            b.add('<div class="teaser"><h2>')
            if prof.also_viewed:
                b.link(post.path, img=f"/static/img/{post.slug}.jpg", alt=post.title)
            b.link(post.path, post.title)
            b.add(f"</h2><p>{_h(p.text(1))}</p>")
            b.link(post.path, "Read more", css_class="more")
            b.add("</div>\n")
        if page == 1:
            b.add("<p>Missed an issue? Browse the ")
            b.link(X_ROBOTS_NOINDEX_PAGE, "newsletter archive")
            b.add(".</p><p>Topics: ")
            for tag in site.tags[:20]:
                b.link(tag.path, tag.name, rel="tag")
                b.add(" ")
            b.add("</p>")
        with b.region('<nav class="pagination" aria-label="Pages">', "</nav>\n", "navigation"):
            if page > 1:
                b.link(rel_href(page - 1), "Newer posts", rel="prev")
            shown = sorted({1, *range(max(1, page - 2), min(pages, page + 2) + 1), pages})
            for n in shown:
                if n == page:
                    b.add(f'<span aria-current="page">{n}</span>')
                else:
                    b.link(rel_href(n), str(n))
            if page < pages:
                b.link(rel_href(page + 1), "Older posts", rel="next")

    crumbs = [("/blog/", "Journal")] if page > 1 else []
    title = "Journal" if page == 1 else f"Journal - Page {page}"
    return regular_page(p, title, h1, crumbs, content)


def _tag(p: PageContext, route: Route) -> Document:
    site, b = p.site, p.b
    tag = site.tags[route.record]
    h1 = f"Posts tagged {tag.name}"

    def content() -> None:
        b.add(f"<h1>{_h(h1)}</h1><ul>")
        for i in tag.posts[: site.profile.cluster_posts]:
            b.item(site.posts[i].path, site.posts[i].title)
        b.add("</ul>")

    crumbs = [("/blog/", "Journal")]
    return regular_page(p, h1, h1, crumbs, content, meta_robots="noindex, follow")


# -- guides ---------------------------------------------------------------------------------
def _guides(p: PageContext, route: Route) -> Document:
    site, b = p.site, p.b

    def content() -> None:
        b.add("<h1>Guides</h1><ul>")
        for guide in site.guides:
            b.item(guide.path, guide.title)
        b.add("</ul><p>Looking for something older? See the ")
        b.link(BASE_HREF_PAGE, "guide archive")
        b.add(".</p>")

    return regular_page(p, "Guides", "Guides", [], content)


def _guide_body(p: PageContext, route: Route, printable: bool) -> None:
    site, b, prof = p.site, p.b, p.site.profile
    guide = site.guides[route.record]
    category = site.categories[guide.category]
    b.add(f'<article class="guide"><h1>{_h(guide.title)}</h1>\n')
    if printable:
        b.link("../", "Back to the guide")
        b.link("javascript:window.print()", "Print")
    else:
        b.link("print/", "Printable version")
    paragraphs(p, max(2, prof.paragraphs // 2))
    b.add("<h2>Read next</h2><ul>")
    for i in guide.posts[: prof.cluster_posts]:
        b.item(site.posts[i].path, site.posts[i].title)
    b.add(f"</ul><h2>Our picks from {_h(category.name)}</h2><ul>")
    for si in category.subcategories[: prof.related_products]:
        sub = site.subcategories[si]
        b.item(site.listing_path(sub), sub.name)
    b.add("</ul><p>Before you go, read the ")
    b.link("https://lnt.org/why/7-principles/", "seven Leave No Trace principles")
    b.add(".</p>\n")
    if guide.index == 0 and not printable:
        b.add("<p>Book huts with ")
        b.link("/go/trailpass/", "our partner TrailPass", rel="sponsored")
        b.add(", and don't miss ")
        b.link(REMOVED_POST, "the winter camping checklist")
        b.add(".</p>\n")
    if category.slug == "footwear" and not printable:
        b.link(PDF_PATH, "Download the size guide (PDF)")
    b.add("</article>\n")


def _guide(p: PageContext, route: Route) -> Document:
    guide = p.site.guides[route.record]
    crumbs = [("/guides/", "Guides")]
    return regular_page(
        p, guide.title, guide.title, crumbs, lambda: _guide_body(p, route, False),
        canonical=guide.path,
    )  # fmt: skip


def _print(p: PageContext, route: Route) -> Document:
    """A print version: logo header and the article only, canonical to the guide."""
    guide = p.site.guides[route.record]
    b = p.b
    with b.region('<header class="site-header">', "</header>\n", "header"):
        b.link("/", "Northwind Outfitters", css_class="logo")
    with b.region('<main id="content">', "</main>", "content"):
        _guide_body(p, route, True)
    return Document(
        title=f"{guide.title} (print) | Northwind Outfitters",
        h1=guide.title,
        canonical=p.origin + guide.path,
        meta_robots=None,
        body=b.body,
    )


#: The composer of each kind of shop page.
COMPOSERS: dict[str, Callable[[PageContext, Route], Document]] = {
    "home": _home,
    "category": _category,
    "listing": _listing,
    "product": _product,
    "specs": _specs,
    "post": _post,
    "blog": _blog,
    "tag": _tag,
    "guides": _guides,
    "guide": _guide,
    "print": _print,
}
