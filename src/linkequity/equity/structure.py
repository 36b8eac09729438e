"""Structure findings of an analyzed crawl: orphans, broken links, chains, depth (analyze stage).

Each finding is a :class:`~linkequity.findings.Finding`; the kinds, their severities, meaning
and detail fields are registered in :mod:`linkequity.findings` and explained in
``docs/findings.md``. This module finds the structure kinds: ``broken_link``,
``redirect_loop``, ``redirect_chain``, ``orphan`` (through :mod:`~linkequity.equity.orphans`),
``crawl_trap`` (through :mod:`~linkequity.equity.traps`), ``link_to_redirect``,
``link_to_noindex``, ``link_to_canonicalised``, ``canonical_invalid``,
``noindex_equity``, ``starved_page``, ``dead_end``, ``deep_page``, ``too_many_links`` and
``single_inlink``.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from linkequity.equity.graph import EquityGraph
from linkequity.equity.impact import EquityAtStake
from linkequity.equity.orphans import orphan_findings
from linkequity.equity.paths import ClickTree
from linkequity.equity.scores import NodeScores
from linkequity.equity.traps import crawl_trap_findings
from linkequity.findings import Finding, finding
from linkequity.settings import AuditSettings
from linkequity.store import Store

__all__ = ["structure_findings"]

#: Example source pages kept in a finding's detail.
_EXAMPLES = 5
#: (source, anchor, position) groups a broken link finding lists: enough to fix a template's
#: link by hand, few enough that a sitewide broken link does not make a megabyte of JSON
#: (``source_pages`` and ``occurrences`` still count them all).
_SOURCES_SHOWN = 100


def structure_findings(
    store: Store,
    crawl_id: int,
    graph: EquityGraph,
    scores: NodeScores,
    pages: pa.Table,
    audit: AuditSettings,
    at_stake: EquityAtStake,
    tree: ClickTree | None,
) -> list[Finding]:
    """Every structure finding of the crawl (``tree``: its click tree, for the orphans)."""
    found: list[Finding] = []
    with store.registered(_roles=graph.roles):
        found.extend(_broken_links(store, crawl_id))
        found.extend(_redirects(graph))
        found.extend(orphan_findings(store, crawl_id, graph, scores, pages, tree))
        found.extend(crawl_trap_findings(store, crawl_id, at_stake))
        found.extend(_links_to_non_pages(store, crawl_id))
    found.extend(_canonicals(store, crawl_id, graph))
    found.extend(_page_findings(pages, graph, audit, at_stake.damping))
    found.extend(_equity_findings(store, crawl_id, graph, scores, audit))
    return found


def _broken_links(store: Store, crawl_id: int) -> list[Finding]:
    rows = store.rows(
        """
            SELECT l.dst_url, l.src_url, l.anchor, l.position, p.status_code, p.error,
                   count(*) AS occurrences
            FROM links l
            JOIN _roles r ON r.url = l.dst_url AND r.role = 'broken'
            JOIN pages p ON p.crawl_id = l.crawl_id AND p.url = l.dst_url
            WHERE l.crawl_id = ? AND l.src_url <> l.dst_url
            GROUP BY ALL
            ORDER BY l.dst_url, l.src_url, l.anchor, l.position
            """,
        [crawl_id],
    )
    by_target: dict[str, list[tuple[str, str, str, int]]] = {}
    answers: dict[str, tuple[int | None, str | None]] = {}
    for dst, src, anchor, position, status, error, occurrences in rows:
        by_target.setdefault(dst, []).append((src, anchor, position, int(occurrences)))
        answers[dst] = (status, error)
    found = []
    for dst, links in by_target.items():
        status, error = answers[dst]
        what = f"{status}" if status is not None else f"no response: {error or 'unknown'}"
        total = sum(n for *_, n in links)
        pages = len({src for src, *_ in links})
        first_src, _anchor, first_position, _n = links[0]
        more = f" and {pages - 1} other page(s)" if pages > 1 else ""
        found.append(
            finding(
                "broken_link",
                dst,
                f"Broken ({what}): {total} link(s) from {first_src} in the {first_position}{more}",
                status_code=status,
                error=error,
                occurrences=total,
                source_pages=pages,
                sources=[
                    {"source": s, "anchor": a, "position": p, "occurrences": n}
                    for s, a, p, n in links[:_SOURCES_SHOWN]
                ],
            )
        )
    return found


def _redirects(graph: EquityGraph) -> list[Finding]:
    found = []
    for url, res in sorted(graph.resolutions.items()):
        if res.role == "redirect_loop":
            found.append(
                finding(
                    "redirect_loop",
                    url,
                    f"Redirect loop after {len(res.chain)} hops",
                    hops=list(res.chain),
                )
            )
        elif res.role == "redirect" and len(res.chain) >= 2:
            final = res.chain[-1]
            found.append(
                finding(
                    "redirect_chain",
                    url,
                    f"{len(res.chain)} redirects before {final}",
                    hops=list(res.chain),
                    final_url=final,
                )
            )
    return found


def _links_to_non_pages(store: Store, crawl_id: int) -> list[Finding]:
    rows = store.rows(
        """
            SELECT l.dst_url, r.role, p.indexability_reason, r.equity_url,
                   count(*) AS links, count(DISTINCT l.src_url) AS sources,
                   list(DISTINCT l.src_url ORDER BY l.src_url)[:?] AS examples
            FROM links l
            JOIN pages p ON p.crawl_id = l.crawl_id AND p.url = l.dst_url
            JOIN _roles r ON r.url = l.dst_url
            WHERE l.crawl_id = ? AND l.is_internal AND l.src_url <> l.dst_url
              AND (r.role IN ('redirect', 'redirect_loop', 'canonicalised')
                   OR p.indexability_reason = 'noindex')
            GROUP BY ALL
            ORDER BY l.dst_url
            """,
        [_EXAMPLES, crawl_id],
    )
    found = []
    for url, role, reason, equity_url, links, sources, examples in rows:
        counted = f"{links} link(s) from {sources} page(s)"
        linked = {"links": links, "source_pages": sources, "examples": examples}
        if role in ("redirect", "redirect_loop"):
            where = f"redirects to {equity_url}" if equity_url else "redirects"
            found.append(
                finding(
                    "link_to_redirect",
                    url,
                    f"{counted}; {where}",
                    final_url=equity_url,
                    **linked,
                )
            )
        elif role == "canonicalised":
            found.append(
                finding(
                    "link_to_canonicalised",
                    url,
                    f"{counted}; canonical is {equity_url}",
                    canonical_url=equity_url,
                    **linked,
                )
            )
        if reason == "noindex":
            found.append(
                finding(
                    "link_to_noindex",
                    url,
                    f"{counted} to a noindex page",
                    **linked,
                )
            )
    return found


def _canonicals(store: Store, crawl_id: int, graph: EquityGraph) -> list[Finding]:
    rows = store.rows(
        "SELECT url, canonical_url FROM pages WHERE crawl_id = ? AND canonical_url IS NOT NULL "
        "AND canonical_url <> url AND status_code BETWEEN 200 AND 299 ORDER BY url",
        [crawl_id],
    )
    found = []
    for url, canonical in rows:
        if graph.resolutions[url].role == "canonicalised":
            continue
        target = graph.resolutions.get(canonical)
        why = "was not crawled" if target is None else f"is a {target.role.replace('_', ' ')}"
        if target is not None and target.role in ("page", "canonicalised"):
            why = "is not indexable"
        found.append(
            finding(
                "canonical_invalid",
                url,
                f"Canonical {canonical} {why}; the page keeps its own equity",
                canonical_url=canonical,
                canonical_role=None if target is None else target.role,
            )
        )
    return found


def _page_findings(
    pages: pa.Table, graph: EquityGraph, audit: AuditSettings, damping: float
) -> list[Finding]:
    found = []
    node_id = {url: i for i, url in enumerate(graph.urls)}
    passes = np.asarray(graph.transitions.sum(axis=1)).ravel() > 0 if graph.n else np.zeros(0)
    for row in pages.to_pylist():
        url, role = row["url"], row["role"]
        if role != "page":
            continue
        depth = row["crawl_depth"]
        if depth is not None and depth > audit.deep_page_depth:
            found.append(
                finding(
                    "deep_page",
                    url,
                    f"{depth} clicks from the start page",
                    crawl_depth=depth,
                )
            )
        links = row["outlinks"] + row["external_outlinks"]
        if links > audit.max_links_per_page:
            beyond = (links - audit.max_links_per_page) / links
            found.append(
                finding(
                    "too_many_links",
                    url,
                    f"{links} links on the page",
                    outlinks=row["outlinks"],
                    external_outlinks=row["external_outlinks"],
                    impact=damping * (row["share"] or 0.0) * beyond,
                    fix=f"Remove the {links - audit.max_links_per_page:,} links beyond "
                    f"{audit.max_links_per_page:,} that fewest visitors use, so each remaining "
                    "link passes more.",
                )
            )
        if not passes[node_id[url]]:
            found.append(
                finding(
                    "dead_end",
                    url,
                    "No link on this page passes equity to another page",
                    outlinks=row["outlinks"],
                    external_outlinks=row["external_outlinks"],
                )
            )
        if row["indexable"] and row["unique_inlinks"] == 1:
            found.append(
                finding(
                    "single_inlink",
                    url,
                    "Linked from one page only",
                    inlinks=row["inlinks"],
                )
            )
    return found


def _priority_pages(
    store: Store, crawl_id: int, graph: EquityGraph, audit: AuditSettings
) -> set[str]:
    """The start page, its navigation and header link targets, and ``priority_urls``."""
    row = store.one("SELECT start_url FROM crawls WHERE crawl_id = ?", [crawl_id])
    start = graph.resolutions.get(str(row[0])) if row else None
    home = start.equity_url if start is not None else None
    nodes = set(graph.urls)
    chosen: set[str] = set()
    if audit.priority_urls:
        patterns = [re.compile(p) for p in audit.priority_urls]
        return {u for u in nodes if any(p.search(u) for p in patterns)}
    if home is None:
        return chosen
    chosen.add(home)
    targets = store.rows(
        "SELECT DISTINCT dst_url FROM links WHERE crawl_id = ? AND src_url = ? "
        "AND position IN ('navigation', 'header') AND is_internal",
        [crawl_id, home],
    )
    for (dst,) in targets:
        res = graph.resolutions.get(dst)
        if res is not None and res.equity_url in nodes:
            chosen.add(res.equity_url)
    return chosen


def _equity_findings(
    store: Store, crawl_id: int, graph: EquityGraph, scores: NodeScores, audit: AuditSettings
) -> list[Finding]:
    if graph.n == 0:
        return []
    found = []
    average = 1.0 / graph.n
    reasons = dict(
        store.rows(
            "SELECT url, indexability_reason FROM pages WHERE crawl_id = ? "
            "AND indexability_reason = 'noindex'",
            [crawl_id],
        )
    )
    threshold = float(np.percentile(scores.score, audit.starved_percentile))
    priority = _priority_pages(store, crawl_id, graph, audit)
    for i, url in enumerate(graph.urls):
        share = float(scores.score[i])
        if url in reasons and share > average:
            found.append(
                finding(
                    "noindex_equity",
                    url,
                    f"A noindex page holds {share / average:.1f}x an average page's equity "
                    f"(rank {scores.rank[i]})",
                    share=share,
                    rank=int(scores.rank[i]),
                    link_score=round(float(scores.link_score[i]), 2),
                )
            )
        if url in priority and share < threshold:
            found.append(
                finding(
                    "starved_page",
                    url,
                    f"A priority page with Link Score {scores.link_score[i]:.0f}, below "
                    f"{audit.starved_percentile:g}% of pages",
                    share=share,
                    rank=int(scores.rank[i]),
                    link_score=round(float(scores.link_score[i]), 2),
                    impact=100.0 * (threshold - share),
                )
            )
    return found
