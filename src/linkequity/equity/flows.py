"""What each link of an analyzed crawl passes: the inlinks or outlinks of one page (analyze stage).

Reads the stored analysis (``page_scores`` and the settings in ``analyses``) and applies the
equity model of :mod:`linkequity.equity.graph` to the links asked for, so a user sees, per
``<a href>``, whether it passes equity and how much: its *equity* is the share of the site's
equity it carries each step (the scores sum to 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkequity.equity.graph import build_graph, says_nofollow
from linkequity.records import POSITIONS
from linkequity.settings import EquitySettings
from linkequity.store import Store
from linkequity.store.queries import analysis_equity_settings

__all__ = ["FLOW_COLUMNS", "PairFlows", "inlinks", "outlinks", "pair_flows"]

FLOW_COLUMNS = (
    "src_url",
    "dst_url",
    "target_url",
    "anchor",
    "position",
    "rel",
    "ordinal",
    "outcome",
    "equity",
)
_LINK_SQL = """
    SELECT l.src_url, l.dst_url, t.link_outcome, t.equity_url, l.is_internal, l.anchor,
           l.alt, l.is_image, l.position, l.rel, l.ordinal, l.is_nofollow, l.is_sponsored,
           l.is_ugc, s.role AS src_role, s.equity_per_weight, p.meta_robots, p.x_robots_tag
    FROM links l
    LEFT JOIN page_scores t ON t.crawl_id = l.crawl_id AND t.url = l.dst_url
    LEFT JOIN page_scores s ON s.crawl_id = l.crawl_id AND s.url = l.src_url
    LEFT JOIN pages p ON p.crawl_id = l.crawl_id AND p.url = l.src_url
    WHERE l.crawl_id = ? AND {where}
    ORDER BY l.src_url, l.ordinal
"""


def inlinks(store: Store, crawl_id: int, url: str) -> pa.Table:
    """Every link whose equity would reach ``url``: to it, or to a URL redirecting or
    canonicalised to it."""
    settings = analysis_equity_settings(store, crawl_id)
    rows = store.rows(
        _LINK_SQL.format(
            where="(l.dst_url = ? OR l.dst_url IN (SELECT url FROM page_scores "
            "WHERE crawl_id = l.crawl_id AND equity_url = ?))"
        ),
        [crawl_id, url, url],
    )
    return _flows(rows, settings)


def outlinks(store: Store, crawl_id: int, url: str) -> pa.Table:
    """Every link on the page ``url``."""
    settings = analysis_equity_settings(store, crawl_id)
    rows = store.rows(_LINK_SQL.format(where="l.src_url = ?"), [crawl_id, url])
    return _flows(rows, settings)


def _rel_policy(settings: EquitySettings, nofollow: bool, sponsored: bool, ugc: bool) -> str:
    """``follow``, ``exclude`` or ``evaporate (token)``; evaporation wins, as in the graph."""
    chosen = "follow"
    for token, flagged, policy in (
        ("nofollow", nofollow, settings.nofollow),
        ("sponsored", sponsored, settings.sponsored),
        ("ugc", ugc, settings.ugc),
    ):
        if flagged and policy == "evaporate":
            return f"evaporates ({token})"
        if flagged and policy == "exclude":
            chosen = "excluded (rel)"
    return chosen


def _flows(rows: list[tuple[Any, ...]], settings: EquitySettings) -> pa.Table:
    weights = settings.position_weights()
    out: dict[str, list[Any]] = {name: [] for name in FLOW_COLUMNS}
    counted_targets: set[tuple[str, str]] = set()
    page_nofollow: dict[str, bool] = {}
    for row in rows:
        (src, dst, link_outcome, equity_url, internal, anchor, alt, is_image, position) = row[:9]
        (rel, ordinal, nofollow, sponsored, ugc, src_role, per_weight, meta, header) = row[9:]
        target = equity_url if internal else None
        if not dst.startswith(("http://", "https://")):
            outcome = "excluded (not http)"
        elif src_role != "page":
            outcome = "passes nothing (source is not a page)"
        elif target == src or dst == src:
            outcome = "excluded (self)"
        else:
            if src not in page_nofollow:
                page_nofollow[src] = says_nofollow(meta, header)
            outcome = _rel_policy(settings, nofollow or page_nofollow[src], sponsored, ugc)
            key = (src, target or dst)
            if settings.duplicate_links == "first" and key in counted_targets:
                outcome = "duplicate (first link counts)"
            elif outcome == "follow":
                outcome = _target_outcome(internal, link_outcome)
            counted_targets.add(key)
        passes = outcome == "passes"
        equity = (per_weight or 0.0) * weights[position] if passes else 0.0
        out["src_url"].append(src)
        out["dst_url"].append(dst)
        out["target_url"].append(target)
        out["anchor"].append(alt if is_image and not anchor else anchor)
        out["position"].append(position)
        out["rel"].append(rel)
        out["ordinal"].append(ordinal)
        out["outcome"].append(outcome)
        out["equity"].append(equity)
    return pa.table(
        {
            **{k: pa.array(out[k], pa.string()) for k in FLOW_COLUMNS[:6]},
            "ordinal": pa.array(out["ordinal"], pa.int32()),
            "outcome": pa.array(out["outcome"], pa.string()),
            "equity": pa.array(out["equity"], pa.float64()),
        }
    )


def _target_outcome(internal: bool, link_outcome: str | None) -> str:
    """The label of a followed link by what a link to its target does (graph OUTCOMES)."""
    if not internal or link_outcome == "external":
        return "leaks (external)"
    return {
        "node": "passes",
        "broken": "wasted (broken)",
        "blocked": "wasted (blocked by robots.txt)",
    }.get(link_outcome or "", "excluded (not crawled or not HTML)")


@dataclass(frozen=True, slots=True)
class PairFlows:
    """What the followed links between two pages pass, summed per (source, target) pair."""

    urls: list[str]
    """Node id -> URL, sorted (the pages holding equity)."""
    src: npt.NDArray[np.int32]
    dst: npt.NDArray[np.int32]
    links: npt.NDArray[np.int32]
    """Counted link occurrences from ``src`` to ``dst`` that pass equity."""
    equity: npt.NDArray[np.float64]
    """The share of the site's equity they pass each step, as :func:`outlinks` sums it."""


def pair_flows(store: Store, crawl_id: int) -> PairFlows:
    """Every pair of pages a followed link joins, with the equity its links pass.

    The links are the analysis' own graph (redirects and canonicals resolved, duplicates and
    rel policies applied); each passes ``equity_per_weight`` of its source times its
    position's weight, as :func:`outlinks` reports it per link.
    """
    settings = analysis_equity_settings(store, crawl_id)
    graph = build_graph(store, crawl_id, settings)
    per_weight = np.zeros(graph.n, dtype=np.float64)
    rows = store.arrow(
        "SELECT url, equity_per_weight FROM page_scores WHERE crawl_id = ? AND score IS NOT NULL",
        [crawl_id],
    )
    node_id = {url: i for i, url in enumerate(graph.urls)}
    for url, value in zip(
        rows.column("url").to_pylist(), rows.column("equity_per_weight").to_pylist(), strict=True
    ):
        if url in node_id and value is not None:
            per_weight[node_id[url]] = value
    weights = np.array([settings.position_weights()[p] for p in POSITIONS], dtype=np.float64)
    src = graph.src.astype(np.int64)
    dst = graph.dst.astype(np.int64)
    key = src * graph.n + dst
    pairs, inverse = np.unique(key, return_inverse=True)
    equity = np.bincount(inverse, weights=per_weight[src] * weights[graph.position])
    links = np.bincount(inverse).astype(np.int32)
    return PairFlows(
        urls=list(graph.urls),
        src=(pairs // max(graph.n, 1)).astype(np.int32),
        dst=(pairs % max(graph.n, 1)).astype(np.int32),
        links=links,
        equity=equity.astype(np.float64),
    )
