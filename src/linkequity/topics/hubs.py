"""Pillars and hub-and-spoke health: how each cluster's pages link to its main page (analyze stage).

A cluster's *pillar* is the page the others should support: a priority page of the cluster
when the user named one (the most equity wins among several), else the page with the most
inlinks from pages of its cluster; a tie goes to the page with most equity, then to the
broadest text (the page closest to the cluster's centroid). ``pillar_reason`` says which
rule decided. The other pages are its *spokes*. What the health metrics measure, over the
followed links between pages (any position; the first of several to one target counts):

* ``spokes_to_pillar``: the share of spokes that link to the pillar;
* ``pillar_to_spokes``: the share of spokes the pillar links to;
* ``spoke_density``: links between spokes over the links there could be (``s (s - 1)``);
* ``leaked_share``: of the equity the cluster's pages pass through links in their content,
  the share that reaches pages outside the cluster (menus and footers are the same on every
  page and left out: they are not a topical choice).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["BROADEST", "EQUITY", "INLINKS", "PRIORITY", "Hub", "SiteLinks", "hubs", "pick_pillar"]

_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]
PRIORITY = "priority page"
INLINKS = "most in-cluster inlinks"
EQUITY = "most equity"
BROADEST = "broadest text (closest to the cluster centroid)"


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """What the analysis hands over of the solved equity graph, per page of the documents
    (rows of the text model): their equity and the followed links between them."""

    share: _F64
    """Each page's share of the site's equity, in percent (0 for a page off the graph)."""
    total_weight: _F64
    """The weight of each page's counted links (0: none)."""
    src: _I64
    dst: _I64
    """Followed links between two pages (first link per target), by row."""
    is_content: npt.NDArray[np.bool_]
    passed: _F64
    """What each link passes each step, in percent of the site's equity."""
    content_passed: _F64
    """Per page: what its content links pass to any page each step (also to pages that are
    not documents), in percent; the denominator of ``leaked_share``."""
    damping: float
    content_weight: float
    """The weight a new link in the content would have."""

    def new_link_equity(self, page: int, links: int = 1) -> float:
        """What ``links`` new content links on ``page`` would take from it each step, in
        percent of the site's equity (before the scores move): ``damping x share x w /
        (W + w)`` for their weight ``w`` and the weight ``W`` of its counted links."""
        added = links * self.content_weight
        total = float(self.total_weight[page]) + added
        return self.damping * float(self.share[page]) * added / total if total > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Hub:
    """One cluster's pillar, spokes and how they link."""

    pillar: int
    pillar_reason: str
    spokes: _I64
    missing_to_pillar: _I64
    """Spokes that do not link to the pillar."""
    missing_from_pillar: _I64
    """Spokes the pillar does not link to."""
    spokes_to_pillar: float
    pillar_to_spokes: float
    spoke_density: float
    leaked: float
    """Equity the cluster's content links pass outside it each step, in percent of the site's."""
    leaked_share: float


def pick_pillar(
    members: _I64,
    inlinks: _I64,
    share: _F64,
    centrality: _F64,
    priorities: Collection[int] = (),
) -> tuple[int, str]:
    """The pillar among ``members`` and the rule that chose it: a priority page (most equity
    among several), else most in-cluster ``inlinks``, then most ``share``, then highest
    ``centrality`` (similarity to the centroid), then the first."""
    given = [int(m) for m in members if int(m) in priorities]
    if given:
        return max(given, key=lambda m: (share[m], -m)), PRIORITY
    candidates = [int(m) for m in members]
    for values, reason in ((inlinks, INLINKS), (share, EQUITY), (centrality, BROADEST)):
        top = max(float(values[m]) for m in candidates)
        tied = [m for m in candidates if float(values[m]) >= top - 1e-12]
        if len(tied) == 1:
            return tied[0], reason
        candidates = tied
    return candidates[0], BROADEST


def hubs(
    labels: _I64,
    links: SiteLinks,
    centrality: _F64,
    priorities: Collection[int] = (),
) -> list[Hub]:
    """The pillar and the health of every cluster (``labels``: the cluster of each page)."""
    k = int(labels.max()) + 1 if labels.size else 0
    n = labels.size
    other = links.src != links.dst
    code = np.unique(links.src[other] * n + links.dst[other])
    src, dst = code // n, code % n
    same = labels[src] == labels[dst]
    inlinks = np.bincount(dst[same], minlength=n)
    content = links.is_content & other
    stays = content & (labels[links.src] == labels[links.dst])
    kept = np.bincount(labels[links.src[stays]], weights=links.passed[stays], minlength=k)
    passed = np.bincount(labels, weights=links.content_passed, minlength=k)
    found = []
    for cluster in range(k):
        members = np.flatnonzero(labels == cluster)
        pillar, reason = pick_pillar(members, inlinks, links.share, centrality, priorities)
        spokes = members[members != pillar]
        ours = same & (labels[src] == cluster)
        to_pillar = src[ours & (dst == pillar)]
        from_pillar = dst[ours & (src == pillar)]
        among = int((ours & (src != pillar) & (dst != pillar)).sum())
        s = spokes.size
        leaked = max(float(passed[cluster] - kept[cluster]), 0.0)
        found.append(
            Hub(
                int(pillar),
                reason,
                spokes,
                np.setdiff1d(spokes, to_pillar),
                np.setdiff1d(spokes, from_pillar),
                to_pillar.size / s if s else 1.0,
                from_pillar.size / s if s else 1.0,
                among / (s * (s - 1)) if s > 1 else 1.0,
                leaked,
                leaked / float(passed[cluster]) if passed[cluster] > 0 else 0.0,
            )
        )
    return found
