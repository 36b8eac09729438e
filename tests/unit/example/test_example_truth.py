"""The example site's ground truth: internally consistent, and with each defect where it belongs."""

from __future__ import annotations

from collections import Counter

import pytest

from linkequity.example import ExampleSite, GroundTruth, build_site
from linkequity.example.defects import (
    GONE_PRODUCT,
    LANDING_TERMS,
    MALFORMED_PAGE,
    NOFOLLOW_ONLY_PAGE,
    NOINDEX_NOFOLLOW_PAGE,
    NOINDEX_PAGE,
    ORPHAN_LANDINGS,
    REMOVED_POST,
    RETIRED_PRODUCT,
    STAFF_DISCOUNTS,
    STORE_LOCATOR,
    X_ROBOTS_NOINDEX_PAGE,
)
from linkequity.example.render import CART_PAGE, LOGIN_PAGE, SEARCHES
from linkequity.records import POSITIONS
from linkequity.urls import normalise_url

ORIGIN = "http://127.0.0.1:8000"


def url(path: str) -> str:
    return ORIGIN + path


@pytest.fixture(scope="module")
def site() -> ExampleSite:
    return build_site(300, seed=7)


@pytest.fixture(scope="module")
def truth(site: ExampleSite) -> GroundTruth:
    return site.truth(ORIGIN)


def test_counts_add_up(truth: GroundTruth) -> None:
    assert sum(truth.pages_by_status.values()) == len(truth.pages)
    assert sum(truth.pages_by_reason.values()) == len(truth.pages)
    assert sum(truth.depth_histogram.values()) == len(truth.pages)
    assert set(truth.links_by_position) == set(POSITIONS)
    assert sum(truth.links_by_position.values()) == truth.link_count
    assert truth.link_count == (
        truth.internal_link_count
        + truth.external_link_count
        + truth.mailto_link_count
        + truth.tel_link_count
        + truth.javascript_link_count
    )
    assert truth.links_by_position["unknown"] > 0  # skip links and the cookie banner


def test_links_agree_with_the_counts(site: ExampleSite, truth: GroundTruth) -> None:
    links = list(site.expected_links(ORIGIN))
    assert len(links) == truth.link_count
    assert Counter(lk.position for lk in links) == Counter(
        {p: n for p, n in truth.links_by_position.items() if n}
    )
    assert sum(lk.is_nofollow for lk in links) == truth.nofollow_link_count
    assert sum(lk.is_image for lk in links) == truth.image_link_count
    parsed = {u for u, p in truth.pages.items() if p.encoding is not None}
    assert {lk.src_url for lk in links} == parsed
    ordinals = Counter(lk.src_url for lk in links)
    assert all(
        lk.ordinal < ordinals[lk.src_url] for lk in links
    )  # ordinals run 0..n-1 on each page


def test_start_page_and_depths(truth: GroundTruth) -> None:
    home = truth.pages[url("/")]
    assert (home.depth, home.status_code, home.indexable, home.in_sitemap) == (0, 200, True, True)
    assert truth.depth_histogram[0] == 1
    # Pages first reached from the sitemaps have no depth: the orphans, and what only they link.
    no_depth = sorted(u for u, p in truth.pages.items() if p.depth is None)
    assert no_depth == sorted([*truth.orphan_urls, url(LANDING_TERMS)])
    assert not truth.pages[url(LANDING_TERMS)].in_sitemap


def test_orphans_are_in_the_sitemap_and_nothing_links_to_them(
    site: ExampleSite, truth: GroundTruth
) -> None:
    assert truth.orphan_urls == tuple(sorted(url(p) for p in (*ORPHAN_LANDINGS, RETIRED_PRODUCT)))
    targets = {lk.dst_url for lk in site.expected_links(ORIGIN) if lk.dst_url != lk.src_url}
    for orphan in truth.orphan_urls:
        assert orphan in truth.sitemap_urls
        assert orphan not in targets
    assert truth.pages[url(RETIRED_PRODUCT)].status_code == 404


def test_orphan_pages_are_the_live_pages_no_link_path_reaches(truth: GroundTruth) -> None:
    # the terms page is linked only from an orphan: an island; the 404 product is no page
    assert truth.orphan_pages == tuple(sorted(url(p) for p in (*ORPHAN_LANDINGS, LANDING_TERMS)))


def test_broken_links_point_at_error_pages(truth: GroundTruth) -> None:
    assert truth.broken_link_count == 6
    for broken in truth.broken_links:
        assert truth.pages[broken.dst_url].status_code == broken.status_code >= 400
        assert truth.pages[broken.src_url].status_code == 200
    statuses = Counter(b.status_code for b in truth.broken_links)
    assert statuses == Counter({404: 4, 410: 1, 500: 1})
    targets = {b.dst_url for b in truth.broken_links}
    assert {url(GONE_PRODUCT), url(STORE_LOCATOR), url(REMOVED_POST)} <= targets


def test_redirect_chain_and_loop(site: ExampleSite, truth: GroundTruth) -> None:
    chains = {c.url: c for c in truth.redirect_chains}
    shop = chains[url("/shop/")]
    assert [h.status_code for h in shop.hops] == [301, 302, 301]
    assert shop.final_url == url(site.categories[0].path)
    assert truth.pages[shop.final_url].status_code == 200
    assert not shop.is_loop
    assert truth.redirect_loops == (url("/gift-card/"), url("/gift-cards/"))
    assert chains[url("/gift-cards/")].final_url is None
    out = chains[url("/go/trailpass/")]
    assert out.final_url == "https://www.trailpass.com/?ref=northwind"
    assert truth.pages_by_reason["redirect"] == len(truth.redirect_chains) == 7


def test_robots_blocked_urls_have_no_status(truth: GroundTruth) -> None:
    expected = sorted(normalise_url(url(p)) or "" for p in (CART_PAGE, *(s for s, _ in SEARCHES)))
    assert list(truth.blocked_urls) == expected
    for blocked in truth.blocked_urls:
        page = truth.pages[blocked]
        assert (page.status_code, page.content_type, page.depth) == (None, None, 1)


def test_nofollow_only_pages_are_never_crawled(truth: GroundTruth) -> None:
    assert truth.uncrawled_link_targets == tuple(
        sorted(url(p) for p in (LOGIN_PAGE, NOFOLLOW_ONLY_PAGE, STAFF_DISCOUNTS))
    )
    assert not set(truth.uncrawled_link_targets) & set(truth.pages)
    staff = truth.pages[url(NOINDEX_NOFOLLOW_PAGE)]
    assert (staff.meta_robots, staff.indexability_reason) == ("noindex, nofollow", "noindex")


def test_noindex_and_canonicalised_pages(site: ExampleSite, truth: GroundTruth) -> None:
    archive = truth.pages[url(X_ROBOTS_NOINDEX_PAGE)]
    assert (archive.x_robots_tag, archive.meta_robots) == ("noindex", None)
    noindex = set(truth.noindex_urls)
    assert {url(X_ROBOTS_NOINDEX_PAGE), url(NOINDEX_PAGE), url(NOINDEX_NOFOLLOW_PAGE)} <= noindex
    assert {url(t.path) for t in site.tags} <= noindex
    for canonicalised in truth.canonicalised_urls:
        page = truth.pages[canonicalised]
        assert page.canonical_url not in (None, canonicalised)
        assert page.canonical_url in truth.pages
    variants = [u for u in truth.canonicalised_urls if "?color=" in u]
    assert len(variants) == 2 * sum(1 for p in site.products if p.colours)
    specs = truth.pages[url(site.products[0].path + "specs/")]
    assert specs.canonical_url == url(site.products[0].path)  # from the Link header only


def test_tracking_parameters_are_merged(site: ExampleSite, truth: GroundTruth) -> None:
    assert not [u for u in truth.pages if "utm_" in u]
    first_post = [lk for lk in site.expected_links(ORIGIN) if lk.src_url == url(site.posts[0].path)]
    assert "Newsletter" not in {lk.anchor for lk in first_post}
    assert not [lk for lk in first_post if "utm_" in lk.dst_url]


def test_legacy_charset_and_malformed_pages(truth: GroundTruth) -> None:
    legacy = truth.legacy_charset
    assert legacy.title == "Café Zürich pop-up store \u2013 winter sale from 49 €"
    page = truth.pages[legacy.url]
    assert (page.title, page.encoding, page.content_type) == (legacy.title, "cp1252", "text/html")
    malformed = truth.pages[url(MALFORMED_PAGE)]
    assert (malformed.h1, malformed.indexable) == ("Our gear list, 2009 edition", True)


def test_special_links_and_rels_are_counted(site: ExampleSite, truth: GroundTruth) -> None:
    pages = sum(1 for p in truth.pages.values() if p.encoding is not None)
    # Every page in the shop template has them in its footer (not print pages nor the 2009
    # page); the contact and privacy pages and the 2009 page add a mailto: of their own.
    in_template = pages - len(site.guides) - 1
    assert truth.mailto_link_count == in_template + 3
    assert truth.tel_link_count == in_template + 1
    assert truth.javascript_link_count == len(site.posts) + len(site.guides)
    assert truth.ugc_link_count > 0 and truth.sponsored_link_count > 0
    assert truth.nofollow_link_count >= pages  # the sign-in link on every page
    assert truth.sitemap_url_count == len(set(truth.sitemap_urls))
    assert len(truth.sitemap_files) == 3


def test_truth_does_not_depend_on_the_port(site: ExampleSite, truth: GroundTruth) -> None:
    other = site.truth("http://127.0.0.1:9")
    assert len(other.pages) == len(truth.pages)
    assert other.link_count == truth.link_count
    assert other.pages_by_reason == truth.pages_by_reason
