"""Seeded random crawls for the plan tests: pages, redirects, broken and external targets."""

from __future__ import annotations

import copy

import numpy as np

from tests.unit.equity.builder import Crawl

POSITIONS = ("content", "navigation", "header", "footer", "sidebar")


def random_crawl(seed: int, pages: int = 30, links: int = 160) -> Crawl:
    """A crawl of ``pages`` live pages (a few noindex, one meta-nofollow), two redirects, a
    broken page, and ``links`` links at random positions, some nofollow, some external."""
    rng = np.random.default_rng(seed)
    crawl = Crawl()
    names = [f"p{i}" for i in range(pages)]
    for i, name in enumerate(names):
        meta = "noindex" if i % 11 == 5 else ("nofollow" if i == 7 else None)
        crawl.page(name, meta_robots=meta, title=f"Page {i}")
    crawl.page("old-1", 301, redirect="p1").page("old-2", 301, redirect="old-1")
    crawl.page("gone", 404)
    targets = [*names, "old-1", "old-2", "gone", "https://other.example/x"]
    for _ in range(links):
        src = names[int(rng.integers(pages))]
        dst = targets[int(rng.integers(len(targets)))]
        if dst == src:
            continue
        rel = "nofollow" if rng.random() < 0.1 else None
        crawl.link(src, dst, position=str(rng.choice(POSITIONS)), rel=rel)
    return crawl


def changed_crawl(crawl: Crawl, changes: list[tuple[str, str, str, str | None]]) -> Crawl:
    """The crawl as it would be re-crawled after the changes (action, source, target, value):
    add appends a link, remove drops every link between the two, nofollow and follow set the
    rel, position moves them."""
    result = copy.deepcopy(crawl)
    for action, src, dst, value in changes:
        rows = [link for link in result.links if link["src_url"] == src and link["dst_url"] == dst]
        if action == "add":
            result.link(src, dst, position=value or "content")
        elif action == "remove":
            result.links = [link for link in result.links if not any(link is r for r in rows)]
        for row in rows:
            if action == "nofollow":
                row["is_nofollow"], row["rel"] = True, "nofollow"
            elif action == "follow":
                row["is_nofollow"] = row["is_sponsored"] = row["is_ugc"] = False
                row["rel"] = None
            elif action == "position":
                row["position"] = value
    return result
