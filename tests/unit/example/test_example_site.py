"""The example site's model: determinism, scale, page sizes and what each URL answers."""

from __future__ import annotations

import gzip
import time
from collections import Counter
from xml.etree import ElementTree

import pytest

import linkequity.example as example
from linkequity.errors import ConfigError
from linkequity.example import ExampleSite, build_site
from linkequity.example.defects import (
    LEGACY_CHARSET_PAGE,
    LEGACY_CHARSET_TITLE,
    PDF_PATH,
    REDIRECTS,
    X_ROBOTS_NOINDEX_PAGE,
    XHTML_PAGE,
)
from linkequity.example.site import SITEMAP_INDEX, SITEMAP_POSTS, accepts_gzip

ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def site() -> ExampleSite:
    return build_site(300, seed=7)


def test_public_names_are_sorted_and_exist() -> None:
    assert example.__all__ == sorted(example.__all__)
    assert all(hasattr(example, name) for name in example.__all__)


def test_same_seed_gives_the_same_bytes(site: ExampleSite) -> None:
    again = build_site(300, seed=7)
    assert list(again.routes) == list(site.routes)
    for path in list(site.routes)[::7]:
        assert again.response(path, ORIGIN, "gzip").body == site.response(path, ORIGIN, "gzip").body


def test_another_seed_gives_another_shop(site: ExampleSite) -> None:
    other = build_site(300, seed=8)
    assert [p.slug for p in other.products] != [p.slug for p in site.products]


def test_page_count_and_shares_follow_a_small_shop(site: ExampleSite) -> None:
    assert abs(site.html_page_count() - 300) <= 6
    kinds = Counter(route.kind for route in site.routes.values())
    html = site.html_page_count()
    assert 0.45 <= kinds["product"] / html <= 0.62  # products and their colour variants
    assert 0.2 <= kinds["post"] / html <= 0.3
    assert 0.05 <= (kinds["category"] + kinds["listing"]) / html <= 0.12
    assert any(route.arg > 1 for route in site.routes.values() if route.kind == "listing")


def test_too_small_a_site_is_refused() -> None:
    with pytest.raises(ConfigError, match="at least 100 pages"):
        build_site(50)


def test_twenty_thousand_pages_build_in_seconds_without_rendering() -> None:
    started = time.perf_counter()
    site = build_site(20_000, heavy=True)
    assert time.perf_counter() - started < 10
    assert abs(site.html_page_count() - 20_000) <= 400


def _html_pages(site: ExampleSite, kinds: set[str]) -> list[bytes]:
    paths = [p for p, r in site.routes.items() if r.kind in kinds]
    return [site.response(p, ORIGIN).body for p in paths[:: max(1, len(paths) // 40)]]


def test_heavy_pages_weigh_about_50_kb_with_about_200_links() -> None:
    site = build_site(20_000, heavy=True)
    for body in _html_pages(site, {"product", "post"}):
        assert 40_000 <= len(body) <= 60_000
        assert 170 <= body.count(b"<a href") <= 230


def test_default_pages_weigh_10_to_20_kb_with_60_to_90_links(site: ExampleSite) -> None:
    for body in _html_pages(site, {"product", "post", "listing", "category", "home", "blog"}):
        assert 10_000 <= len(body) <= 20_000
        assert 55 <= body.count(b"<a href") <= 90


def test_every_known_path_answers_and_unknown_ones_get_404(site: ExampleSite) -> None:
    statuses = Counter(site.response(p, ORIGIN).status for p in site.paths())
    assert statuses[404] == 0
    assert set(statuses) == {200, 301, 302, 410, 500}
    missing = site.response("/no/such/page/", ORIGIN)
    assert (missing.status, missing.header("Content-Type")) == (404, "text/html; charset=utf-8")


def test_unknown_query_parameters_are_ignored(site: ExampleSite) -> None:
    product = site.products[1].path
    assert site.response(product + "?ref=abc", ORIGIN).body == site.response(product, ORIGIN).body


def test_html_is_gzipped_only_when_the_client_accepts_it(site: ExampleSite) -> None:
    plain = site.response("/", ORIGIN)
    packed = site.response("/", ORIGIN, "gzip, deflate, br")
    assert plain.header("Content-Encoding") is None
    assert packed.header("Content-Encoding") == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    assert packed.header("Content-Length") == str(len(packed.body))
    robots = site.response("/robots.txt", ORIGIN, "gzip")
    assert robots.header("Content-Encoding") is None


@pytest.mark.parametrize(
    ("header", "accepted"),
    [("gzip", True), ("deflate, gzip;q=0.5", True), ("gzip;q=0", False), ("*", True),
     ("br", False), ("", False)],
)  # fmt: skip
def test_accept_encoding(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted


def test_redirects_send_their_location_as_written(site: ExampleSite) -> None:
    chain = [site.response(p, ORIGIN) for p in ("/shop/", "/store/", "/outlet/")]
    assert [r.status for r in chain] == [301, 302, 301]
    assert [r.header("Location") for r in chain] == [
        f"{ORIGIN}/store/",
        "/outlet/",
        f"../category/{site.categories[0].slug}/",
    ]
    assert site.response(chain[2].header("Location") or "", ORIGIN).status == 404  # relative!
    assert site.response(site.categories[0].path, ORIGIN).status == 200
    assert REDIRECTS["/gift-cards/"][1] == "/gift-card/"


def test_robots_txt_disallows_cart_and_search_and_names_the_sitemap(site: ExampleSite) -> None:
    text = site.response("/robots.txt", ORIGIN).body.decode()
    assert "Disallow: /cart/\n" in text and "Disallow: /search/\n" in text
    assert f"Sitemap: {ORIGIN}{SITEMAP_INDEX}\n" in text


def _locs(data: bytes) -> list[str]:
    return [e.text or "" for e in ElementTree.fromstring(data).iter() if e.tag.endswith("loc")]


def test_sitemap_index_lists_a_plain_and_a_gzipped_sitemap(site: ExampleSite) -> None:
    maps = _locs(site.response(SITEMAP_INDEX, ORIGIN).body)
    assert maps == [f"{ORIGIN}/sitemap-pages.xml", f"{ORIGIN}{SITEMAP_POSTS}"]
    posts = site.response(SITEMAP_POSTS, ORIGIN, "gzip")
    assert posts.header("Content-Type") == "application/gzip"
    assert posts.header("Content-Encoding") is None  # the file itself is gzip
    urls = _locs(gzip.decompress(posts.body))
    assert len(urls) == len(site.posts) + 1
    assert urls[0] == f"{ORIGIN}/"  # also in the pages sitemap


def test_legacy_page_is_windows_1252_declared_only_in_meta(site: ExampleSite) -> None:
    response = site.response(LEGACY_CHARSET_PAGE, ORIGIN)
    assert response.header("Content-Type") == "text/html"
    assert b'<meta charset="windows-1252">' in response.body
    title = f"<title>{LEGACY_CHARSET_TITLE}</title>".replace("&", "&amp;").encode("cp1252")
    assert title in response.body
    assert "é ü €".encode("cp1252") == b"\xe9 \xfc \x80"
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")


def test_special_headers_and_types(site: ExampleSite) -> None:
    assert site.response(X_ROBOTS_NOINDEX_PAGE, ORIGIN).header("X-Robots-Tag") == "noindex"
    specs = site.response(site.products[0].path + "specs/", ORIGIN)
    assert specs.header("Link") == f'<{ORIGIN}{site.products[0].path}>; rel="canonical"'
    assert b'rel="canonical"' not in specs.body
    pdf = site.response(PDF_PATH, ORIGIN, "gzip")
    assert (pdf.header("Content-Type"), pdf.body[:5]) == ("application/pdf", b"%PDF-")
    xhtml = site.response(XHTML_PAGE, ORIGIN)
    assert xhtml.header("Content-Type") == "application/xhtml+xml; charset=utf-8"


def test_pages_use_the_origin_they_are_served_from(site: ExampleSite) -> None:
    body = site.response(site.posts[0].path, "http://localhost:9999").body
    assert b'<link rel="canonical" href="http://localhost:9999/blog/' in body
    assert ORIGIN.encode() not in body
