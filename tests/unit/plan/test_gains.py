"""Predicted score changes equal a plain re-solve of the changed graph, for random changes."""

from __future__ import annotations

import numpy as np
import pytest

from linkequity.equity import transition_matrix
from linkequity.plan.gains import EquityModel, RowChange

D = 0.85


def dense_scores(weights: np.ndarray, totals: np.ndarray, teleport: np.ndarray) -> np.ndarray:
    """The model solved directly: (I - d P^T) y = v, normalised."""
    n = len(totals)
    safe = np.where(totals > 0, totals, 1.0)
    p = weights / safe[:, None]
    y = np.linalg.solve(np.eye(n) - D * p.T, teleport)
    return y / y.sum()


def random_site(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Link weights between pages and each page's total counted weight (losses on top);
    some pages have no link at all."""
    weights = np.where(rng.random((n, n)) < 0.3, rng.choice([1.0, 0.5, 0.2], (n, n)), 0.0)
    np.fill_diagonal(weights, 0.0)
    weights[rng.random(n) < 0.1] = 0.0  # dangling pages
    losses = np.where(rng.random(n) < 0.6, 1.0 + rng.random(n), 0.0)
    return weights, weights.sum(axis=1) + losses


def model_of(weights: np.ndarray, totals: np.ndarray, teleport: np.ndarray) -> EquityModel:
    src, dst = np.nonzero(weights)
    matrix = transition_matrix(len(totals), src, dst, weights[src, dst], totals)
    return EquityModel(matrix, totals, D, teleport)


@pytest.mark.parametrize("seeded", [False, True])
def test_hundreds_of_random_changes_match_a_re_solve(seeded: bool) -> None:
    rng = np.random.default_rng(11 if seeded else 7)
    n = 40
    weights, totals = random_site(rng, n)
    teleport = rng.random(n) ** 4 if seeded else np.full(n, 1.0 / n)
    teleport = teleport / teleport.sum()
    model = model_of(weights, totals, teleport)
    before = dense_scores(weights, totals, teleport)
    np.testing.assert_allclose(model.scores, before, rtol=1e-10)
    kinds = {"add": 0, "remove": 0, "nofollow": 0, "follow": 0, "position": 0}
    for _ in range(800):
        s, t = (int(i) for i in rng.choice(n, 2, replace=False))
        w = float(rng.choice([1.0, 0.5, 0.2]))
        new_w, new_t = weights.copy(), totals.copy()
        kind = str(rng.choice(["add", "remove", "nofollow", "follow", "position"]))
        current = weights[s, t]
        if kind == "add" and current == 0:
            change = RowChange(s, t, w, w)
            new_w[s, t], new_t[s] = w, totals[s] + w
        elif kind == "remove" and current > 0:
            change = RowChange(s, t, -current, -current)
            new_w[s, t], new_t[s] = 0.0, totals[s] - current
        elif kind == "nofollow" and current > 0:  # the link now evaporates: it still dilutes
            change = RowChange(s, t, 0.0, -current)
            new_w[s, t] = 0.0
        elif kind == "follow" and totals[s] - weights[s].sum() >= w:
            # an evaporating link of weight w (part of the page's losses) now passes equity
            change = RowChange(s, t, 0.0, w)
            new_w[s, t] = current + w
        elif kind == "position" and current > 0 and w != current:
            change = RowChange(s, t, w - current, w - current)
            new_w[s, t], new_t[s] = w, totals[s] - current + w
        else:
            continue
        kinds[kind] += 1
        after = dense_scores(new_w, new_t, teleport)
        predicted = model.scores_after(change)
        scale = np.abs(after - before).max()
        assert np.abs(predicted - after).max() <= 1e-9 * scale, (kind, s, t)
    assert min(kinds.values()) >= 20


def test_removing_a_pages_only_link_makes_it_dangling() -> None:
    weights = np.zeros((3, 3))
    weights[0, 1] = weights[1, 2] = weights[2, 0] = weights[2, 1] = 1.0
    totals = weights.sum(axis=1)
    teleport = np.full(3, 1 / 3)
    model = model_of(weights, totals, teleport)
    new_w, new_t = weights.copy(), totals.copy()
    new_w[0, 1], new_t[0] = 0.0, 0.0
    predicted = model.scores_after(RowChange(0, 1, -1.0, -1.0))
    np.testing.assert_allclose(predicted, dense_scores(new_w, new_t, teleport), rtol=1e-10)


def test_a_dangling_page_gaining_a_link_passes_all_its_equity() -> None:
    weights = np.zeros((3, 3))
    weights[0, 1] = weights[1, 0] = 1.0
    totals = weights.sum(axis=1)  # page 2 has no link
    teleport = np.full(3, 1 / 3)
    model = model_of(weights, totals, teleport)
    new_w, new_t = weights.copy(), totals.copy()
    new_w[2, 1], new_t[2] = 1.0, 1.0
    predicted = model.scores_after(RowChange(2, 1, 1.0, 1.0))
    np.testing.assert_allclose(predicted, dense_scores(new_w, new_t, teleport), rtol=1e-10)
    assert predicted[1] > model.scores[1]


def test_the_adjoint_solve_is_the_transpose() -> None:
    rng = np.random.default_rng(3)
    weights, totals = random_site(rng, 30)
    model = model_of(weights, totals, np.full(30, 1 / 30))
    safe = np.where(totals > 0, totals, 1.0)
    z = np.linalg.inv(np.eye(30) - D * (weights / safe[:, None]).T)
    c = rng.random(30)
    np.testing.assert_allclose(model.adjoint(c), z.T @ c, rtol=1e-11)
    np.testing.assert_allclose(model.row(4), z[4], rtol=1e-11)
    np.testing.assert_allclose(model.column(7), z[:, 7], rtol=1e-11)


@pytest.mark.parametrize("seeded", [False, True])
def test_changes_applied_one_after_another_match_a_re_solve(seeded: bool) -> None:
    """Thirty changes made part of the model in turn: after each, the scores, every column
    and row asked for and the objective's prediction for the next change equal a dense
    solve of the graph with all the changes so far."""
    rng = np.random.default_rng(5 if seeded else 6)
    n = 35
    weights, totals = random_site(rng, n)
    teleport = rng.random(n) ** 4 if seeded else np.full(n, 1.0 / n)
    teleport = teleport / teleport.sum()
    model = model_of(weights, totals, teleport)
    c = np.zeros(n)
    c[rng.choice(n, 4, replace=False)] = rng.random(4) + 0.5
    model.set_priorities(c)
    applied = 0
    while applied < 30:
        s, t = (int(i) for i in rng.choice(n, 2, replace=False))
        current = weights[s, t]
        new_w, new_t = weights.copy(), totals.copy()
        if current == 0:
            w = float(rng.choice([1.0, 0.5, 0.2]))
            change = RowChange(s, t, w, w)
            new_w[s, t], new_t[s] = w, totals[s] + w
        else:
            change = RowChange(s, t, -current, -current)
            new_w[s, t], new_t[s] = 0.0, totals[s] - current
        after = dense_scores(new_w, new_t, teleport)
        predicted = model.objective_after(model.objective_change(change))
        assert predicted == pytest.approx(float(c @ after), rel=1e-10)
        model.apply(change)
        weights, totals = new_w, new_t
        applied += 1
        np.testing.assert_allclose(model.scores, after, rtol=1e-9)
        assert model.objective == pytest.approx(float(c @ after), rel=1e-10)
    safe = np.where(totals > 0, totals, 1.0)
    z = np.linalg.inv(np.eye(n) - D * (weights / safe[:, None]).T)
    for j in (0, 9, 21):
        np.testing.assert_allclose(model.column(j), z[:, j], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(model.row(j), z[j], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.h, z.T @ c, rtol=1e-9)
    np.testing.assert_allclose(model.total_weight, totals)
