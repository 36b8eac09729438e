"""Orphans: a real crawl of a site with an island, a lone orphan and a nofollow-only page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.equity.orphans import _islands
from tests.servers import Answer, ScriptedServer, page
from tests.unit.equity.builder import Crawl, url


def _urlset(origin: str, *paths: str) -> str:
    locs = "".join(f"<url><loc>{origin}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    """/ links to /about and, nofollow, to /login; /about links nowhere new.

    The old campaign /campaign/ (in the sitemap) links /campaign/offer/ and /campaign/terms/,
    which link each other and back: an island of three. /lone/ is in the sitemap and nothing
    links to it. /login/ is linked from / only by a nofollow link (and is in the sitemap). The
    noindex /gone-page/ in the sitemap is unreachable but not indexable: no orphan.
    """
    with ScriptedServer({}) as server:
        o = server.origin
        server.routes.update(
            {
                "/robots.txt": Answer(
                    body=f"Sitemap: {o}/sitemap.xml\n", content_type="text/plain"
                ),
                "/sitemap.xml": Answer(
                    body=_urlset(o, "/", "/campaign/", "/lone/", "/login/", "/gone-page/"),
                    content_type="application/xml",
                ),
                "/": Answer(
                    body=page("/about")[:-21] + '<a rel="nofollow" href="/login/">x</a></main>'
                    "</body></html>"
                ),
                "/about": Answer(body=page("/")),
                "/campaign/": Answer(body=page("/campaign/offer/", "/campaign/terms/")),
                "/campaign/offer/": Answer(body=page("/campaign/terms/", "/campaign/")),
                "/campaign/terms/": Answer(body=page("/campaign/offer/")),
                "/lone/": Answer(body=page("/")),
                "/login/": Answer(body=page()),
                "/gone-page/": Answer(body=page(head='<meta name="robots" content="noindex">')),
            }
        )
        project = Project(tmp_path_factory.mktemp("orphans") / "site.duckdb")
        project.crawl(o + "/", workers=0)
    project.analyze()
    return project, o


def _orphans(project: Project, origin: str) -> dict[str, dict[str, object]]:
    rows = project.findings(kind="orphan").to_pylist()
    return {str(r["url"]).removeprefix(origin): {**json.loads(r["detail_json"]),
                                                "summary": r["summary"]} for r in rows}  # fmt: skip


def test_every_unreachable_live_indexable_page_is_an_orphan(site: tuple[Project, str]) -> None:
    project, origin = site
    found = _orphans(project, origin)
    assert sorted(found) == [
        "/campaign/", "/campaign/offer/", "/campaign/terms/", "/login/", "/lone/"
    ]  # fmt: skip
    # the crawl reached them from the sitemap: no depth, which the analysis agrees with
    depths = {str(p["url"]).removeprefix(origin): p["depth"] for p in project.pages().to_pylist()}
    assert all(depths[u] is None for u in found)


def test_what_links_to_each_orphan_and_its_island(site: tuple[Project, str]) -> None:
    found = _orphans(*site)
    origin = site[1]
    described = {
        u: (d["linked_by"], str(d["island"]).removeprefix(origin), d["island_size"])
        for u, d in found.items()
    }
    assert described == {
        "/campaign/": ("linked only from other orphans", "/campaign/", 3),
        "/campaign/offer/": ("linked only from other orphans", "/campaign/", 3),
        "/campaign/terms/": ("linked only from other orphans", "/campaign/", 3),
        "/lone/": ("no inlinks", "/lone/", 1),
        "/login/": ("linked only by nofollow links", "/login/", 1),
    }
    assert found["/campaign/terms/"]["found_in"] == []  # found through the island
    assert found["/campaign/"]["found_in"] == [origin + "/sitemap.xml"]
    assert found["/campaign/terms/"]["summary"] == (
        "No followed link from the start page reaches it; found through other orphans; linked "
        f"only from other orphans; one of an island of 3 orphans around {origin}/campaign/"
    )
    assert found["/lone/"]["summary"] == (
        "No followed link from the start page reaches it; known from 1 sitemap(s); no page "
        "links to it"
    )


def test_orphans_carry_the_equity_they_hold(site: tuple[Project, str]) -> None:
    project, origin = site
    scores = {str(r["url"]).removeprefix(origin): r for r in project.page_scores().to_pylist()}
    for url_path, detail in _orphans(project, origin).items():
        assert detail["share"] == pytest.approx(scores[url_path]["score"])
        assert detail["link_score"] == pytest.approx(scores[url_path]["link_score"], abs=0.01)
        assert isinstance(detail["share"], float) and detail["share"] > 0


def test_a_page_reached_by_a_redirect_or_a_canonical_is_no_orphan(tmp_path: Path) -> None:
    crawl = Crawl(sitemap=[url("new"), url("print"), url("main"), url("island")])
    crawl.page("", depth=0).page("old", 301, redirect="new").page("new", depth=None)
    crawl.page("print", canonical="main").page("main", depth=None).page("island", depth=None)
    crawl.link("", "old").link("", "print")
    project = Project(crawl.save(tmp_path / "p.duckdb"))
    project.analyze()
    assert [r["url"] for r in project.findings(kind="orphan").to_pylist()] == [url("island")]


def test_a_page_linked_from_a_nofollow_page_is_unreachable(tmp_path: Path) -> None:
    crawl = Crawl()
    crawl.page("", depth=0).page("members", meta_robots="nofollow").page("secret", depth=None)
    crawl.link("", "members").link("members", "secret")
    project = Project(crawl.save(tmp_path / "p.duckdb"))
    project.analyze()
    rows = project.findings(kind="orphan").to_pylist()
    assert [(r["url"], json.loads(r["detail_json"])["linked_by"]) for r in rows] == [
        (url("secret"), "linked only by nofollow links")
    ]


def test_islands_join_orphans_linked_either_way_and_take_the_shortest_url() -> None:
    islands = _islands(
        ["/a/", "/a/1/", "/a/2/", "/b/", "/c/long/", "/zz/", "/x/", "/y/"],
        [("/a/1/", "/a/2/"), ("/a/2/", "/a/"), ("/c/long/", "/zz/"), ("/x/", "/y/")],
    )
    assert islands == {
        "/a/": ("/a/", 3), "/a/1/": ("/a/", 3), "/a/2/": ("/a/", 3), "/b/": ("/b/", 1),
        "/c/long/": ("/zz/", 2), "/zz/": ("/zz/", 2), "/x/": ("/y/", 2), "/y/": ("/y/", 2),
    }  # fmt: skip
