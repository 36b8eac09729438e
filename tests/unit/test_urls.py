"""URL normalisation, href resolution, registrable domains and scope."""

from __future__ import annotations

import random

import pytest

from linkequity.errors import ConfigError
from linkequity.urls import (
    DEFAULT_STRIP_PARAMS,
    LinkTargets,
    Resolver,
    Scope,
    normalise_url,
    registrable_domain,
    special_scheme,
)
from linkequity.urls import _normalise_parsed as normalise_by_parsing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM:80/a/./b/../c?utm_source=x&id=1#top", "http://example.com/a/c?id=1"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("http://ex.com/caf%c3%a9/%7euser", "http://ex.com/caf%C3%A9/~user"),
        ("http://ex.com/café menu", "http://ex.com/caf%C3%A9%20menu"),
        ("http://ex.com/?utm_medium=a&utm_source=b", "http://ex.com/"),
        ("http://ex.com/p?fbclid=1&gclid=2&page=2", "http://ex.com/p?page=2"),
        ("http://ex.com/a/../../b", "http://ex.com/b"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
        ("http://Example.com./x", "http://example.com/x"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("mailto:someone@example.com", None),
        ("ftp://example.com/file", None),
        ("http:///nohost", None),
        ("http://ex.com:notaport/", None),
    ],
)
def test_normalise_url(raw: str, expected: str | None) -> None:
    assert normalise_url(raw) == expected


def test_plain_urls_normalise_as_when_parsed() -> None:
    # normalise_url returns plain URLs (the commonest links) without parsing them: it must
    # agree with the general path on every string, plain or nearly so.
    rng = random.Random(5)
    pieces = ["a", "Z", "0", "-", ".", "_", "~", "/", "..", "./", "%41", "?", "#", "@", ":", " "]
    hosts = ["ex.com", "ex.com.", "Ex.com", "127.0.0.1", "a-b.c", "", "."]
    ports = ["", ":80", ":443", ":8080", ":08080", ":0", ":65535", ":65536", ":99999", ":"]
    for _ in range(20_000):
        scheme = rng.choice(["http", "https", "HTTP", "ftp"])
        path = "".join(rng.choice(pieces) for _ in range(rng.randrange(8)))
        url = f"{scheme}://{rng.choice(hosts)}{rng.choice(ports)}/{path}"
        assert normalise_url(url) == normalise_by_parsing(url, DEFAULT_STRIP_PARAMS), url


def test_strip_params_are_configurable_globs() -> None:
    assert normalise_url("http://ex.com/?sessionid=9&a=1", ("session*",)) == "http://ex.com/?a=1"
    assert normalise_url("http://ex.com/?utm_source=x", ()) == "http://ex.com/?utm_source=x"


@pytest.mark.parametrize(
    ("base", "href", "expected"),
    [
        ("https://ex.com/blog/post/", "../about", "https://ex.com/blog/about"),
        ("https://ex.com/blog/post/", "next/", "https://ex.com/blog/post/next/"),
        ("https://ex.com/blog/post.html?p=1", "other.html", "https://ex.com/blog/other.html"),
        ("https://ex.com/blog/post.html?p=1", "?p=2", "https://ex.com/blog/post.html?p=2"),
        ("https://ex.com/blog/post.html?p=1", "#comments", "https://ex.com/blog/post.html?p=1"),
        ("https://ex.com/blog/post.html", "", "https://ex.com/blog/post.html"),
        ("https://ex.com/blog/", "/shop/", "https://ex.com/shop/"),
        ("https://ex.com/blog/", "//cdn.ex.com/x", "https://cdn.ex.com/x"),
        ("https://ex.com/blog/", " \n/shop/\t ", "https://ex.com/shop/"),
        ("https://ex.com/blog/", "HTTPS://EX.COM/A", "https://ex.com/A"),
        ("https://ex.com", "page", "https://ex.com/page"),
        ("https://ex.com/a/b", "../../../c", "https://ex.com/c"),
        ("https://ex.com/a/", "javascript:void(0)", None),
        ("https://ex.com/a/", "tel:+44123", None),
    ],
)
def test_resolve_matches_rfc3986(base: str, href: str, expected: str | None) -> None:
    assert Resolver().resolve(base, href) == expected


def test_resolver_caches_each_distinct_target_once() -> None:
    r = Resolver()
    for page in range(100):
        r.resolve(f"https://ex.com/p/{page}/", "/nav/shop/")
        r.resolve(f"https://ex.com/p/{page}/", "../")
    # one entry for the nav link, one per page for the relative link
    assert len(r._cache) == 101


HREFS = [
    "../about",
    "next/",
    "?p=2",
    "#top",
    "",
    "/shop/",
    " \n/shop/\t ",
    "//cdn.ex.com/x",
    "//other.org/y",
    "HTTPS://EX.COM/A",
    "https://other.org/",
    "mailto:a@ex.com",
    " tel:1 ",
]
BASES = [
    "https://ex.com/blog/post/",
    "https://ex.com/a/b.html?p=1",
    "https://ex.com/",
    "http://ex.com/blog/post/",
    "https://www.ex.com/c/",
]


def test_link_targets_shared_across_pages_match_a_fresh_resolution() -> None:
    scope = Scope(["https://ex.com/"])
    targets = LinkTargets(Resolver(), scope)
    for _ in range(2):  # the second round answers from the shared cache
        for base in BASES:
            shared, target = targets.for_page(base)
            for href in HREFS:
                dst = Resolver().resolve(base, href)
                want = (href.strip(), False, False) if dst is None else (dst, True, True)
                if dst is not None and "other.org" in dst:
                    want = (dst, True, False)
                assert (shared.get(href) or target(href)) == want, (base, href)
    # Only hrefs that do not depend on the page's path are shared, one set per origin.
    shared, _ = targets.for_page("https://ex.com/elsewhere/")
    assert set(shared) == {
        "/shop/",
        "//cdn.ex.com/x",
        "//other.org/y",
        "HTTPS://EX.COM/A",
        "https://other.org/",
        "mailto:a@ex.com",
    }


def test_link_targets_are_bounded() -> None:
    targets = LinkTargets(Resolver(), Scope(["https://ex.com/"]))
    shared, target = targets.for_page("https://ex.com/")
    for i in range(Resolver.MAX_CACHE + 10):
        target(f"/p/{i}")
    assert len(shared) == 10


def test_special_scheme() -> None:
    assert special_scheme("MAILTO:a@b.c") == "mailto"
    assert special_scheme("javascript:void(0)") == "javascript"
    assert special_scheme("https://x") is None
    assert special_scheme("/a:b") is None


def test_registrable_domain_uses_the_public_suffix_list() -> None:
    assert registrable_domain("www.shop.example.co.uk") == "example.co.uk"
    assert registrable_domain("blog.example.com:8080") == "example.com"
    assert registrable_domain("127.0.0.1:8000") == "127.0.0.1"
    assert registrable_domain("localhost") == "localhost"
    # private suffixes are not registrable boundaries by default: user sites share github.io
    assert registrable_domain("someone.github.io") == "github.io"


def test_scope_internal_by_domain_crawl_by_host() -> None:
    scope = Scope(["https://www.example.com/"])
    assert scope.is_internal("https://blog.example.com/x")
    assert not scope.in_scope("https://blog.example.com/x")
    assert scope.in_scope("https://www.example.com/x")
    assert not scope.is_internal("https://example.org/")
    wide = Scope(["https://www.example.com/"], include_subdomains=True)
    assert wide.in_scope("https://blog.example.com/x")
    assert not wide.in_scope("https://example.org/")


def test_scope_include_and_exclude_patterns() -> None:
    scope = Scope(["https://ex.com/"], include=(r"/shop/",), exclude=(r"\?sort=",))
    assert scope.in_scope("https://ex.com/shop/a")
    assert not scope.in_scope("https://ex.com/blog/a")
    assert not scope.in_scope("https://ex.com/shop/a?sort=price")


def test_bad_pattern_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"Invalid include/exclude pattern '\('"):
        Scope(["https://ex.com/"], exclude=("(",))
