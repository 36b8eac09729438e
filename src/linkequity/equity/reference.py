"""Reference PageRank: the equity model in plain Python, the spec the solver meets (analyze stage).

It iterates the model exactly as stated, with lists and dicts, dangling pages handing their
equity to the teleport vector and sub-stochastic rows losing the rest. It is slow (a Python
loop over every link per step) and meant for tests: :func:`linkequity.equity.pagerank` must
agree with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from linkequity.errors import ConvergenceError

__all__ = ["reference_pagerank"]


def reference_pagerank(
    shares: Mapping[int, Mapping[int, float]],
    n: int,
    *,
    damping: float = 0.85,
    teleport: Sequence[float] | None = None,
    tol: float = 1e-13,
    max_iter: int = 10_000,
) -> list[float]:
    """PageRank by the explicit power iteration of the equity model.

    Each step computes ``x_new = d P^T x + d (sum of x over dangling pages) v + (1 - d) v``:

    * a page passes ``damping`` times its equity along its links, ``shares[i][j]`` of it to
      page ``j``; what its shares do not cover (rows summing to less than 1: evaporating
      nofollow, external and broken links) is lost;
    * a dangling page, one whose shares sum to 0, hands ``damping`` times its equity to the
      teleport vector ``v``;
    * every page receives ``(1 - damping)`` of a unit of equity through ``v``.

    The iteration is a contraction by ``damping`` in L1, so it converges from any start;
    lost mass makes ``x`` sum to less than 1, and the scores are ``x`` normalised.

    Parameters
    ----------
    shares
        ``shares[i][j]`` = share of page i's equity its links pass to page j; pages
        ``0 .. n-1``; a page missing from the mapping has no links.
    n
        Number of pages.
    damping
        Probability of following a link.
    teleport
        Non-negative teleport weights, one per page (uniform by default); normalised here.
    tol
        Stop once a step changes ``x`` by at most this much in L1.
    max_iter
        Steps allowed before :class:`~linkequity.errors.ConvergenceError`.

    Returns
    -------
    list of float
        One score per page, summing to 1.

    Examples
    --------
    The six-page graph of Langville & Meyer, "Google's PageRank and Beyond" (2006), section
    4.5, with page 2 dangling (pages numbered from 0 here), at damping 0.9:

    >>> links = {1: [2, 3], 3: [1, 2, 5], 4: [5, 6], 5: [4, 6], 6: [4]}
    >>> shares = {i - 1: {j - 1: 1 / len(out) for j in out} for i, out in links.items()}
    >>> scores = reference_pagerank(shares, 6, damping=0.9)
    >>> [round(s, 5) for s in scores]
    [0.03721, 0.05396, 0.04151, 0.37508, 0.206, 0.28625]

    Page 0 links to page 1 and has an evaporating nofollow link: half its equity is lost.

    >>> [round(s, 4) for s in reference_pagerank({0: {1: 0.5}, 1: {0: 1.0}}, 2)]
    [0.5649, 0.4351]
    """
    if teleport is None:
        v = [1.0 / n] * n
    else:
        total = sum(teleport)
        v = [weight / total for weight in teleport]
    dangling_pages = [page for page in range(n) if sum(shares.get(page, {}).values()) == 0]

    x = list(v)
    for _ in range(max_iter):
        dangling_equity = sum(x[page] for page in dangling_pages)
        new = [(1 - damping) * v[j] + damping * dangling_equity * v[j] for j in range(n)]
        for i, row in shares.items():
            for j, share in row.items():
                new[j] += damping * share * x[i]
        change = sum(abs(new[j] - x[j]) for j in range(n))
        x = new
        if change <= tol:
            total = sum(x)
            return [equity / total for equity in x]
    raise ConvergenceError(
        f"The reference PageRank did not converge: after {max_iter} steps x still changes "
        f"by {change:.3g}, above the tolerance {tol:.3g}."
    )
