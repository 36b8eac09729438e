"""The crawl path the report embeds: the click tree as parent indices, which gives back every
parent and depth of the project's tree, children best first, and every page's shortest click
path as the project computes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from linkequity import Project
from linkequity.present.report import crawlpath
from linkequity.present.report.build import render, report_data
from linkequity.present.report.crawlpath import crawl_path_data
from tests.unit.equity.builder import Crawl, url


def site(tmp_path: Path) -> Project:
    """Home links three sections; the second is linked more (a higher Link Score); a redirect
    and a page two clicks down; an orphan no path reaches; a URL on another origin."""
    crawl = Crawl(sitemap=[url("orphan")]).page("").page("s1").page("s2").page("s3")
    crawl.page("s2/deep").page("old", 301, redirect="s3").page("orphan")
    crawl.page("https://shop.example.evil/x")
    crawl.link("", "s1").link("", "s2").link("", "s3").link("s1", "s2").link("s3", "s2")
    crawl.link("s2", "s2/deep").link("s1", "old").link("s2", "https://shop.example.evil/x")
    crawl.link("s3", "")
    project = Project(crawl.save(tmp_path / "p.duckdb"))
    project.analyze()
    return project


def tree_of(data: dict[str, object]) -> dict[str, tuple[str | None, int]]:
    """URL -> (parent URL, depth), read back from the embedded arrays."""
    prefix = data["prefix"]
    assert isinstance(prefix, str)
    urls = [u if u.startswith("http") else prefix + u for u in data["url"]]  # type: ignore[attr-defined]
    parents, depths = data["parent"], data["depth"]
    return {
        u: (urls[p] if p >= 0 else None, d)
        for u, p, d in zip(urls, parents, depths, strict=True)  # type: ignore[call-overload]
    }


def test_the_embedded_tree_is_the_click_tree(tmp_path: Path) -> None:
    project = site(tmp_path)
    data = crawl_path_data(project, 1)
    assert data is not None
    want = {r["url"]: (r["parent_url"], r["crawl_depth"]) for r in project.click_tree().to_pylist()}
    assert tree_of(data) == want
    assert url("orphan") not in want and data["total"] == len(want)
    assert data["prefix"] == "https://shop.example"
    assert data["url"][0] == "/" and "/s2/deep" in data["url"]
    # another origin whose name starts like the start URL's keeps its whole URL
    assert "https://shop.example.evil/x" in data["url"]
    # a parent before its children, children by Link Score, best first
    parents, scores = data["parent"], data["score"]
    assert all(parents[i] < i for i in range(1, len(parents)))
    children = [i for i, p in enumerate(parents) if p == 0]
    assert [scores[i] for i in children] == sorted((scores[i] for i in children), reverse=True)
    assert data["url"][children[0]] == "/s2"  # linked from every section
    assert data["role"] == {str(data["url"].index("/old")): "redirect"}


def test_each_page_s_path_up_its_parents_is_the_shortest_click_path(tmp_path: Path) -> None:
    project = site(tmp_path)
    tree = tree_of(crawl_path_data(project, 1) or {})
    for page in tree:
        walked = [page]
        while (parent := tree[walked[0]][0]) is not None:
            walked.insert(0, parent)
        assert walked == project.click_path(page), page
    assert project.click_path(url("s2/deep")) == [url(""), url("s2"), url("s2/deep")]


def test_a_large_tree_embeds_its_nearest_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = site(tmp_path)
    monkeypatch.setattr(crawlpath, "TREE_NODES", 4)
    data = crawl_path_data(project, 1)
    assert data is not None
    assert len(data["url"]) == 4 and data["total"] == 7
    assert max(data["depth"]) == 1  # the start URL and the three pages one click away
    html = render(report_data(project))
    assert "(the nearest 4 of 7 pages shown)" in html


def test_a_crawl_without_its_start_url_says_so(tmp_path: Path) -> None:
    path = Crawl().page("a").page("b").link("a", "b").save(tmp_path / "p.duckdb")
    Project(path).analyze()
    data = report_data(Project(path))
    assert data.crawl_path is None
    html = render(data)
    assert "None: the start URL reaches no page along followed links." in html
    assert 'id="report-crawl-path"' not in html
