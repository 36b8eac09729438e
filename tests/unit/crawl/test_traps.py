"""Crawl traps: a default crawl of a site full of them ends by itself, clean, and says so."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from linkequity import Project
from linkequity.crawl.traps import Example, repeats, trap_group, url_rule
from linkequity.errors import ConfigError
from linkequity.parse import parse_html
from linkequity.settings import CrawlSettings
from linkequity.urls import Resolver, Scope, normalise_url, url_pattern
from tests.servers import Answer, ScriptedServer
from tests.trap_site import REAL, trap_site


@pytest.fixture(scope="module")
def trapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, ScriptedServer]:
    with ScriptedServer({}, fallback=trap_site) as server:
        project = Project(tmp_path_factory.mktemp("traps") / "traps.duckdb")
        project.crawl(server.origin + "/", workers=0)
        project.analyze()
        yield project, server


def _paths(project: Project, origin: str, where: str = "status_code = 200") -> set[str]:
    pages = project.pages().to_pylist()
    return {
        str(p["url"]).removeprefix(origin)
        for p in pages
        if where != "status_code = 200" or p["status_code"] == 200
    }


def _traps(project: Project, origin: str) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for row in project.findings().to_pylist():
        if row["kind"] == "crawl_trap":
            detail = json.loads(row["detail_json"])
            found[(detail["rule"], detail["pattern"].removeprefix(origin))] = {
                "url": str(row["url"]).removeprefix(origin),
                "summary": row["summary"].replace(origin, ""),
                **detail,
            }
    return found


def test_a_default_crawl_of_a_trap_site_ends_with_every_real_page(
    trapped: tuple[Project, ScriptedServer],
) -> None:
    project, server = trapped
    assert project.table("crawls").column("status").to_pylist() == ["finished"]
    crawled = _paths(project, server.origin)
    assert crawled >= REAL  # both 30-page archives, every post, product and section
    # the session ids were stripped: each real page was crawled once, under its clean URL
    assert not [p for p in crawled if "sid=" in p or "jsessionid" in p.lower()]
    assert sorted(p for p in Counter(server.paths()).values() if p > 1) == []
    # the traps cost a small multiple of the real pages, not thousands of requests
    requests = len(server.requests)
    assert requests <= 2.5 * len(REAL), requests
    extra = Counter(p.split("?")[0] for p in crawled - REAL)
    assert set(extra) == {"/shop/", "/events/", "/docs/guide/more/", "/docs/guide/more/more/"}
    assert extra["/events/"] == 5  # the calendar: its first five months, then held back


def test_each_trap_is_one_finding_with_its_pattern_examples_and_setting(
    trapped: tuple[Project, ScriptedServer],
) -> None:
    project, server = trapped
    traps = _traps(project, server.origin)
    assert set(traps) == {
        ("repeating", "/events/?month=*"),
        ("facets", "/shop/?(more than 2 parameters)"),
        ("reordered", "/shop/?(same parameters in another order)"),
        ("segment_repeats", "/docs/guide/more/more/more/*"),
        ("url_length", "/about/* (longer than 2048 characters)"),
        ("query_params", "/about/?(more than 8 parameters)"),
    }
    calendar = traps[("repeating", "/events/?month=*")]
    assert calendar["setting"] == "trap_examples"
    assert [u.removeprefix(server.origin) for u in calendar["crawled_examples"]] == [
        "/events/?month=2031-03",
        "/events/?month=2031-02",
        "/events/?month=2031-04",
        "/events/?month=2031-01",
        "/events/?month=2031-05",
    ]
    assert calendar["held_back"] == 2  # the next months on each side, never requested
    assert calendar["summary"] == (
        "2 URLs of a pattern whose pages repeat one another held back after crawling 5: "
        "/events/?month=*"
    )
    facets = traps[("facets", "/shop/?(more than 2 parameters)")]
    assert facets["setting"] == "max_facets" and len(facets["crawled_examples"]) == 5
    assert facets["held_back"] > 500 and facets["linked_from"] >= 100
    deepening = traps[("segment_repeats", "/docs/guide/more/more/more/*")]
    assert deepening["url"] == "/docs/guide/more/more/"
    assert deepening["setting"] == "max_segment_repeats" and deepening["held_back"] == 1
    long = traps[("url_length", "/about/* (longer than 2048 characters)")]
    assert long["url"] == "/" and long["setting"] == "max_url_length"
    # held-back URLs were never requested
    requested = set(server.paths())
    for trap in traps.values():
        for example in trap["examples"]:
            assert example.removeprefix(server.origin) not in requested


def test_raising_the_named_setting_lets_the_urls_through(tmp_path: Path) -> None:
    with ScriptedServer({}, fallback=trap_site) as server:
        project = Project(tmp_path / "p.duckdb")
        project.crawl(server.origin + "/", workers=0, max_url_length=4000, max_pages=60)
        requested = server.paths()
    assert any(p.startswith("/about/?ref=xxx") for p in requested)


def test_urls_a_sitemap_lists_are_crawled_whatever_the_rules_say(tmp_path: Path) -> None:
    sitemap = Answer(
        body='<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>{o}/events/?month=2031-07</loc></url>"
        "<url><loc>{o}/docs/guide/more/more/more/</loc></url></urlset>",
        content_type="application/xml",
    )
    routes = {"/sitemap.xml": sitemap}
    with ScriptedServer(routes, fallback=trap_site) as server:
        sitemap.body = str(sitemap.body).replace("{o}", server.origin)
        project = Project(tmp_path / "p.duckdb")
        project.crawl(server.origin + "/", workers=0)
        requested = set(server.paths())
    # held back when the links found them, then crawled because the sitemap lists them
    assert {"/events/?month=2031-07", "/docs/guide/more/more/more/"} <= requested
    frontier = {
        str(r["url"]).removeprefix(server.origin): r["held_back"]
        for r in project.table("frontier").to_pylist()
    }
    assert frontier["/docs/guide/more/more/more/"] == "released"
    assert frontier["/docs/guide/more/more/more/more/"] == "segment_repeats"


def test_session_ids_are_stripped_from_queries_and_path_parameters() -> None:
    assert normalise_url("https://a.example/p;jsessionid=0A1B2C?id=3") == "https://a.example/p?id=3"
    assert normalise_url("https://a.example/p;JSESSIONID=0A1B/q") == "https://a.example/p/q"
    assert normalise_url("https://a.example/p;v=2") == "https://a.example/p;v=2"
    for name in ("PHPSESSID", "sid", "sessionid", "session_id", "jsessionid"):
        assert normalise_url(f"https://a.example/?{name}=9f&page=2") == "https://a.example/?page=2"
    # a user's own list replaces the defaults, session ids included
    assert normalise_url("https://a.example/?sid=1", ("utm_*",)) == "https://a.example/?sid=1"


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("https://a.example/x/x/x/", "segment_repeats"),
        ("https://a.example/a/b/a/b/a/b/", "segment_repeats"),
        ("https://a.example/docs/page1/page2/page3/", "segment_repeats"),
        ("https://a.example/x/x/", None),
        ("https://a.example/a/b/a/b/", None),
        ("https://a.example/2024/01/01/", None),  # numbers alone are dates, not a trap
        ("https://a.example/?" + "&".join(f"p{i}=1" for i in range(9)), "query_params"),
        ("https://a.example/?" + "&".join(f"p{i}=1" for i in range(8)), None),
        ("https://a.example/" + "a" * 2030, None),
        ("https://a.example/" + "a" * 2040, "url_length"),
    ],
)
def test_url_rules(url: str, rule: str | None) -> None:
    found = url_rule(url, CrawlSettings())
    assert (found[0] if found else None) == rule


def test_groups_are_patterns_or_facet_combinations() -> None:
    s = CrawlSettings()
    assert trap_group("https://a.example/blog/page/7/", s) == "https://a.example/blog/page/{n}/"
    assert trap_group("https://a.example/news/?page=7", s) == "https://a.example/news/?page=*"
    assert trap_group("https://a.example/about/", s) is None
    three = "https://a.example/shop?a=1&b=2&c=3"
    assert trap_group(three, s) == "https://a.example/shop?(more than 2 parameters)"
    assert trap_group(three, CrawlSettings(max_facets=3)) == "https://a.example/shop?a=*&b=*&c=*"
    assert url_pattern("https://a.example/p/12?x=1&x=2") == "https://a.example/p/{n}?x=*"


def _sketch(html: str) -> str:
    url = "https://a.example/agenda/"
    return parse_html(html, url, Resolver(), Scope([url])).content_sketch


def _agenda(month: str, before: str, after: str) -> str:
    return (
        "<html><body><nav><a href='/'>Home</a> <a href='/shop/'>Shop</a></nav><main>"
        f"<h1>Agenda for {month} 2031</h1><p>Nothing is planned for this month yet. Browse "
        "the other months with the links below, or come back soon to see what is on.</p>"
        + "<table><tr><th>Mon</th><th>Tue</th><th>Wed</th><th>Thu</th><th>Fri</th><th>Sat</th>"
        "<th>Sun</th></tr>" + ("<tr>" + "<td>1 free</td>" * 7 + "</tr>") * 7 + "</table>"
        f"<a href='?m=1'>{before} 2031</a> <a href='?m=3'>{after} 2031</a></main>"
        "<footer>Example Ltd</footer></body></html>"
    )


def test_pages_that_differ_in_numbers_or_a_word_repeat_each_other() -> None:
    march = _sketch(_agenda("March", "February", "April"))
    april = _sketch(_agenda("April", "March", "May"))
    assert march != april and march.split(":")[0] == april.split(":")[0]
    assert int(march.split(":")[0]) >= 80
    # on a short page, a word or two is what tells two pages apart
    short = [_sketch(f"<main><h1>A tent on the {p}</h1><p>Go to the {p}.</p></main>")
             for p in ("beach", "lake")]  # fmt: skip
    assert not repeats(Example("b", short[1], False), [Example("a", short[0], False)])
    numbers = [
        _sketch(f"<main><h1>Events {m}</h1><p>No events in 2031-{m:02d}.</p></main>")
        for m in (3, 11)
    ]
    assert numbers[0] == numbers[1]  # digits are left out of the sketch
    listing = [
        _sketch(f"<main><h1>Blog</h1><p>{title}</p><p>Posts about shirts.</p></main>")
        for title in ("Linen for summer days", "Flannel for the winter")
    ]
    assert repeats(Example("b", april, False), [Example("a", march, False)])
    assert repeats(Example("b", numbers[1], False), [Example("a", numbers[0], False)])
    # a page that brings new links is never a repeat, whatever its text
    assert not repeats(Example("b", numbers[1], True), [Example("a", numbers[0], False)])
    assert not repeats(Example("b", listing[1], False), [Example("a", listing[0], False)])
    # the template around the content does not count
    templated = _sketch("<header>Menu</header><main><p>Same</p></main><footer>1</footer>")
    assert templated == _sketch("<main><p>Same</p></main><aside>Other things</aside>")


def test_trap_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="'trap_examples' must be at least 2"):
        CrawlSettings(trap_examples=1)
    with pytest.raises(ConfigError, match="'max_facets' must be at least 1"):
        CrawlSettings(max_facets=0)
