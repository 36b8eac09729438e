"""Positions for the report's link graph, computed before it is written (present stage).

The browser only draws: a force layout run in the page would cost seconds at 10,000 nodes,
so every node's place is computed here, seeded and deterministic, in time linear in the
nodes and links:

1. **Pivot MDS** (Brandes & Pich, "Eigensolver methods for progressive multidimensional
   scaling of large data", 2006): breadth-first distances from up to :data:`PIVOTS` pivots
   chosen farthest-first, double centred, projected on the two leading eigenvectors of their
   small Gram matrix. Pages a few clicks apart land near each other.
2. **A force refinement** of :data:`ITERATIONS` steps (Fruchterman-Reingold forces, cooled
   linearly): springs along the links; repulsion from a seeded sample of nodes (an unbiased
   estimate of the all-pairs sum, as in the random-sampling layouts of Gove, 2019) and from
   each node's neighbours along the x and y orders, which separates the many pages Pivot MDS
   puts on one spot (a template's pages are all at the same distances from the pivots).

Positions come out as integers in ``[0, SCALE]``: compact in the report's JSON.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import shortest_path

__all__ = ["SCALE", "layout"]

#: Pivots of the Pivot MDS; Brandes & Pich find 50 indistinguishable from full MDS.
PIVOTS: Final = 50
#: Force refinement steps: the refinement only spreads what Pivot MDS placed, so a few
#: dozen do; 40 take ~2 s at 10,000 nodes and 80,000 links on a loaded 2-core machine.
ITERATIONS: Final = 40
#: Nodes sampled for the far repulsion each step (error ~ 1/sqrt of it, averaged over steps).
SAMPLE: Final = 128
#: Neighbours along each axis order that repel a node (breaks the piles Pivot MDS makes).
NEAR: Final = 6
#: Positions are integers in [0, SCALE].
SCALE: Final = 10_000

_F64 = npt.NDArray[np.float64]
_I = npt.NDArray[np.int64]


def layout(n: int, src: _I, dst: _I, seed: int = 7) -> tuple[_I, _I]:
    """x and y of ``n`` nodes joined by the links ``src[i] -> dst[i]`` (direction ignored)."""
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    rng = np.random.default_rng(seed)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    adjacency = sp.coo_array((np.ones(len(src)), (src, dst)), shape=(n, n)).tocsr()
    adjacency = ((adjacency + adjacency.T) > 0).astype(np.float64)
    position = _pivot_mds(adjacency, rng)
    position = _refine(position, adjacency, rng)
    low = position.min(axis=0)
    span = float((position.max(axis=0) - low).max()) or 1.0
    scaled = np.rint((position - low) / span * SCALE).astype(np.int64)
    return scaled[:, 0], scaled[:, 1]


def _pivot_mds(adjacency: sp.csr_array, rng: np.random.Generator) -> _F64:
    n = adjacency.shape[0]
    degree = np.diff(adjacency.indptr)
    pivots = [int(np.argmax(degree))]
    distances: list[_F64] = []
    nearest = np.full(n, np.inf)
    for _ in range(min(PIVOTS, n)):
        row = shortest_path(adjacency, unweighted=True, indices=pivots[-1], directed=False)
        distances.append(row)
        nearest = np.minimum(nearest, row)
        # the farthest node next; an unreached one (another component) counts as farthest
        far = np.where(np.isinf(nearest), np.inf, nearest)
        far[pivots] = -1.0
        if len(distances) == min(PIVOTS, n):
            break
        pivots.append(int(np.argmax(far)))
    d = np.stack(distances, axis=1)
    finite = np.isfinite(d)
    d[~finite] = (d[finite].max() if finite.any() else 0.0) + 1.0
    squared = d**2
    centred = (
        squared
        - squared.mean(axis=0, keepdims=True)
        - squared.mean(axis=1, keepdims=True)
        + squared.mean()
    ) * -0.5
    if centred.shape[1] < 2 or not np.any(centred):
        return rng.standard_normal((n, 2))
    _, vectors = np.linalg.eigh(centred.T @ centred)
    position = centred @ vectors[:, [-1, -2]]
    spread = position.std(axis=0)
    spread[spread == 0] = 1.0
    return np.asarray(position / spread, dtype=np.float64)


def _refine(position: _F64, adjacency: sp.csr_array, rng: np.random.Generator) -> _F64:
    n = len(position)
    if n < 2:
        return position
    coo = sp.triu(adjacency, k=1).tocoo()
    a, b = coo.row.astype(np.int64), coo.col.astype(np.int64)
    # unit area: the ideal distance between neighbours is the side of one node's share
    position = position / (np.abs(position).max() or 1.0) * 0.5
    ideal = 1.0 / np.sqrt(n)
    position = position + rng.normal(0.0, ideal / 4, position.shape)
    sample = min(SAMPLE, n)
    for step in range(ITERATIONS):
        temperature = 0.1 * (1.0 - step / ITERATIONS) + ideal / 10
        force = np.zeros_like(position)
        # springs: pull ~ distance^2 / ideal along each link
        delta = position[b] - position[a]
        length = np.sqrt((delta**2).sum(axis=1)) + 1e-12
        pull = delta * (length / ideal)[:, None]
        _add(force, a, pull)
        _add(force, b, -pull)
        # far repulsion ~ ideal^2 / distance from a sample, scaled to all n
        chosen = rng.choice(n, size=sample, replace=False)
        # (x and y apart: one (n, sample, 2) array is ~7x slower here)
        dx = position[:, 0:1] - position[chosen, 0][None, :]
        dy = position[:, 1:2] - position[chosen, 1][None, :]
        inverse = 1.0 / (dx * dx + dy * dy + (ideal / 10) ** 2)
        far = ideal**2 * n / sample
        force[:, 0] += (dx * inverse).sum(axis=1) * far
        force[:, 1] += (dy * inverse).sum(axis=1) * far
        # near repulsion: each node's neighbours along the x and y orders
        for axis in (0, 1):
            order = np.argsort(position[:, axis], kind="stable")
            for shift in range(1, min(NEAR, n - 1) + 1):
                i, j = order[:-shift], order[shift:]
                away = position[i] - position[j]
                squared = (away**2).sum(axis=1) + (ideal / 10) ** 2
                push = away * (ideal**2 / squared)[:, None]
                _add(force, i, push)
                _add(force, j, -push)
        # gravity keeps separate components on the canvas
        force -= position * (ideal * 2.0)
        size = np.sqrt((force**2).sum(axis=1)) + 1e-12
        position = position + force * (np.minimum(size, temperature) / size)[:, None]
    return position


def _add(force: _F64, index: _I, value: _F64) -> None:
    """``force[index] += value`` with repeated indices summed (bincount: ~10x np.add.at)."""
    n = len(force)
    force[:, 0] += np.bincount(index, weights=value[:, 0], minlength=n)
    force[:, 1] += np.bincount(index, weights=value[:, 1], minlength=n)
