"""Greedy choice of new links for the priority objective, each gain exact (plan stage).

Choosing the k links that most raise a set of pages' PageRank is NP-hard (Olsen, "The
computational complexity of link building", COCOON 2008; Olsen and Viglas, "On the
approximability of the link building problem", TCS 2014): no method short of trying every
set of k is known to find the best one. :func:`greedy` is a heuristic: it takes, one at a
time, the candidate link whose exact gain of the objective ``c.x`` is largest in the model
with the links taken so far, until the budgets are spent or no candidate gains anything.
Its result is reported beside the sum of the same links' gains each taken alone (what the
links would give if their gains simply added up) and beside the relevance-only baseline
(:mod:`linkequity.plan.recommend`).

Cost. Every gain is exact (:meth:`~linkequity.plan.gains.EquityModel.objective_change`), but
needs ``Z_ss``, the diagonal entry of the source's column: one solve per candidate source.
Before that solve the gain has bounds, from ``1 <= Z_ss <= 1 / (1 - d^2 r_s)``, so a step
solves only the sources whose upper bound beats the best exact gain known, best bound
first: sources that cannot win are never solved. Beyond those, a step costs one row
(adjoint) solve for the source taken (:meth:`~linkequity.plan.gains.EquityModel.apply`) and
vector updates; the priority pages' columns are solved once, at the start. Measured with
``benchmarks/plan.py`` on the 20,000-page example site (4M links, one solve about 75 ms):
100 links for 10 priority pages among 1,000 candidates took 72 source
columns, 72 rows, 10 priority columns and 3 more solves (the scores, ``h``, ``g``): about 11 s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from linkequity.errors import ConfigError
from linkequity.plan.gains import EquityModel, RowChange

__all__ = ["Budgets", "Candidates", "Pick", "Selection", "greedy"]

_F64 = npt.NDArray[np.float64]
_I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Candidates:
    """New links that may be added: node ids of source and target, and the link's weight."""

    source: _I64
    target: _I64
    weight: _F64

    def __post_init__(self) -> None:
        if not len(self.source) == len(self.target) == len(self.weight):
            raise ConfigError("Every candidate link needs a source, a target and a weight.")

    def __len__(self) -> int:
        return len(self.source)


@dataclass(frozen=True, slots=True)
class Budgets:
    """How many links may be added: in all, from one page, to one page (None: no limit)."""

    total: int
    per_source: int | None = None
    per_target: int | None = None
    room: _I64 | None = None
    """Per node, the links it can still take (its ``max_links_per_page`` less its links);
    a source's limit is the smaller of this and ``per_source``."""

    def source_limit(self, source: int) -> int:
        """New links ``source`` may get."""
        limit = self.total if self.per_source is None else self.per_source
        return limit if self.room is None else min(limit, int(self.room[source]))


@dataclass(frozen=True, slots=True)
class Pick:
    """One link taken, in the order taken."""

    candidate: int
    """Index into the candidates."""
    priority_gain: float
    """The change of ``c.x`` this link makes, after the links taken before it."""
    target_gain: float
    """The change of the target's share it makes, after the links taken before it."""
    cumulative_priority_gain: float
    """The change of ``c.x`` of this link and all taken before it."""
    single_priority_gain: float
    """The change of ``c.x`` this link makes alone, on the model as analysed."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The links taken and what finding them cost."""

    picks: tuple[Pick, ...]
    objective_before: float
    objective_after: float
    column_solves: int
    """Source columns solved (the priority pages' columns not counted)."""
    row_solves: int

    @property
    def single_gain_sum(self) -> float:
        """The sum of the picks' gains each taken alone."""
        return float(sum(p.single_priority_gain for p in self.picks))


@dataclass(frozen=True, slots=True)
class _Totals:
    """What a gain needs of the model at one moment."""

    y: _F64
    h: _F64
    g: _F64
    total_weight: _F64
    c: _F64
    damping: float

    @classmethod
    def of(cls, model: EquityModel) -> _Totals:
        return cls(
            model.y.copy(),
            model.h.copy(),
            model.g.copy(),
            model.total_weight.copy(),
            model.priorities,
            model.damping,
        )

    def gains(self, s: _I64, t: _I64, w: _F64, z_ss: _F64, z_st: _F64) -> _F64:
        """The change of ``c.x`` of adding each link s -> t of weight w (a = b = w)."""
        d = self.damping
        weighted = w * (self.c[s] - self.h[s]) + d * w * self.h[t]
        total = w * (1.0 - self.g[s]) + d * w * self.g[t]
        scale = self.y[s] / (self.total_weight[s] + w * z_ss - d * w * z_st)
        big_c, big_s = float(self.c @ self.y), float(self.y.sum())
        result: _F64 = (big_c + scale * weighted) / (big_s + scale * total) - big_c / big_s
        return result


def greedy(model: EquityModel, candidates: Candidates, budgets: Budgets) -> Selection:
    """Take candidate links one at a time, the largest exact gain of ``c.x`` first (the
    model's priorities must be set); ``model`` ends with the picks applied."""
    if budgets.total < 0:
        raise ConfigError(f"The link budget must be 0 or more, not {budgets.total}.")
    d = model.damping
    s, t, w = candidates.source, candidates.target, candidates.weight
    base = _Totals.of(model)
    objective_before = model.objective
    targets = np.unique(t)
    for target in targets:
        model.column(int(target))
    base_column = {int(j): model.column(int(j)).copy() for j in targets}
    active = np.array([budgets.source_limit(int(j)) > 0 for j in s], dtype=bool)
    from_source = np.zeros(model.n, dtype=np.int64)
    to_target = np.zeros(model.n, dtype=np.int64)
    picks: list[Pick] = []
    columns = rows = 0
    while len(picks) < budgets.total and active.any():
        now = _Totals.of(model)
        z_st = np.empty(len(candidates))
        for target in targets:
            mine = t == target
            z_st[mine] = model.column(int(target))[s[mine]]
        known = np.array([model.has_column(int(j)) for j in s], dtype=bool)
        z_ss = np.ones(len(candidates))
        for j in np.unique(s[known & active]):
            z_ss[s == j] = model.column(int(j))[j]
        exact = now.gains(s, t, w, z_ss, z_st)
        high = 1.0 / (1.0 - d * d * np.clip(model.row_sums[s], 0.0, 1.0))
        bound = np.maximum(
            now.gains(s, t, w, np.ones(len(candidates)), z_st), now.gains(s, t, w, high, z_st)
        )
        value = np.where(known, exact, bound)
        value[~active] = -np.inf
        while True:
            best = int(np.argmax(value))
            if not np.isfinite(value[best]) or value[best] <= 0.0:
                return _selection(picks, objective_before, model, columns, rows)
            if known[best]:
                break
            source = int(s[best])
            z = model.column(source)
            columns += 1
            same = s == source
            known[same] = True
            z_ss[same] = z[source]
            value[same & active] = now.gains(s[same], t[same], w[same], z_ss[same], z_st[same])[
                active[same]
            ]
        source, target, weight = int(s[best]), int(t[best]), float(w[best])
        share_before = float(model.scores[target])
        gain_now = float(value[best])
        rows += int(not model.has_row(source))
        model.apply(RowChange(source, target, weight, weight))
        single = base.gains(
            s[best : best + 1],
            t[best : best + 1],
            w[best : best + 1],
            np.array([model.base_column(source)[source]]),
            np.array([base_column[target][source]]),
        )
        picks.append(
            Pick(
                candidate=best,
                priority_gain=gain_now,
                target_gain=float(model.scores[target]) - share_before,
                cumulative_priority_gain=model.objective - objective_before,
                single_priority_gain=float(single[0]),
            )
        )
        active[best] = False
        from_source[source] += 1
        to_target[target] += 1
        if from_source[source] >= budgets.source_limit(source):
            active &= s != source
        if budgets.per_target is not None and to_target[target] >= budgets.per_target:
            active &= t != target
        active &= ~((s == source) & (t == target))
    return _selection(picks, objective_before, model, columns, rows)


def _selection(
    picks: list[Pick], before: float, model: EquityModel, columns: int, rows: int
) -> Selection:
    return Selection(tuple(picks), before, model.objective, columns, rows)
