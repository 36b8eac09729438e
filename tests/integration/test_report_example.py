"""The report of a real crawl of the example site, its backlinks imported and a plan saved:
every section lists what the site's truth says it must (orphan islands, broken links with
their sources, redirect chains and loops, the backlink profile, the saved links), and the
crawl path is the project's click tree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from linkequity import Project
from linkequity.example import SiteServer, build_site
from linkequity.example.backlinks import expected_backlinks, write_backlink_exports
from linkequity.example.truth import GroundTruth
from linkequity.present.demo import unlinked_mentions
from linkequity.present.report.build import ReportData, report_data, write_report


@pytest.fixture(scope="module")
def example(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Project, GroundTruth, ReportData, Any]]:
    site = build_site(pages=300, seed=7)
    folder = tmp_path_factory.mktemp("report")
    with SiteServer(site) as server:
        project = Project(folder / "site.duckdb")
        project.crawl(server.origin + "/", workers=0)
        truth = site.truth(server.origin)
        project.import_backlinks(*write_backlink_exports(site, server.origin, folder / "exports"))
        want = expected_backlinks(site, server.origin)
    project.analyze()
    project.recommend(unlinked_mentions(project, 2), budget=4, per_source=2, save=True)
    yield project, truth, report_data(project), want


def rows(data: ReportData, table: str) -> list[dict[str, Any]]:
    spec = data.tables[table]
    return [dict(zip(spec["columns"], row, strict=True)) for row in spec["rows"]]


def test_the_finding_tables_list_the_site_s_defects(
    example: tuple[Project, GroundTruth, ReportData, Any],
) -> None:
    project, truth, data, _ = example
    orphans = rows(data, "orphans")
    assert sorted(r["url"] for r in orphans) == list(truth.orphan_pages)
    islands = {f["url"]: f["island"] for f in project.finding_details("orphan").to_pylist()}
    assert {r["url"]: r["island"] for r in orphans} == islands
    assert data.tables["orphans"]["group_sizes"] == {
        i: list(islands.values()).count(i) for i in islands.values()
    }
    broken = rows(data, "broken-links")
    assert sum(r["occurrences"] for r in broken) == truth.broken_link_count
    assert {r["url"] for r in broken} == {b.dst_url for b in truth.broken_links}
    want = sorted((b.src_url, b.dst_url) for b in truth.broken_links)
    assert sorted({(r["source"], r["url"]) for r in broken}) == sorted(set(want))
    assert all(r["position"] and r["anchor"] is not None for r in broken)
    redirects = rows(data, "redirects")
    chains = sorted(c.url for c in truth.redirect_chains if not c.is_loop and len(c.hops) >= 2)
    assert sorted(r["url"] for r in redirects if r["kind"] == "chain") == chains
    assert sorted(r["url"] for r in redirects if r["kind"] == "loop") == sorted(
        truth.redirect_loops
    )


def test_the_backlink_and_plan_sections(
    example: tuple[Project, GroundTruth, ReportData, Any],
) -> None:
    project, _, data, want = example
    summary = {r["measure"]: r["value"] for r in rows(data, "backlink-summary")}
    assert summary["live backlinks"] == want.live_backlinks
    assert summary["referring domains"] == len(want.referring_domains)
    reclaim = rows(data, "backlink-reclaim")
    assert sum(1 for r in reclaim if r["target_role"] == "broken") == want.to_broken
    saved = project.table("recommendations").to_pylist()
    shown = rows(data, "recommendations")
    assert [(r["source_url"], r["target_url"], r["anchor"]) for r in shown] == [
        (r["source_url"], r["target_url"], r["anchor"]) for r in saved
    ]
    assert shown[0]["predicted_gain"] == pytest.approx(100 * saved[0]["predicted_gain"])
    assert rows(data, "clusters")  # the example site's text makes topics


def test_the_crawl_path_is_the_click_tree(
    example: tuple[Project, GroundTruth, ReportData, Any], tmp_path: Any
) -> None:
    project, truth, data, _ = example
    tree = data.crawl_path
    assert tree is not None
    clicks = project.click_tree().to_pylist()
    assert tree["total"] == len(clicks) == len(tree["url"])
    urls = [u if u.startswith("http") else tree["prefix"] + u for u in tree["url"]]
    deepest = urls[-1]
    walked = [len(urls) - 1]
    while tree["parent"][walked[0]] >= 0:
        walked.insert(0, tree["parent"][walked[0]])
    assert [urls[i] for i in walked] == project.click_path(deepest)
    assert not set(truth.orphan_pages) & set(urls)
    out = tmp_path / "report.html"
    size = write_report(project, out)
    print(f"report of the {len(truth.pages)}-URL example site: {size / 1e3:.0f} kB")
