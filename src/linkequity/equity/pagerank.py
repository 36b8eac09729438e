"""The PageRank solver: transition matrix in, page scores out (analyze stage).

The equity model is ``x = d P^T x + d (dangling mass of x) v + (1 - d) v``, reported
normalised to sum 1, where ``P[i, j]`` is the share of page i's equity its links pass to page
j. Rows of ``P`` sum to at most 1: whatever is missing evaporates (nofollow), leaks to other
sites or is wasted on broken targets. As Langville & Meyer show ("Deeper inside PageRank",
2004), what is done with dangling or lost mass only changes the scalar in front of ``v``, so
the normalised scores are the normalised solution of the linear system ``(I - d P^T) y = v``,
which is what every method here solves. The residual reported, and tested against ``tol``, is
``||x - G(x)||_1`` for the normalised ``x`` returned, where
``G(x) = d P^T x + (1 - d 1^T P^T x) v`` is the PageRank operator that hands every unit of
equity not passed on (dangling, evaporated, leaked) back through the teleport vector; its fixed
point is the normalised solution.

Methods (``iterations`` counts products with ``P``, the cost that matters). Products to an
L1 residual of 1e-10, measured with ``benchmarks/equity.py`` on cnr-2000 (325,557 pages,
3.2M links) and on a synthetic 1M-page / 20M-link site:

* ``power``: Richardson iteration ``y <- v + d P^T y``, i.e. the classic power method, two
  vector passes per product. Its error shrinks by about ``d`` per step on web graphs, where
  closed link cycles (a page that links only to itself, two pages that only link to each
  other) put eigenvalues ``d``, ``-d``, ... on the rim of the spectrum: 129 and 90 products.
* ``jacobi``: the same with the diagonal of ``I - d P^T`` divided out, which solves pages
  that link to themselves (27% of cnr-2000's) exactly: 124 and 81.
* ``bicgstab`` (``auto``): BiCGSTAB (van der Vorst 1992) on the linear system, right
  preconditioned with the Jacobi diagonal; a Krylov method removes clusters of eigenvalues
  such as those of closed cycles in a few steps: 84 and 24 products, about 11 vector passes
  per product. It is the fastest on both graphs.

Tried and left out, with the same measurements: restarted GMRES (82 products on cnr-2000 at
restart 100, but its orthogonalisation costs more than a product when pages have ~10 links);
Gauss-Seidel (77 sweeps on cnr-2000, but scipy's sparse triangular solve costs ~3 products
per sweep); power extrapolation (diverged with periods 1 to 6 on cnr-2000, saved 16% of the
power method's products with period 12); float32 products (4-15% faster, 2e-5 relative error
per product); half of each product on a second thread (1.6x faster per product on cnr-2000
on an idle machine, 2x slower on the 20M-link site when the other core is busy).
The products ``P^T y`` are computed as ``y @ P`` on the CSR matrix the graph builder hands
over (a scatter over rows, as fast as a gather here), so ``P`` is never transposed or copied.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

from linkequity.errors import ConfigError, ConvergenceError

__all__ = ["METHODS", "PageRankResult", "pagerank", "pagerank_residual", "transition_matrix"]

METHODS = ("auto", "bicgstab", "jacobi", "power")

# Rounding slack for "a row sums to at most 1": shares computed as weight / total weight in
# float64 can exceed 1 by a few ulps per link; 1e-9 is far above that and far below any
# share a page could pass on by mistake.
ROW_SUM_SLACK = 1e-9

# Longest run of products between two convergence checks of the stationary methods. A check
# is planned where the rate seen so far says the residual reaches tol; this caps the cost of
# a rate that changes. A check costs six vector passes (a fifth of a product at ~10 links a
# page), so one every 8 products costs under 3%, and 8 steps at rate 0.85 are a factor 3.6.
CHECK_MAX_GAP = 8

# BiCGSTAB checks exactly once its L1 residual, estimated from the 2-norm and the L1/L2 ratio
# of the last exact check, is within this factor of tol (and at least every CHECK_MAX_GAP
# products). That saves ~10% of its time; in 78 solves (cnr-2000, the synthetic site of
# benchmarks/equity.py and 24 seeded site-like graphs, each at tol 1e-8, 1e-10 and 1e-12)
# it stopped at the same product as checking every step.
CHECK_MARGIN = 4.0

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class PageRankResult:
    """Scores of one PageRank solve.

    Attributes
    ----------
    scores
        One score per page, summing to 1 (read-only).
    iterations
        Products with the transition matrix used, including the one that checks the result.
    residual
        ``||x - G(x)||_1`` for the ``scores`` returned, ``G`` the PageRank operator.
    method
        The method that ran (``auto`` resolved).
    """

    scores: FloatArray
    iterations: int
    residual: float
    method: str


def transition_matrix(
    n: int,
    src: npt.ArrayLike,
    dst: npt.ArrayLike,
    weight: npt.ArrayLike | None = None,
    total_weight: npt.ArrayLike | None = None,
) -> sparse.csr_array:
    """Build the transition matrix ``P`` (CSR, n x n, float64) from links given as arrays.

    ``P[i, j] = (sum of the weights of the i -> j links) / total_weight[i]``: duplicate links
    add up. ``total_weight[i]`` is everything page i shares its equity among, including links
    that pass nothing on (evaporating nofollow, external, broken); left out, it is the sum of
    the weights given, so every page with links passes on all its equity.

    Parameters
    ----------
    n
        Number of pages; page ids are ``0 .. n-1``.
    src, dst
        Source and target page of each link.
    weight
        Weight of each link (default 1).
    total_weight
        Per page, the total weight its equity is shared among.

    Returns
    -------
    scipy.sparse.csr_array
        The transition matrix, canonical (sorted, no duplicates, no explicit zeros).

    Examples
    --------
    Page 0 links to 1 and to an external site (weight 1 each), page 1 links back to 0:

    >>> P = transition_matrix(2, [0, 1], [1, 0], total_weight=[2.0, 1.0])
    >>> P.toarray().tolist()
    [[0.0, 0.5], [1.0, 0.0]]
    """
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 0:
        raise ConfigError(f"The number of pages must be a whole number >= 0, not {n!r}.")
    n = int(n)
    sources = _ids(src, "src", n)
    targets = _ids(dst, "dst", n)
    weights = None if weight is None else np.asarray(weight, dtype=np.float64).ravel()
    if not len(sources) == len(targets) == (len(sources) if weights is None else len(weights)):
        raise ConfigError(
            "src, dst and weight must have the same length, not "
            f"{len(sources)}, {len(targets)} and {len(sources if weights is None else weights)}."
        )
    for name, ids in (("src", sources), ("dst", targets)):
        outside = np.flatnonzero((ids < 0) | (ids >= n))
        if len(outside):
            raise ConfigError(
                f"Link {outside[0]} has {name} page {ids[outside[0]]}, outside 0..{n - 1}."
            )
    if weights is not None:
        bad = np.flatnonzero(~(np.isfinite(weights) & (weights >= 0)))
        if len(bad):
            raise ConfigError(
                f"Link {bad[0]} has weight {float(weights[bad[0]])!r}; "
                "link weights must be finite and >= 0."
            )
    shared = np.bincount(sources, weights=weights, minlength=n).astype(np.float64)
    if total_weight is None:
        totals = shared
    else:
        totals = np.asarray(total_weight, dtype=np.float64).ravel()
        if len(totals) != n:
            raise ConfigError(f"total_weight has {len(totals)} entries for {n} pages.")
        wrong = np.flatnonzero(~(np.isfinite(totals) & (totals >= 0)))
        if len(wrong):
            raise ConfigError(
                f"Page {wrong[0]} has total_weight {float(totals[wrong[0]])!r}; "
                "it must be finite and >= 0."
            )
        over = np.flatnonzero(shared > totals * (1 + ROW_SUM_SLACK))
        if len(over):
            page = over[0]
            raise ConfigError(
                f"Page {page} has links of weight {float(shared[page])!r} in total "
                f"but a total_weight of {float(totals[page])!r}."
            )
    # One array of link length at a time: a 20M-link site costs 160 MB per float array.
    # A page whose total is 0 has only weight-0 links (the check above): their inf * 0 = nan
    # shares are dropped with them.
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.reciprocal(totals)[sources]
        if weights is not None:
            shares *= weights
    if weights is not None:
        keep = weights > 0
        if not keep.all():
            sources, targets, shares = sources[keep], targets[keep], shares[keep]
    matrix = sparse.coo_array((shares, (sources, targets)), shape=(n, n)).tocsr()
    matrix.sum_duplicates()
    return matrix


def pagerank(
    transitions: sparse.sparray | sparse.spmatrix,
    *,
    damping: float = 0.85,
    teleport: npt.ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    start: npt.ArrayLike | None = None,
    method: str = "auto",
) -> PageRankResult:
    """Solve the equity model for page scores.

    Parameters
    ----------
    transitions
        The transition matrix ``P`` (scipy.sparse, CSR preferred): ``P[i, j]`` is the share of
        page i's equity passed to page j; rows sum to at most 1.
    damping
        Probability of following a link rather than teleporting, in (0, 1).
    teleport
        Non-negative teleport (personalisation) weights, one per page; normalised here.
        Uniform by default. Dangling and lost mass follow it too.
    tol
        L1 residual ``||x - G(x)||_1`` to reach.
    max_iter
        Products with ``P`` allowed before :class:`~linkequity.errors.ConvergenceError`.
    start
        Non-negative warm start, e.g. the scores before a small change to the links. It
        pays off most where equity mixes slowly: on cnr-2000, after 10 links change,
        ``bicgstab`` needs 42 products instead of 84 and ``jacobi`` 68 instead of 124.
    method
        ``auto`` (= ``bicgstab``), ``bicgstab``, ``jacobi`` or ``power``.

    Returns
    -------
    PageRankResult

    Examples
    --------
    A home page linking to two pages, one of which links back:

    >>> P = transition_matrix(3, [0, 0, 1], [1, 2, 0])
    >>> result = pagerank(P)
    >>> [round(float(s), 4) for s in result.scores]
    [0.3936, 0.3032, 0.3032]
    >>> result.residual <= 1e-10
    True
    """
    matrix = _checked_transitions(transitions)
    n = matrix.shape[0]
    if isinstance(damping, bool) or not isinstance(damping, Real) or not 0 < damping < 1:
        raise ConfigError(f"The damping factor must be between 0 and 1, not {damping!r}.")
    if isinstance(tol, bool) or not isinstance(tol, Real) or not 0 < tol < math.inf:
        raise ConfigError(f"The tolerance must be a positive number, not {tol!r}.")
    if isinstance(max_iter, bool) or not isinstance(max_iter, Integral) or max_iter < 1:
        raise ConfigError(f"The iteration limit must be a whole number >= 1, not {max_iter!r}.")
    if method not in METHODS:
        raise ConfigError(
            f"Unknown PageRank method {method!r}; choose one of {', '.join(METHODS)}."
        )
    chosen = "bicgstab" if method == "auto" else method
    teleport_v = _distribution(teleport, n, "teleport vector")
    start_v = None if start is None else _distribution(start, n, "start vector")
    if n == 0:
        return PageRankResult(_frozen(np.zeros(0)), 0, 0.0, chosen)
    system = _System(matrix, float(damping), teleport_v, float(tol), int(max_iter))
    y = _SOLVERS[chosen](system, start_v)
    return PageRankResult(_frozen(y / y.sum()), system.products, system.residual, chosen)


def pagerank_residual(
    transitions: sparse.sparray | sparse.spmatrix,
    scores: npt.ArrayLike,
    *,
    damping: float = 0.85,
    teleport: npt.ArrayLike | None = None,
) -> float:
    """``||x - G(x)||_1`` for the scores ``x`` (normalised first), ``G`` the PageRank operator.

    One product with ``P``; for checking scores from elsewhere against the model.
    """
    matrix = _checked_transitions(transitions)
    n = matrix.shape[0]
    x = _distribution(scores, n, "score vector")
    v = _distribution(teleport, n, "teleport vector")
    passed = x @ matrix
    gap = x - damping * passed - (1.0 - damping * float(passed.sum())) * v
    return float(np.abs(gap).sum())


# --------------------------------------------------------------------------------------------
# Input checks


def _ids(values: npt.ArrayLike, name: str, n: int) -> npt.NDArray[np.integer[Any]]:
    """Page ids as given, as int32 when they fit: 4-byte column indices make the products
    ~10% faster than 8-byte ones, and halve what the ids cost in memory."""
    array = np.asarray(values).ravel()
    if not array.size:
        return np.zeros(0, dtype=np.int32)
    if not np.issubdtype(array.dtype, np.integer):
        raise ConfigError(f"{name} must hold integer page ids, not {array.dtype} values.")
    if n <= np.iinfo(np.int32).max and len(array) <= np.iinfo(np.int32).max:
        low, high = array.min(), array.max()
        if low >= 0 and high < n:
            return array.astype(np.int32, copy=False)
    return array


def _checked_transitions(transitions: Any) -> Any:
    if not sparse.issparse(transitions):
        raise ConfigError(
            "The transition matrix must be a scipy.sparse matrix, "
            f"not {type(transitions).__name__}."
        )
    rows, cols = transitions.shape
    if rows != cols:
        raise ConfigError(f"The transition matrix must be square, not {rows} x {cols}.")
    matrix = transitions.tocsr()
    if matrix.dtype != np.float64:
        matrix = matrix.astype(np.float64)
    if matrix.nnz == 0:
        return matrix
    data = matrix.data
    low = data.min()
    if not low >= 0:
        at = int(np.argmin(data)) if not np.isnan(low) else int(np.flatnonzero(np.isnan(data))[0])
        row = int(np.searchsorted(matrix.indptr, at, side="right")) - 1
        raise ConfigError(
            f"The transition matrix has share {float(data[at])!r} from page {row} to page "
            f"{int(matrix.indices[at])}; shares must be >= 0."
        )
    sums = matrix @ np.ones(cols)
    over = np.flatnonzero(sums > 1 + ROW_SUM_SLACK)
    if len(over):
        raise ConfigError(
            f"The transition shares of page {over[0]} sum to {float(sums[over[0]])!r}, more than 1."
        )
    return matrix


def _distribution(values: npt.ArrayLike | None, n: int, name: str) -> FloatArray:
    if values is None:
        return np.full(n, 1.0 / n) if n else np.zeros(0)
    array = np.asarray(values, dtype=np.float64).ravel()
    if len(array) != n:
        raise ConfigError(f"The {name} has {len(array)} entries for {n} pages.")
    bad = np.flatnonzero(~(np.isfinite(array) & (array >= 0)))
    if len(bad):
        raise ConfigError(
            f"The {name} has entry {float(array[bad[0]])!r} for page {bad[0]}; "
            "entries must be finite and >= 0."
        )
    total = float(array.sum())
    if n and total == 0:
        raise ConfigError(f"The {name} is all zeros; at least one page needs a positive entry.")
    return array / total if n else array


def _frozen(array: FloatArray) -> FloatArray:
    array.setflags(write=False)
    return array


# --------------------------------------------------------------------------------------------
# Solvers


def _dot(a: FloatArray, b: FloatArray) -> float:
    # einsum, not BLAS: OpenBLAS's threads spin between calls and starve the sparse product
    # of the second core (measured: BiCGSTAB on cnr-2000 ran 10x slower with its vector
    # operations done by scipy.linalg.blas).
    return float(np.einsum("i,i->", a, b))


class _System:
    """``(I - d P^T) y = v``: the products counted, and the convergence test in L1."""

    def __init__(
        self, matrix: Any, damping: float, teleport: FloatArray, tol: float, max_iter: int
    ) -> None:
        self.matrix = matrix
        self.damping = damping
        self.teleport = teleport
        self.tol = tol
        self.max_iter = max_iter
        self.products = 0
        self.residual = math.inf
        self.scratch = np.empty_like(teleport)
        self.next_check = 0
        self.last_check: tuple[int, float] | None = None
        diagonal = matrix.diagonal()
        # The Jacobi diagonal of I - d P^T; None when no page links to itself.
        self.diagonal: FloatArray | None = 1.0 - damping * diagonal if diagonal.any() else None

    def passed(self, y: FloatArray) -> FloatArray:
        """``P^T y``, counted against the iteration limit."""
        if self.products >= self.max_iter:
            raise ConvergenceError(
                f"PageRank did not converge: after {self.products} iterations the residual is "
                f"{self.residual:.3g}, above the tolerance {self.tol:.3g}."
            )
        self.products += 1
        result: FloatArray = y @ self.matrix
        return result

    def gap(self, y: FloatArray, passed: FloatArray) -> FloatArray:
        """The residual ``v - (I - d P^T) y`` of the linear system, in place of ``passed``."""
        np.multiply(passed, self.damping, out=passed)
        np.add(passed, self.teleport, out=passed)
        np.subtract(passed, y, out=passed)
        return passed

    def applied(self, y: FloatArray) -> FloatArray:
        """``(I - d P^T) y``."""
        result = self.passed(y)
        np.multiply(result, -self.damping, out=result)
        np.add(result, y, out=result)
        return result

    def check_due(self) -> bool:
        return self.products >= self.next_check

    def converged(self, y: FloatArray, rho: FloatArray) -> bool:
        """Whether ``y`` meets ``tol``, given its linear residual ``rho = v - (I - d P^T) y``.

        For ``x = y / sum(y)``, ``x - G(x) = (sum(rho) v - rho) / sum(y)``. That costs six
        vector passes, so the stationary methods check only when :meth:`check_due`: where the
        rate seen so far says the residual reaches ``tol``, at most ``CHECK_MAX_GAP``
        products on, and at the iteration limit, so that a ConvergenceError reports the
        residual of the last iterate. BiCGSTAB, whose rate jumps, checks every step.
        """
        gap = np.multiply(self.teleport, float(rho.sum()), out=self.scratch)
        np.subtract(gap, rho, out=gap)
        np.abs(gap, out=gap)
        total = float(y.sum())
        # a Krylov iterate may sum to 0 or less on its way (no normalisation is defined
        # then): it is not an answer, whatever its linear residual
        self.residual = float(gap.sum()) / total if total > 0 else math.inf
        if self.residual <= self.tol:
            return True
        steps = 1
        if self.last_check is not None:
            before, residual_before = self.last_check
            if 0 < self.residual < residual_before < math.inf and self.products > before:
                rate = (self.residual / residual_before) ** (1.0 / (self.products - before))
                steps = int(math.log(self.tol / self.residual) / math.log(rate))
        self.last_check = (self.products, self.residual)
        self.next_check = min(self.products + max(1, min(steps, CHECK_MAX_GAP)), self.max_iter)
        return False

    def initial(self, start: FloatArray | None) -> tuple[FloatArray, FloatArray]:
        """The first iterate and ``P^T`` of it: the teleport vector, or the warm start scaled.

        The scale makes ``1^T (I - d P^T) y = 1^T v``, which the solution satisfies exactly.
        """
        if start is None:
            y = self.teleport.copy()
            if self.diagonal is not None:
                y /= self.diagonal
            return y, self.passed(y)
        passed = self.passed(start)
        scale = 1.0 / (1.0 - self.damping * float(passed.sum()))
        return start * scale, passed * scale


def _add_scaled(y: FloatArray, a: float, x: FloatArray, scratch: FloatArray) -> None:
    """``y += a x`` in place."""
    np.multiply(x, a, out=scratch)
    np.add(y, scratch, out=y)


def _jacobi(system: _System, start: FloatArray | None) -> FloatArray:
    """``y <- y + D^-1 (v - (I - d P^T) y)``; with ``D = I`` the power method."""
    y, passed = system.initial(start)
    while True:
        if system.diagonal is None and not system.check_due():
            # y <- v + d P^T y, in two passes.
            np.multiply(passed, system.damping, out=passed)
            np.add(passed, system.teleport, out=passed)
            y, passed = passed, y
        else:
            rho = system.gap(y, passed)
            if system.check_due() and system.converged(y, rho):
                return y
            if system.diagonal is not None:
                np.divide(rho, system.diagonal, out=rho)
            np.add(y, rho, out=y)
        passed = system.passed(y)


def _power(system: _System, start: FloatArray | None) -> FloatArray:
    system.diagonal = None
    return _jacobi(system, start)


def _bicgstab(system: _System, start: FloatArray | None) -> FloatArray:
    """Right-preconditioned BiCGSTAB; restarts from the true residual after a breakdown.

    The recursively updated residual drifts from the true one by rounding, so when it says
    "converged" one more product computes the true residual, and the iteration restarts from
    it if that falls short.
    """
    y, passed = system.initial(start)
    r = system.gap(y, passed)
    if system.converged(y, r):
        return y
    inverse = None if system.diagonal is None else 1.0 / system.diagonal
    scratch = np.empty_like(y)
    p = np.empty_like(y)
    zhat = np.empty_like(y)

    def preconditioned(z: FloatArray) -> FloatArray:
        if inverse is None:
            return z
        return np.multiply(z, inverse, out=zhat)

    ratio, due = 0.0, system.products + 2

    while True:
        shadow = r.copy()
        rho_prev = alpha = omega = 1.0
        q = np.zeros_like(y)
        p[:] = r
        first = True
        while True:
            rho = _dot(shadow, r)
            if rho == 0.0:
                break
            if not first:
                # p = r + beta (p - omega q)
                _add_scaled(p, -omega, q, scratch)
                np.multiply(p, (rho / rho_prev) * (alpha / omega), out=p)
                np.add(p, r, out=p)
            first = False
            phat = preconditioned(p)
            q = system.applied(phat)
            denominator = _dot(shadow, q)
            if denominator == 0.0:
                break
            alpha = rho / denominator
            _add_scaled(y, alpha, phat, scratch)
            _add_scaled(r, -alpha, q, scratch)
            shat = preconditioned(r)
            t = system.applied(shat)
            tt = _dot(t, t)
            if tt == 0.0:
                break
            omega = _dot(t, r) / tt
            _add_scaled(y, omega, shat, scratch)
            _add_scaled(r, -omega, t, scratch)
            if omega == 0.0:
                break
            # The exact L1 check costs six passes; one dot gives the 2-norm, which the
            # L1/L2 ratio of the last exact check turns into an estimate.
            size = math.sqrt(_dot(r, r))
            if ratio * size <= CHECK_MARGIN * system.tol or system.products >= due:
                if system.converged(y, r):
                    break
                ratio = system.residual / size if size > 0 else 0.0
                due = system.products + CHECK_MAX_GAP
            rho_prev = rho
        if y.min() < 0:
            # Krylov iterates are not monotone: a page whose score is 0 (no teleport mass and
            # no path from one that has it) can come out at -1e-17, which no score may be.
            np.maximum(y, 0.0, out=y)
        r = system.gap(y, system.passed(y))
        if system.converged(y, r):
            return y


_SOLVERS: dict[str, Callable[[_System, FloatArray | None], FloatArray]] = {
    "bicgstab": _bicgstab,
    "jacobi": _jacobi,
    "power": _power,
}
