"""Seeded random link graphs for the equity tests, and their conversions for the references."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from linkequity.equity import transition_matrix


@dataclass(frozen=True, slots=True)
class Site:
    """A link graph as the graph builder would hand it over: links and per-page totals."""

    n: int
    src: npt.NDArray[np.int64]
    dst: npt.NDArray[np.int64]
    weight: npt.NDArray[np.float64]
    total_weight: npt.NDArray[np.float64]

    @property
    def transitions(self) -> Any:
        return transition_matrix(self.n, self.src, self.dst, self.weight, self.total_weight)


def random_site(
    seed: int,
    n: int = 60,
    links: int = 300,
    *,
    dangling: float = 0.15,
    weighted: bool = True,
    evaporation: float = 0.0,
    local: float = 0.5,
) -> Site:
    """Distinct links (self-links included) from a seeded generator.

    ``dangling`` of the pages get no links; with ``evaporation`` > 0 that share of pages also
    have links that pass nothing on (their total weight exceeds their links' weight), so
    their rows are sub-stochastic. ``local`` of the links point within five pages of their
    source, like the links within a site's sections; the more, the slower equity mixes.
    """
    rng = np.random.default_rng(seed)
    has_links = rng.random(n) >= dangling
    sources = rng.choice(np.flatnonzero(has_links), size=links)
    near = (sources + rng.integers(-5, 6, size=links)) % n
    targets = np.where(rng.random(links) < local, near, rng.integers(0, n, size=links))
    pairs = np.unique(np.column_stack([sources, targets]), axis=0)
    src, dst = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
    weight = rng.uniform(0.2, 2.0, size=len(src)) if weighted else np.ones(len(src))
    total = np.bincount(src, weights=weight, minlength=n)
    leaky = rng.random(n) < evaporation
    total[leaky] *= rng.uniform(1.2, 3.0, size=int(leaky.sum()))
    return Site(n, src, dst, weight, total)


def shares_of(transitions: Any) -> dict[int, dict[int, float]]:
    """``P`` as the reference implementation takes it: page -> {target: share}."""
    coo = transitions.tocoo()
    shares: dict[int, dict[int, float]] = {}
    for i, j, share in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        shares.setdefault(i, {})[j] = share
    return shares
