"""The link graph's data: its pages are the pages holding equity, its links pass what
``Project.outlinks`` says they pass, directories group the pages past the threshold, and
the layout is the same on every run."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from linkequity import Project
from linkequity.present.report.graph import EDGES_PER_PAGE, graph_data, subfolder
from linkequity.present.report.layout import SCALE, layout
from linkequity.urls import first_folder
from tests.unit.equity.builder import Crawl, url

SHOP = 12


def shop(tmp_path: Path) -> Project:
    """A home page, a shop of 12 products in a ring, a blog post, a redirect and a 404."""
    crawl = Crawl().page("", title="Home").page("blog/post", title="Post")
    for i in range(SHOP):
        crawl.page(f"shop/p{i}", title=f"Product {i}")
        crawl.link("", f"shop/p{i}", position="navigation").link(f"shop/p{i}", "")
        crawl.link(f"shop/p{i}", f"shop/p{(i + 1) % SHOP}")
    crawl.page("old", 301, redirect="shop/p3").page("gone", 404)
    crawl.link("", "blog/post").link("blog/post", "old").link("blog/post", "old")
    crawl.link("blog/post", "gone").link("blog/post", "shop/p5", rel="nofollow")
    path = crawl.save(tmp_path / "p.duckdb")
    Project(path).analyze()
    return Project(path)


def passed(project: Project) -> dict[tuple[str, str], float]:
    """(source, target page) -> the equity its links pass, summed from ``outlinks``."""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for row in project.page_scores(sort="score").to_pylist():
        if row["score"] is None:
            continue
        for link in project.outlinks(row["url"]).to_pylist():
            if link["outcome"] == "passes":
                sums[(link["src_url"], link["target_url"])] += link["equity"]
    return dict(sums)


def test_the_graph_holds_every_page_with_equity_and_what_each_link_passes(
    tmp_path: Path,
) -> None:
    project = shop(tmp_path)
    data = graph_data(project)
    pages = data["pages"]
    holding = {r["url"] for r in project.page_scores().to_pylist() if r["score"] is not None}
    assert set(pages["url"]) == holding
    assert len(holding) == SHOP + 2  # home, post, products; not the redirect nor the 404
    reference = passed(project)
    # the redirect is followed to p3; the nofollow link to p5 and the 404 pass nothing
    assert (url("blog/post"), url("shop/p3")) in reference
    assert (url("blog/post"), url("shop/p5")) not in reference
    edges = data["edges"]
    found = {
        (pages["url"][s], pages["url"][d]): e
        for s, d, e in zip(edges["src"], edges["dst"], edges["equity"], strict=True)
    }
    assert found.keys() == reference.keys()  # the site is small: every pair is kept
    assert data["total_edges"] == len(reference)
    for pair, equity in reference.items():
        assert found[pair] == pytest.approx(equity * 100, rel=5e-3)  # percent, 3 digits
    assert edges["equity"] == sorted(edges["equity"], reverse=True)
    home = pages["url"].index(url(""))
    assert pages["outlinks"][home] == SHOP + 1
    assert pages["inlinks"][home] == SHOP
    assert pages["title"][home] == "Home"
    assert pages["status"][home] == 200
    assert data["directories"] == ["/", "/blog/", "/shop/"]
    assert [data["directories"][d] for d in pages["directory"]] == [
        first_folder(u) for u in pages["url"]
    ]
    assert data["groups"] is None


def test_each_page_keeps_its_strongest_links_when_there_are_many(tmp_path: Path) -> None:
    crawl = Crawl().page("")
    for i in range(30):
        crawl.page(f"p{i}").link("", f"p{i}").link(f"p{i}", "")
        for j in range(1, i % 15 + 2):
            crawl.link(f"p{i}", f"p{(i + j) % 30}")
    path = crawl.save(tmp_path / "p.duckdb")
    Project(path).analyze()
    data = graph_data(Project(path))
    reference = passed(Project(path))
    pages, edges = data["pages"], data["edges"]
    assert data["total_edges"] == len(reference) > len(edges["src"])
    for node in range(len(pages["url"])):
        mine = [e for e, s in enumerate(edges["src"]) if s == node]
        strongest = sorted(
            (v for (s, _), v in reference.items() if s == pages["url"][node]), reverse=True
        )
        # at least its strongest outlinks (some kept as another page's strongest inlinks)
        assert len(mine) >= min(EDGES_PER_PAGE, len(strongest))
        kept = sorted((edges["equity"][e] for e in mine), reverse=True)[:EDGES_PER_PAGE]
        assert kept == pytest.approx([v * 100 for v in strongest[:EDGES_PER_PAGE]], rel=5e-3)


def test_above_the_threshold_directories_group_the_pages(tmp_path: Path) -> None:
    project = shop(tmp_path)
    data = graph_data(project, group_above=5)
    groups = data["groups"]
    pages = data["pages"]
    assert groups is not None and groups["by"] == "directory"
    names = data["directories"]
    assert dict(zip(names, groups["pages"], strict=True)) == {"/": 1, "/blog/": 1, "/shop/": SHOP}
    for g in range(len(names)):
        members = [i for i, d in enumerate(pages["directory"]) if d == g]
        total = sum(pages["share"][i] for i in members)
        assert groups["share"][g] == pytest.approx(total, rel=5e-3)
    flows = project.link_flows()
    between: dict[tuple[str, str], float] = defaultdict(float)
    for s, d, e in zip(flows.src, flows.dst, flows.equity, strict=True):
        a, b = first_folder(flows.urls[s]), first_folder(flows.urls[d])
        if a != b:
            between[(a, b)] += e * 100
    found = {
        (names[s], names[d]): e
        for s, d, e in zip(groups["src"], groups["dst"], groups["equity"], strict=True)
    }
    assert found.keys() == between.keys()
    for pair, equity in between.items():
        assert found[pair] == pytest.approx(equity, rel=5e-3)
    assert sum(groups["share"]) == pytest.approx(100.0, rel=1e-2)


def test_a_directory_above_the_threshold_splits_by_subfolder_or_draws_its_strongest(
    tmp_path: Path,
) -> None:
    """With groups above 5 pages: /shop/ (8 pages, two subfolders) is split by subfolder;
    /blog/ (7 pages, none) keeps its 5 strongest by Link Score on the canvas."""
    crawl = Crawl().page("", title="Home").page("shop/top")
    names = [f"shop/a/p{i}" for i in range(4)] + [f"shop/b/p{i}" for i in range(3)]
    for name in names:
        crawl.page(name).link("", name).link(name, "")
    crawl.link("", "shop/top").link("shop/top", "")
    for i in range(7):  # each post linked from the later ones: Link Scores all differ
        crawl.page(f"blog/post{i}").link("", f"blog/post{i}").link(f"blog/post{i}", "")
        for j in range(i + 1, 7):
            crawl.link(f"blog/post{j}", f"blog/post{i}")
    path = crawl.save(tmp_path / "p.duckdb")
    Project(path).analyze()
    data = graph_data(Project(path), group_above=5)
    groups, pages = data["groups"], data["pages"]
    assert data["directories"] == ["/", "/blog/", "/shop/", "/shop/a/", "/shop/b/"]
    assert groups["pages"] == [1, 7, 1, 4, 3]
    assert groups["drawn"] == [1, 5, 1, 4, 3]
    scores = {r["url"]: r["link_score"] for r in Project(path).page_scores().to_pylist()}
    blog = sorted((u for u in pages["url"] if "/blog/" in u), key=scores.__getitem__)
    assert scores[blog[1]] < scores[blog[2]]  # no tie where the 5 strongest end
    on_canvas = {u for u, x in zip(pages["url"], pages["x"], strict=True) if x is not None}
    assert on_canvas == set(pages["url"]) - set(blog[:2])
    for x, y in zip(pages["x"], pages["y"], strict=True):
        assert (x is None) == (y is None)
        assert x is None or (isinstance(x, int) and isinstance(y, int))
    # below the threshold nothing is split or left out
    whole = graph_data(Project(path), group_above=100)
    assert whole["directories"] == ["/", "/blog/", "/shop/"]
    assert None not in whole["pages"]["x"]


def test_a_subfolder_is_a_folder_a_page_lies_below() -> None:
    assert subfolder(url("shop/a/p0")) == "/shop/a/"
    assert subfolder(url("shop/a/b/p0.html")) == "/shop/a/"
    assert subfolder(url("shop/top")) == "/shop/"
    assert subfolder(url("products/tent/")) == "/products/"  # a page, not a folder of pages
    assert subfolder(url("")) == "/"


def test_the_layout_is_the_same_every_run_and_on_the_canvas(tmp_path: Path) -> None:
    project = shop(tmp_path)
    first, second = graph_data(project), graph_data(project)
    assert first["pages"]["x"] == second["pages"]["x"]
    assert first["pages"]["y"] == second["pages"]["y"]
    for axis in ("x", "y"):
        values = first["pages"][axis]
        assert all(isinstance(v, int) and 0 <= v <= SCALE for v in values)
    assert len(set(zip(first["pages"]["x"], first["pages"]["y"], strict=True))) == SHOP + 2


def test_the_layout_puts_linked_pages_near_each_other() -> None:
    """Two rings of 40 joined by one link: a page is nearer its own ring than the other."""
    ring = np.arange(40)
    src = np.concatenate([ring, ring + 40, [0]])
    dst = np.concatenate([(ring + 1) % 40, (ring + 1) % 40 + 40, [40]])
    x, y = layout(80, src, dst, seed=3)
    points = np.stack([x, y], axis=1).astype(float)
    centre_a, centre_b = points[:40].mean(axis=0), points[40:].mean(axis=0)
    apart = float(np.linalg.norm(centre_a - centre_b))
    spread = float(np.linalg.norm(points[:40] - centre_a, axis=1).mean())
    assert apart > spread
    assert all(math.isfinite(v) for v in points.ravel())
    again = layout(80, src, dst, seed=3)
    assert (again[0] == x).all() and (again[1] == y).all()


def test_the_layout_of_nothing_and_of_unlinked_pages() -> None:
    x, y = layout(0, np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert len(x) == len(y) == 0
    x, y = layout(5, np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert len(set(zip(x.tolist(), y.tolist(), strict=True))) == 5
