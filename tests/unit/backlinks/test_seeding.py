"""Backlinks seed the teleport: strengths, one vote per referring domain, the blended scores."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from linkequity import Project
from linkequity.backlinks.current import current_backlinks
from linkequity.equity.pagerank import pagerank
from linkequity.settings import EquitySettings
from linkequity.store import Store
from tests.unit.backlinks.snapshots import add_snapshot
from tests.unit.equity.builder import Crawl, url


def site(tmp_path: Path) -> Path:
    crawl = Crawl().page("", title="Home | Ridge Outfitters").page("b").page("c")
    crawl.page("old", 301, redirect="c")
    crawl.link("", "b").link("b", "").link("c", "")
    return crawl.save(tmp_path / "p.duckdb")


def test_current_backlinks_merge_snapshots_and_mark_new_and_lost(tmp_path: Path) -> None:
    path = site(tmp_path)
    with Store(path) as store:
        add_snapshot(store, 1, [
            {"referring_url": "https://a.example/1", "target_url": url("b"),
             "first_seen": date(2024, 1, 5)},
            {"referring_url": "https://gone.example/", "target_url": url("b")},
        ], exported_on=date(2025, 1, 1))  # fmt: skip
        add_snapshot(store, 2, [
            {"referring_url": "https://a.example/1", "target_url": url("b"),
             "first_seen": date(2024, 3, 1), "authority": 60.0},
            {"referring_url": "https://fresh.example/", "target_url": url("c")},
        ], exported_on=date(2025, 6, 1))  # fmt: skip
        add_snapshot(store, 3, [
            {"referring_url": "https://a.example/1", "target_url": url("b"), "anchor": "Ridge"},
        ], tool="gsc")  # fmt: skip
        rows = {r["referring_url"]: r for r in current_backlinks(store).to_pylist()}
    assert sorted(rows) == ["https://a.example/1", "https://fresh.example/",
                            "https://gone.example/"]  # fmt: skip
    a = rows["https://a.example/1"]
    assert (a["first_seen"], sorted(a["tools"])) == (date(2024, 1, 5), ["ahrefs", "gsc"])
    assert not a["lost"] and not a["is_new"]
    assert rows["https://gone.example/"]["lost"]
    assert rows["https://fresh.example/"]["is_new"]


def test_backlinks_seed_the_teleport(tmp_path: Path) -> None:
    path = site(tmp_path)
    with Store(path) as store:
        add_snapshot(store, 1, [
            # two links from one domain to /c (one through the redirect): one vote, the strongest
            {"referring_url": "https://news.example/a", "target_url": url("old"),
             "authority": 80.0},
            {"referring_url": "https://news.example/b", "target_url": url("c"), "authority": 40.0},
            {"referring_url": "https://blog.example/", "target_url": url("b"), "authority": 20.0,
             "is_nofollow": True},
            {"referring_url": "https://x.example/", "target_url": url("missing"),
             "authority": 90.0},
        ])  # fmt: skip
    project = Project(path)
    project.analyze()
    rows = {r["url"]: r for r in project.page_scores().to_pylist()}
    analysis = project.table("analyses").to_pylist()[0]
    assert (analysis["backlinks"], analysis["backlinks_placed"]) == (4, 3)
    assert rows[url("c")]["backlink_seed"] == pytest.approx(1.0)  # the nofollow link is 0
    # no page links to /c: its backlinks make it a known orphan
    orphans = project.findings(kind="orphan").to_pylist()
    assert [(o["url"], o["summary"]) for o in orphans] == [
        (
            url("c"),
            "No followed link from the start page reaches it; known from backlinks "
            "from 1 domain(s); no page links to it",
        )
    ]
    # the blend is the teleport (1 - w) uniform + w seed, solved directly
    with Store(path, read_only=True) as store:
        from linkequity.equity import build_graph

        graph = build_graph(store, 1, EquitySettings())
    teleport = 0.5 * np.full(3, 1 / 3) + 0.5 * np.array([0.0, 0.0, 1.0])
    want = pagerank(graph.transitions, teleport=teleport, tol=1e-13).scores
    got = [rows[u]["score"] for u in graph.urls]
    np.testing.assert_allclose(got, want, atol=1e-10)
    internal = pagerank(graph.transitions, tol=1e-13).scores
    np.testing.assert_allclose([rows[u]["internal_score"] for u in graph.urls], internal,
                               atol=1e-10)  # fmt: skip
    # /c has no internal inlinks: beyond its uniform teleport share, everything it holds
    # comes from its backlinks
    c = rows[url("c")]
    assert c["from_backlinks"] > 0.5 > rows[url("b")]["from_backlinks"]
    # the share brought by backlinks, from the unnormalised linear systems solved densely
    p = graph.transitions.toarray()
    solve = np.linalg.inv(np.eye(3) - 0.85 * p.T)
    y_uniform, y_seed = solve @ np.full(3, 1 / 3), solve @ np.array([0.0, 0.0, 1.0])
    brought = 0.5 * y_seed / (0.5 * y_uniform + 0.5 * y_seed)
    np.testing.assert_allclose([rows[u]["from_backlinks"] for u in graph.urls], brought,
                               atol=1e-9)  # fmt: skip


def test_no_backlinks_means_internal_scores(tmp_path: Path) -> None:
    project = Project(site(tmp_path))
    project.analyze()
    for row in project.page_scores().to_pylist():
        if row["score"] is not None:
            assert row["score"] == row["internal_score"]
            assert row["from_backlinks"] is None
