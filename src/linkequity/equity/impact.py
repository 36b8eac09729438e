"""Impact: the share of site equity a finding puts at stake, one unit for all kinds (analyze stage).

The unit is the unit of ``page_scores.share``: a percentage of the site's equity (the shares
of all pages sum to 100). A link's *equity* is what it takes from its source at each step of
the random surfer, ``damping x score(source) x weight / total counted weight of the source``:
the same figure ``linkequity links --to`` shows for a link that passes. Only followed links
that take a share count: the first of several to one target, not excluded by their rel
policy, not evaporating (a nofollow link's share is lost whatever its target). What each
kind puts at stake:

=========================================  ===================================================
kind                                       impact
=========================================  ===================================================
broken_link, redirect_loop                 equity of the links to the URL: wasted
link_to_redirect, redirect_chain,          equity of the links to the URL: it reaches the
link_to_canonicalised                      final page only through the hop or canonical
link_to_noindex                            equity of the links to the URL: withheld from
                                           indexable pages
crawl_trap                                 equity the links to the held-back URLs would take
                                           if they were crawled
orphan                                     what the page would hold linked like the median
                                           reachable page, less what it holds
noindex_equity, canonical_invalid          the page's share: equity on a page that cannot
                                           rank, or whose canonical says it should not
starved_page                               the share the page lacks to reach the percentile
dead_end                                   what the page passes on each step (damping x
                                           share): handed back to the teleport
too_many_links                             what the page passes through the links beyond
                                           ``max_links_per_page``
deep_page, single_inlink                   0: nothing is lost; they are about structure
generic_anchor, empty_anchor,              equity of the links concerned
over_optimised_anchor,
anchor_cannibalisation
=========================================  ===================================================

The audits that know which links a finding is about (anchors, orphans, crawl traps,
starved pages) set the impact themselves from :class:`EquityAtStake`;
:meth:`EquityAtStake.complete` sets it for the kinds that follow from the finding's URL.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa

from linkequity.equity.graph import EquityGraph
from linkequity.equity.scores import NodeScores
from linkequity.findings import Finding, FindingKind
from linkequity.store import Store

__all__ = ["EquityAtStake"]

_TO_URL: frozenset[FindingKind] = frozenset(
    {
        "broken_link",
        "redirect_loop",
        "redirect_chain",
        "link_to_redirect",
        "link_to_noindex",
        "link_to_canonicalised",
    }
)
_PAGE_SHARE: frozenset[FindingKind] = frozenset({"noindex_equity", "canonical_invalid"})


class EquityAtStake:
    """The equity of every link and page of one analysis, in percent of the site's."""

    def __init__(
        self,
        graph: EquityGraph,
        scores: NodeScores,
        damping: float,
        weights: Mapping[str, float],
    ) -> None:
        self.graph = graph
        self.scores = scores
        self.damping = damping
        self.weights = dict(weights)
        """Link position -> weight (the equity settings')."""
        self._links: pa.Table | None = None
        self._ids: dict[str, int] | None = None

    @property
    def links(self) -> pa.Table:
        """``(src_url, ordinal, equity)`` of every followed link that takes a share of its
        source, for joins with ``links`` on (src_url, ordinal); register it as
        ``_link_equity``."""
        if self._links is None:
            self._links = self._link_table()
        return self._links

    def _link_table(self) -> pa.Table:
        graph = self.graph
        equity = (
            100.0 * self.damping * self.scores.score[graph.link_src] * graph.link_share
            if graph.n
            else np.zeros(0)
        )
        return pa.table(
            {
                "src_url": pa.array(graph.urls, pa.string()).take(pa.array(graph.link_src)),
                "ordinal": pa.array(graph.link_ordinal, pa.int32()),
                "equity": pa.array(equity, pa.float64()),
            }
        )

    @property
    def pages(self) -> pa.Table:
        """``(url, share, total_weight)`` of every node: its share in percent and the weight
        of its counted links; register it as ``_page_equity``."""
        return pa.table(
            {
                "url": pa.array(self.graph.urls, pa.string()),
                "share": pa.array(100.0 * self.scores.score, pa.float64()),
                "total_weight": pa.array(self.graph.total_weight, pa.float64()),
            }
        )

    def share(self, url: str) -> float:
        """The page's share of the site's equity, in percent (0 for a URL off the graph)."""
        node = self._node_ids().get(url)
        return 0.0 if node is None else 100.0 * float(self.scores.score[node])

    def _node_ids(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = {url: i for i, url in enumerate(self.graph.urls)}
        return self._ids

    def to_urls(self, store: Store, crawl_id: int, urls: Sequence[str]) -> dict[str, float]:
        """The equity of all links to each of ``urls``."""
        if not urls:
            return {}
        with store.registered(_link_equity=self.links):
            rows = store.rows(
                "SELECT l.dst_url, sum(e.equity) FROM links l JOIN _link_equity e "
                "ON e.src_url = l.src_url AND e.ordinal = l.ordinal "
                "WHERE l.crawl_id = ? AND l.dst_url IN (SELECT unnest(?::VARCHAR[])) "
                "GROUP BY ALL",
                [crawl_id, sorted(set(urls))],
            )
        return {str(url): float(total) for url, total in rows}

    def complete(self, store: Store, crawl_id: int, found: list[Finding]) -> list[Finding]:
        """The findings with the impact of the kinds that follow from their URL set."""
        linked = self.to_urls(store, crawl_id, [f.url for f in found if f.kind in _TO_URL])
        done = []
        for f in found:
            if f.kind in _TO_URL:
                f = dataclasses.replace(f, impact=linked.get(f.url, 0.0))
            elif f.kind in _PAGE_SHARE:
                f = dataclasses.replace(f, impact=self.share(f.url))
            elif f.kind == "dead_end":
                f = dataclasses.replace(f, impact=self.damping * self.share(f.url))
            done.append(f)
        return done
