"""The report's crawl path: the click tree from the start URL, as compact JSON (present stage).

The tree is :meth:`~linkequity.project.Project.click_tree` (each reached URL's click depth
and parent along followed links), drawn by ``templates/crawlpath.js`` as Screaming Frog and
Sitebulb draw their crawl maps: an expandable tree, children by Link Score, big fan-outs
folded; and for any page the shortest click path, walked up its parents in the browser.

It travels as parallel arrays, a node's parent given by its index, which for a 20,000-page
site is about a megabyte: nodes are numbered breadth-first, each node's children together
and by Link Score (best first), so a parent always comes before its children and the page
builds each child list in one pass. URLs on the start URL's origin are written from their
path on (``prefix`` holds the origin once).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from linkequity.project import Project

__all__ = ["TREE_NODES", "crawl_path_data"]

#: Nodes embedded: the nearest first, so a capped tree is still a tree; 50,000 nodes are
#: about 2.5 MB of JSON (50 bytes of URL path and numbers each).
TREE_NODES = 50_000


def crawl_path_data(project: Project, crawl_id: int) -> dict[str, Any] | None:
    """The click tree as ``{"prefix", "url", "parent", "depth", "score", "role", "total"}``
    (``parent`` -1 for the start URL, ``score`` the Link Score, ``role`` by node index for
    the nodes that are not pages); None when the start URL reaches nothing."""
    tree = project.click_tree(crawl_id).to_pylist()
    if not tree:
        return None
    start = next(r["url"] for r in tree if r["parent_url"] is None)
    parts = urlsplit(start)
    prefix = f"{parts.scheme}://{parts.netloc}"
    by_depth: dict[int, list[dict[str, Any]]] = {}
    for row in tree:
        by_depth.setdefault(int(row["crawl_depth"]), []).append(row)
    index: dict[str, int] = {}
    ordered: list[dict[str, Any]] = []

    def link_score(row: dict[str, Any]) -> float:
        return -1.0 if row["link_score"] is None else float(row["link_score"])

    for depth in sorted(by_depth):
        level = sorted(
            by_depth[depth],
            key=lambda r: (
                index.get(r["parent_url"], -1),
                -link_score(r),
                r["url"],
            ),
        )
        for row in level:
            if len(ordered) == TREE_NODES:
                break
            index[row["url"]] = len(ordered)
            ordered.append(row)
    roles = {str(i): row["role"] for i, row in enumerate(ordered) if row["role"] != "page"}
    return {
        "prefix": prefix,
        "url": [_short(r["url"], prefix) for r in ordered],
        "parent": [index.get(r["parent_url"], -1) for r in ordered],
        "depth": [int(r["crawl_depth"]) for r in ordered],
        "score": [_rounded(r["link_score"]) for r in ordered],
        "role": roles,
        "total": len(tree),
    }


def _short(url: str, prefix: str) -> str:
    """The URL from its path on when it is on the start URL's origin (never when the rest
    does not start a path: ``https://shop.example.evil/`` keeps its whole form)."""
    rest = url[len(prefix) :]
    return rest if url.startswith(prefix) and rest.startswith("/") else url


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)
