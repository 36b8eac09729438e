"""Exact score changes of a link change by a rank-one update, without a re-solve (plan stage).

The equity model solves ``y = M^-1 v`` with ``M = I - d P^T`` and reports ``x = y / sum(y)``
(see :mod:`linkequity.equity.pagerank`). Row ``s`` of ``P`` is the weight of each of s's
links that passes equity to a page, over ``W_s``, the weight of all of s's counted links
(losses included). Every change to the links of one page (a link added or removed, a rel
or position changed) is a :class:`RowChange`: ``W_s`` grows by ``a`` and the weight passed
to page ``t`` by ``b``, so the new row is ``(W_s p_s + b e_t) / (W_s + a)``. That changes
``P^T`` by the rank-one ``delta e_s^T`` and, by Sherman-Morrison, with ``Z = M^-1`` and its
columns ``z_j`` (``Z p_s = (z_s - e_s) / d`` because ``Z P^T = (Z - I) / d``)::

    y' - y = y_s (d b z_t - a z_s + a e_s) / (W_s + a Z_ss - d b Z_st)

and, when the change leaves s with no counted link, ``y' - y = -y_s (z_s - e_s) / Z_ss``.
So the exact change of every page's score needs two columns of ``Z``: one solve for the
target and one for the source, each as costly as the analysis' own solve (one PageRank
solve with a one-page teleport; 0.08 s on the 20,000-page example site), cached per page.

A priority objective ``F = c.x = c.y / 1.y`` (the weighted sum of the priority pages'
shares) changes by ``c.(y' - y)`` over ``1.(y' - y)``, and ``c.z_j = h_j`` with
``h = Z^T c``: one *adjoint* solve ``(I - d P) h = c`` (and one for ``g = Z^T 1``) gives the
objective's change for every change at once, up to the one number ``Z_ss`` of the source's
column in the denominator (:meth:`EquityModel.objective_change`). Since
``1 <= Z_ss <= 1 / (1 - d^2 r_s)`` (``r_s`` the share of s's equity its links pass on, no
page linking to itself), that change has bounds before any column is solved.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import linalg

from linkequity.equity.pagerank import pagerank
from linkequity.errors import ConfigError, ConvergenceError

__all__ = ["EquityModel", "ObjectiveChange", "RowChange"]

_F64 = npt.NDArray[np.float64]
#: Restarts of BiCGSTAB after a breakdown allowed; on 20 random 35-page sites no row solve
#: needed more than one (1.14 calls per row on average).
_ADJOINT_RESTARTS = 20


class RowChange(NamedTuple):
    """A change to the counted links of one page, in the model's terms."""

    source: int
    """The node whose links change."""
    target: int
    """The node whose received weight changes; -1 when none does (a link that evaporates,
    leaks or is wasted)."""
    added_weight: float
    """``a``: the change of the source's total counted weight."""
    passed_weight: float
    """``b``: the change of the weight the source passes to ``target``."""


class ObjectiveChange(NamedTuple):
    """What one change does to the totals behind a priority objective ``C / S``."""

    weighted: float
    """``c.(y' - y)``: the change of the priority pages' weighted equity."""
    total: float
    """``1.(y' - y)``: the change of the site's equity."""


class EquityModel:
    """One solved equity model, the changes applied to it since, and the columns and rows
    of ``M^-1`` asked for so far.

    :meth:`apply` makes a change part of the model without a re-solve: with the change's
    ``u = (y' - y) / y_s``, ``Z' = Z + u Z[s, :]``, so a column of the changed model is the
    stored one plus one vector update per change applied (``z_j += u_k z_j[s_k]``), a row
    likewise (``Z'[j, :] = Z[j, :] + u_j Z[s, :]``), and ``y``, ``h``, ``g`` follow the same way.
    A solve is needed only for a column or row not asked for before, and one row (adjoint)
    solve per change applied, for its source.
    """

    def __init__(
        self,
        transitions: sparse.csr_array,
        total_weight: _F64,
        damping: float,
        teleport: _F64 | None = None,
        tol: float = 1e-13,
    ) -> None:
        self.transitions = transitions
        self.damping = damping
        self.tol = tol
        self.n = transitions.shape[0]
        self._base_row_sums = np.asarray(transitions.sum(axis=1)).ravel()
        self.total_weight = np.array(total_weight, dtype=np.float64)
        """``W``: each page's counted link weight, changes applied."""
        self.row_sums = self._base_row_sums.copy()
        """The share of each page's equity its links pass to pages, changes applied."""
        v = np.full(self.n, 1.0 / self.n) if teleport is None else np.asarray(teleport, float)
        self.teleport = v / v.sum()
        self.y = self.solve(self.teleport)
        self.priorities: _F64 = np.zeros(self.n)
        """``c``, set by :meth:`set_priorities`."""
        self.h: _F64 = np.zeros(self.n)
        self.g: _F64 = np.zeros(self.n)
        self._updates: list[tuple[int, _F64, _F64]] = []
        """Per change applied: its source, ``u`` and the source's row before it."""
        self._base_columns: dict[int, _F64] = {}
        self._base_rows: dict[int, _F64] = {}
        self._columns: dict[int, tuple[int, _F64]] = {}
        self._rows: dict[int, tuple[int, _F64]] = {}

    def solve(self, b: _F64) -> _F64:
        """``M^-1 b`` for a non-negative ``b`` in the model as solved (no change applied): a
        PageRank solve with teleport ``b``, scaled back (``sum(M^-1 b) = sum(b) / (1 - d
        x.r)`` for the normalised solution ``x``)."""
        total = float(b.sum())
        x = pagerank(self.transitions, damping=self.damping, teleport=b, tol=self.tol).scores
        result: _F64 = x * (total / (1.0 - self.damping * float(x @ self._base_row_sums)))
        return result

    def adjoint(self, c: _F64) -> _F64:
        """``Z^T c`` in the model as solved: ``(I - d P) h = c`` by BiCGSTAB, to a 2-norm
        residual of ``tol`` relative to ``c`` (no page links to itself in the graph, so the
        Jacobi diagonal is the identity). Started from a one-page ``c``, BiCGSTAB's shadow
        residual is that unit vector and often turns orthogonal to the residual (scipy's
        breakdown, ``info = -10``, on 9 of 35 pages of a random 35-page site): it is then
        restarted from where it stopped, whose residual is dense."""
        d = self.damping
        matrix = self.transitions

        def apply(h: _F64) -> _F64:
            result: _F64 = h - d * (matrix @ h)
            return result

        scale = float(np.linalg.norm(c))
        h = np.zeros(self.n)
        if scale == 0.0:
            return h
        operator = linalg.LinearOperator((self.n, self.n), matvec=apply, dtype=np.float64)
        residual = 1.0
        for _ in range(_ADJOINT_RESTARTS):
            h, _info = linalg.bicgstab(operator, c, x0=h, rtol=self.tol, atol=0.0, maxiter=1000)
            residual = float(np.linalg.norm(c - apply(h))) / scale
            if residual <= self.tol:
                result: _F64 = np.asarray(h, dtype=np.float64)
                return result
        raise ConvergenceError(
            f"The adjoint solve did not converge: its residual is {residual:.3g}, above the "
            f"tolerance {self.tol:.3g}."
        )

    def has_column(self, j: int) -> bool:
        """Whether column ``j`` is at hand without a solve."""
        return j in self._base_columns

    def has_row(self, j: int) -> bool:
        """Whether row ``j`` is at hand without a solve."""
        return j in self._base_rows

    def base_column(self, j: int) -> _F64:
        """Column ``j`` of ``Z`` of the model as solved, before any change applied."""
        if j not in self._base_columns:
            self.column(j)
        return self._base_columns[j]

    def column(self, j: int) -> _F64:
        """Column ``j`` of ``Z``, changes applied (one solve the first time)."""
        version, z = self._columns.get(j, (0, None))
        if z is None:
            e = np.zeros(self.n)
            e[j] = 1.0
            base = self._base_columns[j] = self.solve(e)
            z = base.copy()
        for s, u, _ in self._updates[version:]:
            z = z + u * z[s]
        self._columns[j] = (len(self._updates), z)
        return z

    def row(self, j: int) -> _F64:
        """Row ``j`` of ``Z``, changes applied (one adjoint solve the first time)."""
        version, r = self._rows.get(j, (0, None))
        if r is None:
            e = np.zeros(self.n)
            e[j] = 1.0
            base = self._base_rows[j] = self.adjoint(e)
            r = base.copy()
        for _, u, row_s in self._updates[version:]:
            r = r + u[j] * row_s
        self._rows[j] = (len(self._updates), r)
        return r

    def set_priorities(self, weights: _F64) -> None:
        """Set ``c`` of the objective ``c.x``: two adjoint solves (``h`` and ``g``), and the
        changes applied so far replayed onto them."""
        self.priorities = np.asarray(weights, dtype=np.float64)
        self.h = self.adjoint(self.priorities)
        self.g = self.adjoint(np.ones(self.n))
        for _, u, row_s in self._updates:
            self.h += row_s * float(u @ self.priorities)
            self.g += row_s * float(u.sum())

    @property
    def scores(self) -> _F64:
        """Each page's share of the site's equity."""
        result: _F64 = self.y / self.y.sum()
        return result

    @property
    def objective(self) -> float:
        """``c.x``: the priority pages' weighted share."""
        return float(self.priorities @ self.y) / float(self.y.sum())

    def _empties(self, source: int, added: float) -> bool:
        w_s = float(self.total_weight[source])
        if w_s + added < -1e-12 * max(w_s, 1.0):
            raise ConfigError(f"Page {source} would have a negative link weight ({w_s + added!r}).")
        return w_s + added <= 1e-12 * max(w_s, 1.0)

    def direction(self, change: RowChange) -> _F64:
        """``u = (y' - y) / y_s``: the change's column update, exactly."""
        s, t, a, b = change
        d = self.damping
        z_s = self.column(s)
        if self._empties(s, a):
            emptied: _F64 = -z_s / z_s[s]
            emptied[s] += 1.0 / z_s[s]
            return emptied
        u = -a * z_s
        u[s] += a
        denominator = float(self.total_weight[s]) + a * z_s[s]
        if t >= 0 and b != 0:  # the target's column only when some weight reaches it
            z_t = self.column(t)
            u += d * b * z_t
            denominator -= d * b * z_t[s]
        result: _F64 = u / denominator
        return result

    def delta_y(self, change: RowChange) -> _F64:
        """``y' - y`` for one change, exactly."""
        result: _F64 = self.y[change.source] * self.direction(change)
        return result

    def scores_after(self, change: RowChange) -> _F64:
        """Every page's share after one change."""
        y = self.y + self.delta_y(change)
        result: _F64 = y / y.sum()
        return result

    def objective_change(self, change: RowChange) -> ObjectiveChange:
        """``c.(y' - y)`` and ``1.(y' - y)`` of one change from ``h`` and ``g`` and the
        source's and target's column entries: no vector pass."""
        s, t, a, b = change
        d = self.damping
        z_ss = self.column(s)[s]
        y_s = float(self.y[s])
        if self._empties(s, a):
            c_s = float(self.priorities[s])
            return ObjectiveChange(
                -y_s * (float(self.h[s]) - c_s) / z_ss, -y_s * (float(self.g[s]) - 1.0) / z_ss
            )
        weighted = a * (float(self.priorities[s]) - float(self.h[s]))
        total = a * (1.0 - float(self.g[s]))
        denominator = float(self.total_weight[s]) + a * z_ss
        if t >= 0 and b != 0:
            weighted += d * b * float(self.h[t])
            total += d * b * float(self.g[t])
            denominator -= d * b * self.column(t)[s]
        return ObjectiveChange(y_s * weighted / denominator, y_s * total / denominator)

    def objective_after(self, change: ObjectiveChange) -> float:
        """``c.x`` after a change of the totals."""
        weighted = float(self.priorities @ self.y) + change.weighted
        return weighted / (float(self.y.sum()) + change.total)

    def apply(self, change: RowChange) -> None:
        """Make ``change`` part of the model: one row solve for its source if not at hand,
        then vector updates of ``y``, ``h``, ``g`` and every stored column and row."""
        s, _, a, b = change
        u = self.direction(change)
        row_s = self.row(s)
        w_s = float(self.total_weight[s])
        if self._empties(s, a):
            self.total_weight[s] = 0.0
            self.row_sums[s] = 0.0
        else:
            self.total_weight[s] = w_s + a
            self.row_sums[s] = (w_s * float(self.row_sums[s]) + b) / (w_s + a)
        self.y = self.y + float(self.y[s]) * u
        self.h = self.h + row_s * float(u @ self.priorities)
        self.g = self.g + row_s * float(u.sum())
        self._updates.append((s, u, row_s))
