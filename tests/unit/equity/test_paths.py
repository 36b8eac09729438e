"""The crawl path tree: hand-computed on a small site, and held to networkx's shortest paths
on random sites."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from linkequity import Project
from linkequity.errors import StoreError
from tests.unit.equity.builder import SITE, Crawl, url


def small(tmp_path: Path) -> Project:
    """/ links b and a (in that order); a and b both link c; c links d nofollow; b links
    the redirect /old, which leads to /new; e is linked only from the meta-nofollow page f,
    which nothing links."""
    crawl = Crawl().page("").page("a").page("b").page("c").page("d").page("e")
    crawl.page("f", meta_robots="nofollow").page("old", 301, redirect="new").page("new")
    crawl.link("", "b").link("", "a").link("a", "c").link("b", "c").link("c", "d", rel="nofollow")
    crawl.link("b", "old").link("f", "e")
    path = crawl.save(tmp_path / "p.duckdb")
    project = Project(path)
    project.analyze()
    return project


def test_the_tree_of_a_small_site(tmp_path: Path) -> None:
    project = small(tmp_path)
    tree = {r["url"]: (r["crawl_depth"], r["parent_url"]) for r in project.click_tree().to_pylist()}
    assert tree == {
        url(""): (0, None),
        url("a"): (1, url("")),
        url("b"): (1, url("")),
        # a and b are both one click nearer; the search takes a first (URL order)
        url("c"): (2, url("a")),
        url("old"): (2, url("b")),
        url("new"): (3, url("old")),
    }
    assert project.click_path(url("new")) == [url(""), url("b"), url("old"), url("new")]
    assert project.click_path(url("")) == [SITE]
    # nofollow, and a meta-nofollow page nothing reaches: no path
    assert project.click_path(url("d")) == [] and project.click_path(url("e")) == []
    assert project.click_path("https://elsewhere.example/") == []
    # as a user types it: the host's case and a default port do not matter
    assert project.click_path("HTTPS://Shop.Example:443/c") == [url(""), url("a"), url("c")]


def test_the_tree_is_kept_with_the_scores(tmp_path: Path) -> None:
    project = small(tmp_path)
    rows = {r["url"]: r for r in project.page_scores().to_pylist()}
    assert rows[url("new")]["click_depth"] == 3 and rows[url("new")]["click_parent"] == url("old")
    assert rows[url("d")]["click_depth"] is None and rows[url("d")]["click_parent"] is None


def test_a_crawl_not_analysed_has_no_tree(tmp_path: Path) -> None:
    path = Crawl().page("").page("a").link("", "a").save(tmp_path / "p.duckdb")
    with pytest.raises(StoreError, match="has not been analyzed yet"):
        Project(path).click_tree()
    with pytest.raises(StoreError, match="has not been analyzed yet"):
        Project(path).click_path(url("a"))


@pytest.mark.parametrize("seed", range(5))
def test_depths_and_parents_agree_with_networkx(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    n = 60
    crawl = Crawl()
    for i in range(n):
        crawl.page("" if i == 0 else f"p{i}")
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    for _ in range(150):
        s, d = rng.randrange(n), rng.randrange(n)
        if s == d:
            continue
        nofollow = rng.random() < 0.15
        crawl.link("" if s == 0 else f"p{s}", "" if d == 0 else f"p{d}",
                   rel="nofollow" if nofollow else None)  # fmt: skip
        if not nofollow:
            graph.add_edge(s, d)
    project = Project(crawl.save(tmp_path / "p.duckdb"))
    project.analyze()
    expected = nx.single_source_shortest_path_length(graph, 0)
    name = {i: url("" if i == 0 else f"p{i}") for i in range(n)}
    node = {v: k for k, v in name.items()}
    tree = project.click_tree().to_pylist()
    assert {node[r["url"]]: r["crawl_depth"] for r in tree} == expected
    for row in tree[1:]:
        # the parent is one click nearer and links to the page with a followed link
        parent = node[row["parent_url"]]
        assert expected[parent] == row["crawl_depth"] - 1
        assert graph.has_edge(parent, node[row["url"]])
    for r in tree:
        path = project.click_path(r["url"])
        assert len(path) == r["crawl_depth"] + 1 and path[0] == SITE and path[-1] == r["url"]
