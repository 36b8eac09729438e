"""PageRank by power iteration over the equity graph's transition matrix (analyze stage).

Solves ``x = d P'x + (1 - d·sum(P'x)) v`` to an L1 tolerance: all equity that links do not pass
on (dangling pages, evaporation, leaks, sinks) is spread by the teleport vector ``v``. Up to
normalisation this is the model's ``x = d P'x + d (dangling x) v + (1 - d) v``: both solve
``(I - d P') y = v`` (Langville & Meyer, "Deeper inside PageRank", 2004).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from linkequity.errors import ConfigError, ConvergenceError

__all__ = ["PageRankResult", "pagerank"]


@dataclass(frozen=True, slots=True)
class PageRankResult:
    """Scores summing to 1, and how the solver got there."""

    scores: npt.NDArray[np.float64]
    iterations: int
    residual: float
    method: str


def pagerank(
    transitions: sp.csr_array | sp.csr_matrix,
    *,
    damping: float = 0.85,
    teleport: npt.ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    start: npt.ArrayLike | None = None,
) -> PageRankResult:
    """Scores of the nodes of ``P`` (row i: the share of i's equity each node receives)."""
    n = transitions.shape[0]
    if transitions.shape != (n, n):
        raise ConfigError(f"The transition matrix must be square, not {transitions.shape}.")
    if n == 0:
        return PageRankResult(np.zeros(0), 0, 0.0, "power")
    v = np.full(n, 1.0 / n) if teleport is None else np.asarray(teleport, dtype=np.float64)
    if v.shape != (n,) or (v < 0).any() or v.sum() <= 0:
        raise ConfigError(f"The teleport vector must have {n} non-negative values, not all 0.")
    v = v / v.sum()
    flow = sp.csr_array(transitions).T.tocsr()
    x = v.copy() if start is None else np.asarray(start, dtype=np.float64) / np.sum(start)
    residual = float("inf")
    for iteration in range(1, max_iter + 1):
        y = damping * (flow @ x)
        y += (1.0 - y.sum()) * v
        residual = float(np.abs(y - x).sum())
        x = y
        if residual < tol:
            return PageRankResult(x / x.sum(), iteration, residual, "power")
    raise ConvergenceError(
        f"PageRank did not converge in {max_iter} iterations: L1 residual {residual:.2e} "
        f"is above the tolerance {tol:.0e}."
    )
