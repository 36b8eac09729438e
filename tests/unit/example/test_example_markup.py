"""The rendered HTML says what the model says: parsed back, every page has the links (with
their positions), title, h1, canonical and robots directives the ground truth expects."""

from __future__ import annotations

import pytest

from linkequity.example import ExampleSite, GroundTruth, build_site
from linkequity.parse import decode_html, parse_html
from linkequity.urls import Resolver, Scope

ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture(scope="module", params=[False, True], ids=["default", "heavy"])
def site(request: pytest.FixtureRequest) -> ExampleSite:
    return build_site(300, seed=11, heavy=request.param)


@pytest.fixture(scope="module")
def truth(site: ExampleSite) -> GroundTruth:
    return site.truth(ORIGIN)


def test_parsed_pages_match_the_truth(site: ExampleSite, truth: GroundTruth) -> None:
    resolver, scope = Resolver(), Scope([truth.start_url])
    expected: dict[str, list[tuple[object, ...]]] = {}
    for link in site.expected_links(ORIGIN):
        expected.setdefault(link.src_url, []).append(tuple(link[1:]))
    parsed_pages = [u for u, p in truth.pages.items() if p.encoding is not None]
    assert len(parsed_pages) > 250
    for url in parsed_pages:
        page = truth.pages[url]
        response = site.response(url[len(ORIGIN) :], ORIGIN)
        text, encoding = decode_html(response.body, response.header("Content-Type"))
        parsed = parse_html(text, url, resolver, scope)
        assert (parsed.title, parsed.h1, encoding) == (page.title, page.h1, page.encoding), url
        assert parsed.meta_robots == page.meta_robots, url
        if response.header("Link") is None:
            assert parsed.canonical_url == page.canonical_url, url
        got = [
            (lk.dst_url, lk.anchor, lk.alt, lk.rel, lk.is_nofollow, lk.is_sponsored, lk.is_ugc,
             lk.position, lk.is_internal, lk.is_image, lk.ordinal)
            for lk in parsed.links
        ]  # fmt: skip
        assert got == expected.get(url, []), url
