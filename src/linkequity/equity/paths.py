"""Crawl paths: the click tree from the start URL along followed links (analyze stage).

A crawler that starts at the start URL and follows what a search engine follows (links
without ``nofollow`` on pages that do not say nofollow, redirects, and the canonicals of
live pages) meets each page first along a shortest path of clicks. Those first meetings form
a tree, the crawl map Screaming Frog and Sitebulb draw: each page's *parent* is a page one
click nearer the start that leads to it, and its *click depth* is the number of clicks. A
page no such path reaches is not in the tree (the orphans of :mod:`~.orphans`).

Where several pages one click nearer lead to a page, the parent is the one a breadth-first
search meets first when it takes each page's links in URL order: the same crawl gives the
same tree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order

from linkequity.equity.graph import EquityGraph
from linkequity.store import Store

__all__ = ["ClickTree", "click_tree"]

# Distinct source -> target pairs a crawler follows: links without nofollow from live pages
# that do not say nofollow, redirects, and canonicals of live pages.
_FOLLOWED_SQL = """
    SELECT DISTINCT l.src_url, l.dst_url
    FROM links l JOIN pages p ON p.crawl_id = l.crawl_id AND p.url = l.src_url
    WHERE l.crawl_id = $1 AND l.src_url <> l.dst_url AND NOT l.is_nofollow
      AND p.status_code BETWEEN 200 AND 299
      AND l.src_url NOT IN (SELECT url FROM _nofollow)
    UNION
    SELECT url, redirect_url FROM pages
    WHERE crawl_id = $1 AND redirect_url IS NOT NULL AND status_code BETWEEN 300 AND 399
    UNION
    SELECT url, canonical_url FROM pages
    WHERE crawl_id = $1 AND canonical_url IS NOT NULL AND canonical_url <> url
      AND status_code BETWEEN 200 AND 299
"""


@dataclass(frozen=True, slots=True)
class ClickTree:
    """The URLs the start URL reaches, each with its click depth and parent."""

    start_url: str
    depth: dict[str, int]
    """URL -> clicks from the start URL (0 for the start URL itself)."""
    parent: dict[str, str]
    """URL -> the page one click nearer the start that leads to it (the start URL has none)."""

    @property
    def reachable(self) -> set[str]:
        return set(self.depth)

    def path(self, url: str) -> list[str]:
        """The start URL, ..., ``url``; empty when no followed-link path reaches ``url``."""
        if url not in self.depth:
            return []
        path = [url]
        while path[-1] in self.parent:
            path.append(self.parent[path[-1]])
        return path[::-1]


def click_tree(store: Store, crawl_id: int, graph: EquityGraph) -> ClickTree | None:
    """The click tree of a crawl over the URLs the graph resolves; None when the start URL is
    not among them (nothing can be said)."""
    row = store.one("SELECT start_url FROM crawls WHERE crawl_id = ?", [crawl_id])
    urls = sorted(graph.resolutions)
    index = {url: i for i, url in enumerate(urls)}
    if row is None or row[0] not in index:
        return None
    nofollow = pa.table({"url": pa.array(sorted(graph.nofollow_pages), pa.string())})
    with store.registered(_nofollow=nofollow):
        pairs = store.rows(_FOLLOWED_SQL, [crawl_id])
    src = [index[s] for s, d in pairs if s in index and d in index]
    dst = [index[d] for s, d in pairs if s in index and d in index]
    n = len(urls)
    # a CSR matrix keeps each row's columns sorted: the search takes a page's links in URL order
    edges = sp.csr_array((np.ones(len(src)), (src, dst)), shape=(n, n))
    edges.sum_duplicates()
    start = index[row[0]]
    order, predecessors = breadth_first_order(edges, start, directed=True)
    depth = np.zeros(n, np.int64)
    for node in order[1:]:
        depth[node] = depth[predecessors[node]] + 1
    return ClickTree(
        start_url=row[0],
        depth={urls[i]: int(depth[i]) for i in order},
        parent={urls[i]: urls[predecessors[i]] for i in order[1:]},
    )
