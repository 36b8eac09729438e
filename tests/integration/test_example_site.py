"""Crawl the example site over real HTTP on 127.0.0.1 and compare with its ground truth exactly."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.example import SiteServer, build_site
from linkequity.example.truth import ExpectedPage, GroundTruth


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[SiteServer, GroundTruth]]:
    site = build_site(pages=300, seed=7)
    with SiteServer(site) as server:
        yield server, site.truth(server.origin)


@pytest.fixture(scope="module", params=[0, 1], ids=["one-process", "parse-worker"])
def crawled(
    request: pytest.FixtureRequest,
    served: tuple[SiteServer, GroundTruth],
    tmp_path_factory: pytest.TempPathFactory,
) -> Project:
    server, _truth = served
    project = Project(tmp_path_factory.mktemp("crawl") / "site.duckdb")
    project.crawl(server.origin + "/", workers=request.param)
    return project


def q(project: Project, table: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = project.table(table).to_pylist()
    return rows


def test_pages_match_the_truth_exactly(
    crawled: Project, served: tuple[SiteServer, GroundTruth]
) -> None:
    _server, truth = served
    got = {str(r["url"]): r for r in q(crawled, "pages")}
    assert sorted(got) == sorted(truth.pages)
    # every fact the truth fixes for a page, so a field added to ExpectedPage is checked too
    fields = [f.name for f in dataclasses.fields(ExpectedPage) if f.name != "url"]
    mismatches = [
        (url, f, got[url][f], getattr(want, f))
        for url, want in truth.pages.items()
        for f in fields
        if got[url][f] != getattr(want, f)
    ]
    assert mismatches == []


def test_counts_a_user_sees(crawled: Project, served: tuple[SiteServer, GroundTruth]) -> None:
    _server, truth = served
    ov = crawled.overview()
    status = {
        (None if k in ("no response", "blocked by robots.txt") else int(k)): v
        for k, v in ov.by_status
    }
    assert status == dict(truth.pages_by_status)
    reasons = {(None if k == "indexable" else k): v for k, v in ov.by_indexability}
    assert reasons == dict(truth.pages_by_reason)
    depths = {(None if k == "not linked" else int(k)): v for k, v in ov.depth_histogram}
    assert depths == dict(truth.depth_histogram)
    assert ov.sitemap_urls == truth.sitemap_url_count
    assert (ov.links, ov.internal_links) == (truth.link_count, truth.internal_link_count)
    assert dict(ov.by_position) == {k: v for k, v in truth.links_by_position.items() if v}


def test_links_match_rel_kinds_and_schemes(
    crawled: Project, served: tuple[SiteServer, GroundTruth]
) -> None:
    _server, truth = served
    links = q(crawled, "links")
    dst = Counter(str(r["dst_url"]).split(":", 1)[0] for r in links)
    assert dst["mailto"] == truth.mailto_link_count
    assert dst["tel"] == truth.tel_link_count
    assert dst["javascript"] == truth.javascript_link_count
    assert sum(1 for r in links if r["is_nofollow"]) == truth.nofollow_link_count
    assert sum(1 for r in links if r["is_sponsored"]) == truth.sponsored_link_count
    assert sum(1 for r in links if r["is_ugc"]) == truth.ugc_link_count
    assert sum(1 for r in links if r["is_image"]) == truth.image_link_count
    assert sum(1 for r in links if r["src_url"] == r["dst_url"]) == truth.self_link_count
    external = sum(
        1 for r in links if not r["is_internal"] and str(r["dst_url"]).startswith("http")
    )
    assert external == truth.external_link_count


def test_defects_are_all_found(crawled: Project, served: tuple[SiteServer, GroundTruth]) -> None:
    _server, truth = served
    pages = {str(r["url"]): r for r in q(crawled, "pages")}
    links = q(crawled, "links")
    linked = {str(r["dst_url"]) for r in links if r["src_url"] != r["dst_url"]}
    orphans = sorted(u for u, p in pages.items() if p["in_sitemap"] and u not in linked)
    assert orphans == sorted(truth.orphan_urls)
    broken = sorted(
        (str(r["src_url"]), str(r["dst_url"]), str(r["anchor"]), str(r["position"]))
        for r in links
        if r["is_internal"]
        and str(r["dst_url"]) in pages
        and (pages[str(r["dst_url"])]["status_code"] or 0) >= 400
    )
    assert broken == sorted(
        (b.src_url, b.dst_url, b.anchor, b.position) for b in truth.broken_links
    )
    chains: dict[str, list[tuple[object, ...]]] = {}
    for r in sorted(q(crawled, "redirects"), key=lambda r: (str(r["url"]), int(r["hop"]))):
        chains.setdefault(str(r["url"]), []).append((r["status_code"], r["location"]))
    assert chains == {
        c.url: [(h.status_code, h.location) for h in c.hops] for c in truth.redirect_chains
    }
    loops = sorted({str(r["url"]) for r in q(crawled, "redirects") if r["is_loop"]})
    assert loops == sorted(truth.redirect_loops)
    legacy = pages[truth.legacy_charset.url]
    assert (legacy["title"], legacy["encoding"]) == (
        truth.legacy_charset.title,
        truth.legacy_charset.encoding,
    )


def test_disallowed_urls_are_never_requested(
    crawled: Project, served: tuple[SiteServer, GroundTruth]
) -> None:
    server, truth = served
    assert truth.blocked_urls
    requested = {server.origin + path for _method, path, _ua in list(server.requests)}
    assert requested.isdisjoint(truth.blocked_urls)
    assert requested.isdisjoint(truth.uncrawled_link_targets)


def test_export_round_trip(crawled: Project, tmp_path: Path) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    n = crawled.export("pages", tmp_path / "pages.csv", "csv")
    assert pacsv.read_csv(tmp_path / "pages.csv").num_rows == n == crawled.pages().num_rows
    m = crawled.export("links", tmp_path / "links.parquet", "parquet")
    assert pq.read_table(tmp_path / "links.parquet").num_rows == m == crawled.links().num_rows
