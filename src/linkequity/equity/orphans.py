"""Orphans: live, indexable pages no followed link path from the start page reaches (analyze stage).

A page is reachable when a path of followed links leads to it from the start URL: links
without ``nofollow`` on pages that do not say nofollow, and the redirects and canonicals a
crawler follows too. Every live, indexable page that is not reachable is an orphan, whether or
not other unreachable pages link to it: real sites keep *islands* of such pages (an old
campaign's pages linking each other, an archive whose first page lost its menu link). This
is Screaming Frog's "Orphan URLs" (in a sitemap, not found by the crawl) extended to every
source a page can be known from (sitemaps, live backlinks, an imported crawl) and to pages
the crawl found only through other orphans.

Each orphan says how it is known, what links to it at all (``no inlinks``, ``linked only from
other orphans`` or ``linked only by nofollow links``), the island it belongs to (orphans
joined by any link between them, named after its shortest URL: the top of the section it
was cut from), the equity it holds and the equity it would hold linked like a typical page
(``would_get``: the median score of the reachable live, indexable pages); its impact is what
it lacks of that (see impact.py).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from linkequity.equity.graph import EquityGraph
from linkequity.equity.paths import ClickTree
from linkequity.equity.scores import NodeScores
from linkequity.findings import Finding, finding
from linkequity.store import Store

__all__ = ["orphan_findings"]

NO_INLINKS = "no inlinks"
FROM_ORPHANS = "linked only from other orphans"
BY_NOFOLLOW = "linked only by nofollow links"

# Every link to an orphan, with whether any occurrence of it is followed.
_INLINKS_SQL = """
    SELECT l.src_url, l.dst_url,
           bool_or(NOT l.is_nofollow AND l.src_url NOT IN (SELECT url FROM _nofollow))
    FROM links l JOIN _orphans o ON o.url = l.dst_url
    WHERE l.crawl_id = ? AND l.src_url <> l.dst_url
    GROUP BY ALL
    ORDER BY ALL
"""

# How each orphan is known: the sitemaps listing it, live backlinks, the imported crawl.
_KNOWN_SQL = """
    SELECT o.url,
           (SELECT list(DISTINCT s.sitemap ORDER BY s.sitemap) FROM sitemap_urls s
            WHERE s.crawl_id = $1 AND s.url = o.url),
           (SELECT count(DISTINCT b.referring_domain) FROM backlinks b
            WHERE b.lost_on IS NULL AND b.target_url = o.url),
           (SELECT c.status = 'imported' FROM crawls c WHERE c.crawl_id = $1)
    FROM _orphans o
    ORDER BY o.url
"""


def orphan_findings(
    store: Store,
    crawl_id: int,
    graph: EquityGraph,
    scores: NodeScores,
    pages: pa.Table,
    tree: ClickTree | None,
) -> list[Finding]:
    """One ``orphan`` finding per live, indexable page the click tree does not reach."""
    if tree is None:
        return []
    reachable = tree.reachable
    candidates = pages.select(["url", "role", "indexable"]).to_pylist()
    orphans = sorted(
        r["url"] for r in candidates
        if r["role"] == "page" and r["indexable"] and r["url"] not in reachable
    )  # fmt: skip
    if not orphans:
        return []
    nofollow = pa.table({"url": pa.array(sorted(graph.nofollow_pages), pa.string())})
    listed = pa.table({"url": pa.array(orphans, pa.string())})
    with store.registered(_nofollow=nofollow, _orphans=listed):
        inlinks = store.rows(_INLINKS_SQL, [crawl_id])
        known = {url: rest for url, *rest in store.rows(_KNOWN_SQL, [crawl_id])}
    members = set(orphans)
    sources: dict[str, set[str]] = {url: set() for url in orphans}
    for src, dst, _followed in inlinks:
        sources[dst].add(src)
    island = _islands(orphans, [(s, d) for s, d, _ in inlinks if s in members])
    node_id = {url: i for i, url in enumerate(graph.urls)}
    linked = [
        node_id[r["url"]]
        for r in candidates
        if r["role"] == "page" and r["indexable"] and r["url"] in reachable
    ]
    typical = float(np.median(scores.score[linked])) if linked else 0.0
    found = []
    for url in orphans:
        linked_by = _linked_by(sources[url], reachable)
        name, size = island[url]
        sitemaps, domains, imported = known[url]
        node = node_id[url]
        share = float(scores.score[node]) if scores.score.size else 0.0
        link_score = round(float(scores.link_score[node]), 2) if scores.link_score.size else 0.0
        found.append(
            finding(
                "orphan",
                url,
                _summary(sitemaps or [], domains, bool(imported), linked_by, name, size),
                found_in=list(sitemaps or []),
                backlink_domains=int(domains),
                in_import=bool(imported),
                linked_by=linked_by,
                island=name,
                island_size=size,
                share=share,
                link_score=link_score,
                would_get=typical,
                impact=100.0 * max(typical - share, 0.0),
            )
        )
    return found


def _linked_by(sources: set[str], reachable: set[str]) -> str:
    """What links to an orphan at all (an orphan has no followed link from a reachable page)."""
    if not sources:
        return NO_INLINKS
    if sources.isdisjoint(reachable):
        return FROM_ORPHANS
    return BY_NOFOLLOW


def _islands(orphans: list[str], links: list[tuple[str, str]]) -> dict[str, tuple[str, int]]:
    """Each orphan's island (orphans joined by any link between them, either way): the
    island's name (its shortest URL, then the page most linked from inside it) and size."""
    index = {url: i for i, url in enumerate(orphans)}
    parent = list(range(len(orphans)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    linked_from: dict[str, int] = dict.fromkeys(orphans, 0)
    for src, dst in links:
        linked_from[dst] += 1
        a, b = root(index[src]), root(index[dst])
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[str]] = {}
    for url in orphans:
        groups.setdefault(root(index[url]), []).append(url)
    out: dict[str, tuple[str, int]] = {}
    for group in groups.values():
        name = min(group, key=lambda u: (len(u), -linked_from[u], u))
        for url in group:
            out[url] = (name, len(group))
    return out


def _summary(
    sitemaps: list[str], domains: int, imported: bool, linked_by: str, island: str, size: int
) -> str:
    where = []
    if sitemaps:
        where.append(f"{len(sitemaps)} sitemap(s)")
    if domains:
        where.append(f"backlinks from {domains} domain(s)")
    if imported:
        where.append("the imported crawl")
    known = f"known from {' and '.join(where)}" if where else "found through other orphans"
    linked = {FROM_ORPHANS: FROM_ORPHANS, BY_NOFOLLOW: BY_NOFOLLOW}.get(
        linked_by, "no page links to it"
    )
    text = f"No followed link from the start page reaches it; {known}; {linked}"
    if size > 1:
        text += f"; one of an island of {size} orphans around {island}"
    return text
