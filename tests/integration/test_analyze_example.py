"""Analyze a real crawl of the example site: scores equal a plain oracle, findings its truth."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from linkequity import Project
from linkequity.example import SiteServer, build_site
from linkequity.example.equity_truth import expected_equity
from linkequity.example.site import ExampleSite
from linkequity.example.truth import GroundTruth, iter_links


@pytest.fixture(scope="module")
def analysed(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Project, ExampleSite, GroundTruth]]:
    site = build_site(pages=300, seed=7)
    with SiteServer(site) as server:
        project = Project(tmp_path_factory.mktemp("analyze") / "site.duckdb")
        project.crawl(server.origin + "/", workers=0)
        project.analyze()
        yield project, site, site.truth(server.origin)


def test_scores_equal_the_oracle(analysed: tuple[Project, ExampleSite, GroundTruth]) -> None:
    project, site, truth = analysed
    want, shares = expected_equity(truth.pages, iter_links(site, truth))
    got = {r["url"]: r["score"] for r in project.page_scores().to_pylist() if r["score"]}
    assert sorted(got) == sorted(want)
    assert max(abs(got[u] - want[u]) for u in want) < 1e-9
    row = project.table("analyses").to_pylist()[0]
    for name, value in shares.items():
        assert row[name] == pytest.approx(value, abs=1e-9), name


def test_findings_match_the_truth(analysed: tuple[Project, ExampleSite, GroundTruth]) -> None:
    project, _site, truth = analysed
    found = project.findings().to_pylist()

    def urls(kind: str) -> list[str]:
        return sorted(f["url"] for f in found if f["kind"] == kind)

    assert urls("orphan") == list(truth.orphan_pages)
    # the three old landing pages and the terms page only the first links: an island of two
    islands = {f["url"]: json.loads(f["detail_json"]) for f in found if f["kind"] == "orphan"}
    terms = next(u for u in islands if u.endswith("/terms/"))
    spring = terms.removesuffix("terms/")
    assert (islands[terms]["linked_by"], islands[terms]["island"]) == (
        "linked only from other orphans",
        spring,
    )
    assert (islands[spring]["linked_by"], islands[spring]["island_size"]) == ("no inlinks", 2)
    assert sorted(d["island_size"] for d in islands.values()) == [1, 1, 2, 2]
    assert urls("redirect_loop") == sorted(truth.redirect_loops)
    chains = [c.url for c in truth.redirect_chains if not c.is_loop and len(c.hops) >= 2]
    assert urls("redirect_chain") == sorted(chains)
    broken = sum(json.loads(f["detail_json"])["occurrences"] for f in found
                 if f["kind"] == "broken_link")  # fmt: skip
    assert broken == truth.broken_link_count
    assert urls("broken_link") == sorted({b.dst_url for b in truth.broken_links})
    linked = {link.dst_url for link in iter_links(_site, truth) if link.src_url != link.dst_url}
    assert urls("link_to_canonicalised") == sorted(set(truth.canonicalised_urls) & linked)
    assert urls("link_to_noindex") == sorted(set(truth.noindex_urls) & linked)
    deep = [u for u, p in truth.pages.items() if p.depth is not None and p.depth > 3
            and p.status_code == 200 and p.content_type == "text/html"]  # fmt: skip
    assert urls("deep_page") == sorted(deep)
