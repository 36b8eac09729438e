"""The report's sections of findings, anchors, backlinks, topics and recommendations: what
each embeds is what the project's tables and findings hold, and a section without data says
so instead of drawing an empty table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from linkequity import Project
from linkequity.present.report.build import render, report_data
from linkequity.present.report.sections import report_sections, table_spec
from linkequity.store import Store
from tests.unit.backlinks.snapshots import add_snapshot
from tests.unit.equity.builder import Crawl, url

HOSTILE = "<script>alert(1)</script>"


def defects(tmp_path: Path) -> Path:
    """Two islands of orphans (two pages and one), broken links, a chain, a loop, anchors
    that are generic or name two pages."""
    crawl = Crawl(sitemap=[url("old/"), url("old/terms"), url("lone")])
    crawl.page("", title="Home").page("tents").page("boots").page("socks")
    crawl.page("gone", 404).page("missing", 410)
    crawl.page("r1", 301, redirect="r2").page("r2", 301, redirect="tents")
    crawl.page("loop1", 301, redirect="loop2").page("loop2", 301, redirect="loop1")
    crawl.page("old/").page("old/terms").page("lone")
    crawl.link("", "tents", anchor="Winter gear").link("", "boots", anchor="Winter gear")
    crawl.link("", "socks", anchor="click here").link("tents", "socks", anchor="read more")
    crawl.link("tents", "gone", anchor=HOSTILE, position="navigation")
    crawl.link("boots", "gone", anchor="old page").link("boots", "missing", anchor="")
    crawl.link("socks", "r1").link("socks", "loop1").link("boots", "")
    crawl.link("socks", "tents", anchor="Winter gear").link("socks", "boots", anchor="Winter gear")
    crawl.link("old/", "old/terms").link("old/terms", "old/")
    return crawl.save(tmp_path / "p.duckdb")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    site = Project(defects(tmp_path_factory.mktemp("sections")))
    site.analyze()
    return site


@pytest.fixture(scope="module")
def sections(project: Project) -> dict[str, dict[str, object]]:
    return report_sections(project, 1)


def records(spec: dict[str, object]) -> list[dict[str, object]]:
    columns = spec["columns"]
    assert isinstance(columns, list) and isinstance(spec["rows"], list)
    return [dict(zip(columns, row, strict=True)) for row in spec["rows"]]


def test_orphans_are_grouped_by_the_islands_of_their_findings(
    project: Project, sections: dict[str, dict[str, object]]
) -> None:
    found = project.finding_details("orphan").to_pylist()
    spec = sections["orphans"]
    rows = records(spec)
    assert sorted(r["url"] for r in rows) == sorted(f["url"] for f in found) == [
        url("lone"), url("old/"), url("old/terms")
    ]  # fmt: skip
    assert {r["url"]: r["island"] for r in rows} == {f["url"]: f["island"] for f in found}
    # the largest island first, its top page first; each group sized by its findings
    assert [r["url"] for r in rows] == [url("old/"), url("old/terms"), url("lone")]
    assert spec["group"] == "island" and spec["group_unit"] == ("orphan", "orphans")
    assert spec["group_sizes"] == {url("old/"): 2, url("lone"): 1}
    assert spec["title"] == "Orphan pages: 3 in 2 island(s)"
    assert rows[2]["found_in"] == url("sitemap.xml")


def test_broken_links_carry_their_source_anchor_and_position(
    project: Project, sections: dict[str, dict[str, object]]
) -> None:
    spec = sections["broken-links"]
    rows = records(spec)
    want = sorted(
        (f["url"], s["source"], s["anchor"], s["position"], s["occurrences"])
        for f in project.finding_details("broken_link").to_pylist()
        for s in f["sources"]
    )
    got = sorted(
        (r["url"], r["source"], r["anchor"], r["position"], r["occurrences"]) for r in rows
    )
    assert got == want
    assert (url("gone"), url("tents"), HOSTILE, "navigation", 1) in got
    assert {r["url"]: r["status"] for r in rows} == {url("gone"): 404, url("missing"): 410}
    assert spec["title"] == "Broken links: 3 link(s) to 2 broken URL(s)"
    assert spec["group_sizes"] == {url("gone"): 2, url("missing"): 1}
    assert [r["url"] for r in rows][:2] == [url("gone")] * 2  # the most linked first


def test_redirect_chains_and_loops(sections: dict[str, dict[str, object]]) -> None:
    rows = {(r["kind"], r["url"]): r for r in records(sections["redirects"])}
    assert set(rows) == {("chain", url("r1")), ("loop", url("loop1")), ("loop", url("loop2"))}
    chain = rows["chain", url("r1")]
    assert chain["chain"] == f"{url('r1')} -> {url('r2')} -> {url('tents')}"
    assert (chain["hops"], chain["final_url"]) == (2, url("tents"))
    assert sections["redirects"]["title"] == "Redirect chains and loops: 1 chain(s), 2 loop(s)"


def test_anchor_health_counts_the_anchors_table(
    project: Project, sections: dict[str, dict[str, object]]
) -> None:
    anchors = project.anchors().to_pylist()
    rows = {r["target_url"]: r for r in records(sections["anchor-health"])}
    for target, row in rows.items():
        mine = [a for a in anchors if a["target_url"] == target]
        assert row["links"] == sum(a["links"] for a in mine)
        assert row["anchors"] == len(mine)
        assert row["generic_links"] == sum(a["links"] for a in mine if a["is_generic"])
    assert rows[url("socks")]["generic_links"] == 2
    assert "generic_anchor" in str(rows[url("socks")]["findings"])
    cannibal = records(sections["anchor-cannibalisation"])
    found = project.finding_details("anchor_cannibalisation").to_pylist()
    assert [(r["anchor"], r["targets"]) for r in cannibal] == [
        (f["anchor"], len(f["targets"])) for f in found
    ]
    assert cannibal[0]["anchor"] == "Winter gear" and cannibal[0]["targets"] == 2


def test_sections_without_data_say_none(tmp_path: Path) -> None:
    path = Crawl().page("").page("a").link("", "a").link("a", "").save(tmp_path / "p.duckdb")
    Project(path).analyze()
    data = report_data(Project(path))
    for name in ("orphans", "broken-links", "redirects", "backlinks", "recommendations"):
        assert data.tables[name]["rows"] == [], name
    assert data.tables["backlinks"]["empty"] == (
        "None: no backlinks imported (`linkequity import backlinks` adds them)."
    )
    html = render(data)
    assert '<div class="table" data-table="orphans">' not in html
    assert (
        '<p class="none">None: every live, indexable page is reached by followed links from '
        "the start page.</p>"
    ) in html
    assert '<div class="table" data-table="top-pages">' in html


def test_a_capped_table_says_how_many_exist() -> None:
    spec = table_spec("Things", ["n"], [{"n": i} for i in range(5)], limit=2, empty="None.")
    assert spec["title"] == "Things (the first 2 of 5 shown)"
    assert (spec["rows"], spec["total"]) == ([[0], [1]], 5)
    assert "empty" not in spec
    assert table_spec("Things", ["n"], [], empty="None.")["empty"] == "None."


def test_the_backlink_profile_and_reclaim_list_when_backlinks_were_imported(
    tmp_path: Path,
) -> None:
    path = defects(tmp_path)
    rows = [
        {"referring_url": "https://news.example/a", "target_url": url("tents"), "authority": 70.0},
        {"referring_url": "https://blog.example/b", "target_url": url("gone"), "authority": 30.0},
        {"referring_url": "https://blog.example/c", "target_url": url("r1"), "is_nofollow": True},
    ]
    with Store(path) as store:
        add_snapshot(store, 1, rows, exported_on=date(2026, 10, 1))
    project = Project(path)
    project.analyze()
    sections = report_sections(project, 1)
    assert "backlinks" not in sections
    summary = {r["measure"]: r["value"] for r in records(sections["backlink-summary"])}
    assert summary["live backlinks"] == 3 and summary["referring domains"] == 2
    assert summary["follow ratio"] == pytest.approx(2 / 3, abs=1e-4)
    domains = [r["domain"] for r in records(sections["backlink-domains"])]
    assert domains == [r["domain"] for r in project.backlink_report("domains").to_pylist()]
    reclaim = {r["referring_url"]: r for r in records(sections["backlink-reclaim"])}
    assert sorted(reclaim) == ["https://blog.example/b", "https://blog.example/c"]
    assert reclaim["https://blog.example/b"]["target_role"] == "broken"
    classes = records(sections["backlink-anchor-classes"])
    assert sum(r["links"] for r in classes) == 3
    # one export: nothing to compare with
    assert "backlink-domain-changes" not in sections


def test_backlinks_won_and_lost_since_the_previous_export(tmp_path: Path) -> None:
    path = defects(tmp_path)
    news = {"referring_url": "https://news.example/a", "target_url": url("tents")}
    blog = {"referring_url": "https://blog.example/b", "target_url": url("boots")}
    shop = {"referring_url": "https://shop.example.org/c", "target_url": url(""), "anchor": HOSTILE}
    with Store(path) as store:
        add_snapshot(store, 1, [news, blog], exported_on=date(2026, 10, 1))
        add_snapshot(store, 2, [news, shop], exported_on=date(2026, 11, 1))
    project = Project(path)
    project.analyze()
    sections = report_sections(project, 1)
    domains = sections["backlink-domain-changes"]
    assert domains["title"] == (
        "Referring domains won and lost since the previous backlinks export (import 1 -> 2)"
    )
    assert [(r["change"], r["referring_domain"]) for r in records(domains)] == [
        ("lost", "blog.example"),
        ("new", "shop.example.org"),
    ]
    assert domains["note"] == (
        "1 backlinks new, 1 backlinks lost, 1 referring domains new, 1 referring domains lost"
    )
    links = records(sections["backlink-link-changes"])
    assert [(r["change"], r["referring_url"], r["anchor"]) for r in links] == [
        ("lost", blog["referring_url"], "a link"),
        ("new", shop["referring_url"], HOSTILE),
    ]
