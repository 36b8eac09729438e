"""The reference PageRank: published values, the explicit model by hand, its limit, and the
runnable examples of the equity modules."""

from __future__ import annotations

import doctest
import importlib

import pytest

from linkequity.equity import reference_pagerank
from linkequity.errors import ConvergenceError


def test_langville_meyer_six_page_example() -> None:
    links = {1: [2, 3], 3: [1, 2, 5], 4: [5, 6], 5: [4, 6], 6: [4]}
    shares = {i - 1: {j - 1: 1 / len(out) for j in out} for i, out in links.items()}
    scores = reference_pagerank(shares, 6, damping=0.9)
    published = [0.03721197, 0.05395735, 0.04150565, 0.37508082, 0.20599833, 0.28624589]
    assert scores == pytest.approx(published, abs=5e-9)


def test_dangling_and_evaporated_equity_by_hand() -> None:
    # Page 0 passes 60% of its equity to page 1 and loses 40% (nofollow); page 1 is dangling
    # and hands its equity to the teleport vector v = (1/2, 1/2). With d = 0.5 the model is
    #   x0 = (1 - d)/2 + d x1/2           = 0.25 + 0.25 x1
    #   x1 = (1 - d)/2 + d x1/2 + d 0.6 x0 = 0.25 + 0.25 x1 + 0.3 x0
    # so x0 = 10/27 and x1 = 13/27, which sum to 23/27 (the rest evaporated).
    scores = reference_pagerank({0: {1: 0.6}}, 2, damping=0.5)
    assert scores == pytest.approx([10 / 23, 13 / 23], abs=1e-13)


def test_gives_up_with_the_change_it_reached() -> None:
    # Two pages linking to each other, all teleport mass on page 0: each step moves
    # 2 d^k of equity across, since x_k = d swap(x_(k-1)) + (1 - d) v.
    with pytest.raises(ConvergenceError) as error:
        reference_pagerank({0: {1: 1.0}, 1: {0: 1.0}}, 2, teleport=[1.0, 0.0], max_iter=3)
    assert str(error.value) == (
        f"The reference PageRank did not converge: after 3 steps x still changes by "
        f"{2 * 0.85**3:.3g}, above the tolerance 1e-13."
    )


@pytest.mark.parametrize("module", ["linkequity.equity.pagerank", "linkequity.equity.reference"])
def test_docstring_examples_run(module: str) -> None:
    results = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert results.attempted >= 2
    assert results.failed == 0
