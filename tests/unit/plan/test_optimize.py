"""Greedy link choice: each step takes the best exact gain, the gains equal dense re-solves."""

from __future__ import annotations

import numpy as np
import pytest

from linkequity.plan.optimize import Budgets, Candidates, greedy
from tests.unit.plan.test_gains import dense_scores, model_of, random_site


def objective(c: np.ndarray, weights: np.ndarray, totals: np.ndarray, v: np.ndarray) -> float:
    return float(c @ dense_scores(weights, totals, v))


def test_the_strong_page_links_the_priority_page_first() -> None:
    """Home (0) gets every page's link; page 4 is the priority; 5 is a weak page. A link
    from the home passes most; the weak page's link passes least."""
    n = 6
    weights = np.zeros((n, n))
    for page in (1, 2, 3, 4, 5):
        weights[page, 0] = 1.0
    weights[0, 1] = weights[0, 2] = weights[0, 3] = 1.0
    weights[1, 5] = 1.0
    totals = weights.sum(axis=1)
    v = np.full(n, 1 / n)
    model = model_of(weights, totals, v)
    c = np.zeros(n)
    c[4] = 1.0
    model.set_priorities(c)
    candidates = Candidates(np.array([5, 0, 2]), np.array([4, 4, 4]), np.ones(3))
    selection = greedy(model, candidates, Budgets(total=1))
    assert [p.candidate for p in selection.picks] == [1]
    new_w, new_t = weights.copy(), totals.copy()
    new_w[0, 4], new_t[0] = 1.0, totals[0] + 1.0
    after = objective(c, new_w, new_t, v)
    assert selection.picks[0].priority_gain == pytest.approx(
        after - objective(c, weights, totals, v), rel=1e-9
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_step_takes_the_best_exact_gain(seed: int) -> None:
    """Against brute force: at every step, every allowed candidate re-solved densely; the
    pick is the best of them, its predicted gains equal the re-solve's."""
    rng = np.random.default_rng(seed)
    n = 30
    weights, totals = random_site(rng, n)
    v = rng.random(n) ** 3
    v /= v.sum()
    c = np.zeros(n)
    c[rng.choice(n, 3, replace=False)] = [1.0, 0.5, 2.0]
    pairs = [(s, t) for s in range(n) for t in np.flatnonzero(c) if s != t and weights[s, t] == 0]
    chosen = [pairs[i] for i in rng.choice(len(pairs), 40, replace=False)]
    cand = Candidates(
        np.array([p[0] for p in chosen]),
        np.array([p[1] for p in chosen]),
        rng.choice([1.0, 0.5], len(chosen)),
    )
    model = model_of(weights, totals, v)
    model.set_priorities(c)
    budgets = Budgets(total=8, per_source=2, per_target=4)
    selection = greedy(model, cand, budgets)
    assert len(selection.picks) == 8
    start = objective(c, weights, totals, v)
    w_now, t_now = weights.copy(), totals.copy()
    taken: list[int] = []
    for pick in selection.picks:
        before = objective(c, w_now, t_now, v)
        gains = {}
        for i in range(len(chosen)):
            s, t = int(cand.source[i]), int(cand.target[i])
            sources = [int(cand.source[j]) for j in taken]
            targets = [int(cand.target[j]) for j in taken]
            if i in taken or sources.count(s) >= 2 or targets.count(t) >= 4:
                continue
            trial_w, trial_t = w_now.copy(), t_now.copy()
            trial_w[s, t] += cand.weight[i]
            trial_t[s] += cand.weight[i]
            gains[i] = objective(c, trial_w, trial_t, v) - before
        best = max(gains, key=lambda i: gains[i])
        assert pick.candidate == best
        assert pick.priority_gain == pytest.approx(gains[best], rel=1e-9)
        s, t = int(cand.source[best]), int(cand.target[best])
        share_before = dense_scores(w_now, t_now, v)[t]
        w_now[s, t] += cand.weight[best]
        t_now[s] += cand.weight[best]
        taken.append(best)
        assert pick.target_gain == pytest.approx(
            dense_scores(w_now, t_now, v)[t] - share_before, rel=1e-9
        )
        assert pick.cumulative_priority_gain == pytest.approx(
            objective(c, w_now, t_now, v) - start, rel=1e-9
        )
        alone_w, alone_t = weights.copy(), totals.copy()
        alone_w[s, t] += cand.weight[best]
        alone_t[s] += cand.weight[best]
        assert pick.single_priority_gain == pytest.approx(
            objective(c, alone_w, alone_t, v) - start, rel=1e-9
        )
    np.testing.assert_allclose(model.scores, dense_scores(w_now, t_now, v), rtol=1e-9)
    # the bounds spared some solves: fewer source columns than distinct candidate sources
    assert selection.column_solves < len(set(cand.source.tolist()))


def test_budgets_and_no_gain_stop_the_choice() -> None:
    rng = np.random.default_rng(4)
    n = 20
    weights, totals = random_site(rng, n)
    model = model_of(weights, totals, np.full(n, 1 / n))
    c = np.zeros(n)
    c[3] = 1.0
    model.set_priorities(c)
    sources = np.array([s for s in range(n) if s != 3 and weights[s, 3] == 0])
    cand = Candidates(sources, np.full(len(sources), 3), np.ones(len(sources)))
    selection = greedy(model, cand, Budgets(total=50, per_target=5))
    assert len(selection.picks) == 5
    assert all(p.priority_gain > 0 for p in selection.picks)
    # pages 0 and 1 pass everything to each other; a link from 0 to the page without links
    # sends half of 0's equity to the teleport: it only loses, so nothing is taken
    pair = np.zeros((3, 3))
    pair[0, 1] = pair[1, 0] = 1.0
    model = model_of(pair, pair.sum(axis=1), np.full(3, 1 / 3))
    model.set_priorities(np.array([1.0, 0.0, 0.0]))
    outward = Candidates(np.array([0]), np.array([2]), np.ones(1))
    assert greedy(model, outward, Budgets(total=5)).picks == ()
