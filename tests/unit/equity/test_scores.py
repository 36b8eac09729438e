"""Per-page counts, ranks and anchor counts of an analysis, against plain recounts and scipy."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
from scipy.stats import rankdata

from linkequity import Project
from linkequity.equity.scores import _min_rank
from tests.unit.equity.builder import Crawl, url

POSITIONS = ("content", "navigation", "header", "footer", "sidebar", "unknown")
RELS = (None, None, None, "nofollow", "sponsored", "ugc nofollow")
ANCHORS = ("Home", "Tents", "", "read more", "Boots")


def random_crawl(seed: int) -> Crawl:
    """40 pages, one saying nofollow, with duplicate, self, external and non-http links."""
    rng = random.Random(seed)
    crawl = Crawl()
    paths = [f"p{i}" for i in range(40)]
    for path in paths:
        crawl.page(path, meta_robots="nofollow" if path == "p7" else None)
    targets = [*paths, "https://elsewhere.example/x", "mailto:shop@example.com", "p3"]
    for src in paths:
        crawl.link(src, "p0", position="header", anchor="")  # more empty anchors than examples
        for _ in range(rng.randint(0, 25)):
            crawl.link(
                src,
                rng.choice(targets),
                position=rng.choice(POSITIONS),
                rel=rng.choice(RELS),
                anchor=rng.choice(ANCHORS),
            )
    return crawl


def recount(crawl: Crawl) -> dict[str, dict[str, int]]:
    """The documented counts, one link at a time."""
    nofollow_pages = {p["url"] for p in crawl.pages if "nofollow" in str(p["meta_robots"])}
    counts = {
        str(p["url"]): {
            "inlinks": 0,
            "unique_inlinks": 0,
            "content_inlinks": 0,
            "followed_inlinks": 0,
            "outlinks": 0,
            "unique_outlinks": 0,
            "external_outlinks": 0,
        }
        for p in crawl.pages
    }
    sources: dict[str, set[str]] = {}
    content_sources: dict[str, set[str]] = {}
    targets: dict[str, set[str]] = {}
    for link in crawl.links:
        src, dst = str(link["src_url"]), str(link["dst_url"])
        if src == dst or not dst.startswith(("http://", "https://")):
            continue
        if not link["is_internal"]:
            counts[src]["external_outlinks"] += 1
            continue
        counts[src]["outlinks"] += 1
        targets.setdefault(src, set()).add(dst)
        if dst not in counts:
            continue
        counts[dst]["inlinks"] += 1
        sources.setdefault(dst, set()).add(src)
        if link["position"] == "content":
            content_sources.setdefault(dst, set()).add(src)
        said_nofollow = link["is_nofollow"] or link["is_sponsored"] or link["is_ugc"]
        if not said_nofollow and src not in nofollow_pages:
            counts[dst]["followed_inlinks"] += 1
    for page, row in counts.items():
        row["unique_inlinks"] = len(sources.get(page, ()))
        row["content_inlinks"] = len(content_sources.get(page, ()))
        row["unique_outlinks"] = len(targets.get(page, ()))
    return counts


def test_link_counts_match_a_plain_recount(tmp_path: Path) -> None:
    crawl = random_crawl(seed=11)
    site = Project(crawl.save(tmp_path / "random.duckdb"))
    site.analyze()
    expected = recount(crawl)
    found = {r["url"]: r for r in site.page_scores().to_pylist()}
    assert set(found) == set(expected)
    for page, want in expected.items():
        assert {k: found[page][k] for k in want} == want, page
    # the seed exercises every rule: self-links, nofollow pages, externals, duplicates
    assert expected[url("p3")]["inlinks"] > expected[url("p3")]["unique_inlinks"]
    assert any(row["external_outlinks"] for row in expected.values())
    assert expected[url("p7")]["outlinks"] > 0


def test_anchor_counts_match_a_plain_recount(tmp_path: Path) -> None:
    crawl = random_crawl(seed=12)
    site = Project(crawl.save(tmp_path / "random.duckdb"))
    site.analyze()
    pages = {p["url"] for p in crawl.pages}
    links: dict[tuple[str, str], int] = {}
    sources: dict[tuple[str, str], set[str]] = {}
    for link in crawl.links:
        src, dst, anchor = str(link["src_url"]), str(link["dst_url"]), str(link["anchor"])
        if dst in pages and src != dst:
            links[(dst, anchor)] = links.get((dst, anchor), 0) + 1
            sources.setdefault((dst, anchor), set()).add(src)
    found = {(r["target_url"], r["anchor"]): r for r in site.anchors().to_pylist()}
    assert {key: (r["links"], r["source_pages"]) for key, r in found.items()} == {
        key: (n, len(sources[key])) for key, n in links.items()
    }
    empty = {r["url"]: r for r in site.findings(kind="empty_anchor").to_pylist()}
    assert len(sources[(url("p0"), "")]) > 5
    for target, row in empty.items():
        assert json.loads(row["detail_json"])["examples"] == sorted(sources[(target, "")])[:5]


def test_ranks_share_the_lowest_place_like_scipy() -> None:
    rng = np.random.default_rng(5)
    for _ in range(50):
        values = np.round(rng.random(rng.integers(1, 400)) * rng.integers(1, 30))
        assert _min_rank(values).tolist() == rankdata(values, method="min").tolist()
