"""The PageRank solver against networkx, igraph, published values, hand calculations and the
reference implementation; its warm start, its limits and its error messages."""

from __future__ import annotations

from typing import Any

import igraph
import networkx as nx
import numpy as np
import pytest
from scipy import sparse

import linkequity.equity
from linkequity.equity import (
    METHODS,
    pagerank,
    pagerank_residual,
    reference_pagerank,
    transition_matrix,
)
from linkequity.errors import ConfigError, ConvergenceError
from tests.unit.equity.graphs import Site, random_site, shares_of

SOLVERS = [method for method in METHODS if method != "auto"]
D = 0.85

# The six-page example of Langville & Meyer (pages 1..6, page 2 dangling), damping 0.9:
# "A survey of eigenvector methods for Web information retrieval", SIAM Review 47 (2005),
# and "Google's PageRank and Beyond" (2006), which prints the vector to the digits below.
LANGVILLE_MEYER_LINKS = {1: [2, 3], 3: [1, 2, 5], 4: [5, 6], 5: [4, 6], 6: [4]}
LANGVILLE_MEYER_8_DIGITS = [0.03721197, 0.05395735, 0.04150565, 0.37508082, 0.20599833, 0.28624589]
LANGVILLE_MEYER_BOOK = ["0.03721", "0.05396", "0.04151", "0.3751", "0.206", "0.2862"]


def solve(transitions: Any, **kwargs: Any) -> np.ndarray:
    return np.asarray(pagerank(transitions, **kwargs).scores)


def networkx_scores(site: Site, teleport: np.ndarray | None) -> np.ndarray:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(site.n))
    graph.add_weighted_edges_from(
        zip(site.src.tolist(), site.dst.tolist(), site.weight.tolist(), strict=True)
    )
    personalization = None if teleport is None else dict(enumerate(teleport.tolist()))
    # networkx stops when the L1 change is below n * tol.
    scores = nx.pagerank(graph, alpha=D, personalization=personalization, tol=1e-15)
    return np.array([scores[page] for page in range(site.n)])


def seeded_teleport(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed + 100)
    teleport = rng.random(n)
    teleport[rng.random(n) < 0.3] = 0.0  # landing pages only: many pages get no teleport
    return teleport


# -- against networkx and igraph ------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("personalised", [False, True])
def test_equals_networkx_on_weighted_graphs_with_dangling_pages(
    method: str, seed: int, personalised: bool
) -> None:
    site = random_site(seed, n=80, links=400, dangling=0.2)
    teleport = seeded_teleport(seed, site.n) if personalised else None
    ours = solve(site.transitions, teleport=teleport, method=method)
    assert np.abs(ours - networkx_scores(site, teleport)).max() <= 1e-9


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(4))
def test_equals_igraph_prpack(method: str, seed: int) -> None:
    site = random_site(seed, n=120, links=700, dangling=0.2)
    teleport = seeded_teleport(seed, site.n)
    graph = igraph.Graph(
        n=site.n, edges=np.column_stack([site.src, site.dst]).tolist(), directed=True
    )
    prpack = graph.personalized_pagerank(
        damping=D, weights=site.weight.tolist(), reset=teleport.tolist(), implementation="prpack"
    )
    ours = solve(site.transitions, teleport=teleport, method=method)
    assert np.abs(ours - np.array(prpack)).max() <= 1e-9


# -- published and hand-computed values -----------------------------------------------------


def langville_meyer() -> Any:
    src = [i - 1 for i, out in LANGVILLE_MEYER_LINKS.items() for _ in out]
    dst = [j - 1 for out in LANGVILLE_MEYER_LINKS.values() for j in out]
    return transition_matrix(6, src, dst)


@pytest.mark.parametrize("method", METHODS)
def test_langville_meyer_six_page_example(method: str) -> None:
    scores = solve(langville_meyer(), damping=0.9, method=method)
    printed = [
        f"{score:.{len(digits) - 2}f}"
        for score, digits in zip(scores, LANGVILLE_MEYER_BOOK, strict=True)
    ]
    assert printed == LANGVILLE_MEYER_BOOK
    assert np.abs(scores - LANGVILLE_MEYER_8_DIGITS).max() <= 5e-9


@pytest.mark.parametrize("method", METHODS)
def test_evaporating_nofollow_link(method: str) -> None:
    # Page 0 links to page 1 and has a nofollow link that evaporates: it counts in the
    # share-out (total weight 2) but passes nothing. Page 1 links back to page 0.
    # x0 = d x1 + (1-d)/2 and x1 = (d/2) x0 + (1-d)/2, solved by hand.
    transitions = transition_matrix(2, [0, 1], [1, 0], total_weight=[2.0, 1.0])
    x0 = (1 - D) / 2 * (1 + D) / (1 - D * D / 2)
    x1 = (1 - D) / 2 + D / 2 * x0
    expected = np.array([x0, x1]) / (x0 + x1)
    scores = solve(transitions, method=method)
    assert np.abs(scores - expected).max() <= 1e-10
    assert [round(float(s), 4) for s in scores] == [0.5649, 0.4351]


@pytest.mark.parametrize("method", METHODS)
def test_sub_stochastic_row_next_to_a_dangling_page(method: str) -> None:
    # Page 0 passes 30% to page 1, 30% to page 2 and leaks 40% to another site; page 1
    # links to page 0; page 2 is dangling. Every page receives the same teleport inflow c,
    # which only scales the answer, so with c = 1: x0 = d x1 + 1, x1 = x2 = 0.3 d x0 + 1.
    transitions = transition_matrix(3, [0, 0, 1], [1, 2, 0], [0.3, 0.3, 1.0], [1.0, 1.0, 0.0])
    x0 = (1 + D) / (1 - 0.3 * D * D)
    x1 = 0.3 * D * x0 + 1
    expected = np.array([x0, x1, x1]) / (x0 + 2 * x1)
    scores = solve(transitions, method=method)
    assert np.abs(scores - expected).max() <= 1e-10
    assert [round(float(s), 4) for s in scores] == [0.4243, 0.2878, 0.2878]


@pytest.mark.parametrize("method", METHODS)
def test_dangling_page_hands_its_equity_to_the_teleport_vector(method: str) -> None:
    # Page 0 links to page 1, which has no links: x0 = c, x1 = d x0 + c, so x1 = (1 + d) x0.
    scores = solve(transition_matrix(2, [0], [1]), method=method)
    assert np.abs(scores - np.array([1, 1 + D]) / (2 + D)).max() <= 1e-10


@pytest.mark.parametrize("method", METHODS)
def test_page_linking_only_to_itself_keeps_what_reaches_it(method: str) -> None:
    # Page 0 links only to itself, page 1 only to page 0: x1 = c, x0 = (c + d c) / (1 - d),
    # which normalise to ((1 + d) / 2, (1 - d) / 2).
    scores = solve(transition_matrix(2, [0, 1], [0, 0]), method=method)
    assert np.abs(scores - [(1 + D) / 2, (1 - D) / 2]).max() <= 1e-10


@pytest.mark.parametrize("method", METHODS)
def test_page_out_of_reach_of_the_teleport_vector_scores_exactly_zero(method: str) -> None:
    # Pages 0 and 1 link to each other; page 2 links to page 0, but nothing teleports to it
    # and nothing links to it. x0 = d x1 + (1 - d), x1 = d x0: x0 = 1 / (1 + d).
    transitions = transition_matrix(3, [0, 1, 2], [1, 0, 0])
    scores = solve(transitions, teleport=[1.0, 0.0, 0.0], method=method)
    assert scores[2] == 0.0
    assert np.abs(scores[:2] - np.array([1, D]) / (1 + D)).max() <= 1e-10


# -- the linear system against the explicit model (the reference) --------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(3))
def test_linear_system_equals_explicit_dangling_redistribution(method: str, seed: int) -> None:
    # Langville & Meyer: what happens to dangling and lost mass only scales the solution of
    # (I - d P^T) y = v, so its normalised solution is the model's. The reference iterates
    # the model with dangling pages redistributed and sub-stochastic rows losing mass.
    site = random_site(seed, n=70, links=350, dangling=0.2, evaporation=0.4)
    transitions = site.transitions
    row_sums = transitions.sum(axis=1)
    assert ((row_sums > 0) & (row_sums < 0.999)).sum() >= 10  # sub-stochastic rows
    assert (row_sums == 0).sum() >= 5  # dangling pages
    teleport = seeded_teleport(seed, site.n)
    expected = reference_pagerank(shares_of(transitions), site.n, teleport=teleport.tolist())
    scores = solve(transitions, teleport=teleport, method=method, tol=1e-13)
    assert np.abs(scores - expected).max() <= 1e-12


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", range(3))
def test_equals_reference_on_random_graphs(method: str, seed: int) -> None:
    site = random_site(seed + 10, n=150, links=900, dangling=0.1, evaporation=0.2)
    expected = reference_pagerank(shares_of(site.transitions), site.n, damping=0.75)
    scores = solve(site.transitions, damping=0.75, method=method)
    assert np.abs(scores - expected).max() <= 1e-9


# -- the result -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_result_reports_its_own_residual(method: str) -> None:
    site = random_site(5, n=300, links=2000, evaporation=0.3)
    result = pagerank(site.transitions, method=method, tol=1e-9)
    assert result.method == ("bicgstab" if method == "auto" else method)
    assert result.scores.sum() == pytest.approx(1.0, abs=1e-14)
    assert result.residual <= 1e-9
    assert result.residual == pytest.approx(
        pagerank_residual(site.transitions, result.scores), rel=1e-6, abs=1e-15
    )
    assert 1 <= result.iterations <= 200
    assert not result.scores.flags.writeable


def test_no_pages() -> None:
    result = pagerank(transition_matrix(0, [], []))
    assert result.scores.shape == (0,)
    assert (result.iterations, result.residual, result.method) == (0, 0.0, "bicgstab")


def test_accepts_other_sparse_formats_and_dtypes() -> None:
    dense = np.array([[0.0, 1.0], [0.5, 0.0]])
    expected = solve(sparse.csr_array(dense))
    assert np.abs(solve(sparse.coo_matrix(dense.astype(np.float32))) - expected).max() <= 1e-10


# -- warm start and limits ------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [7, 8])
def test_warm_start_from_a_slightly_different_graph_saves_iterations(
    method: str, seed: int
) -> None:
    # A site-like graph: most links stay within a section, so equity mixes slowly. (On a
    # graph that mixes fast BiCGSTAB needs ~25 products from any start and a warm start
    # saves little; on cnr-2000 it halves them.)
    before = random_site(seed, n=3000, links=15000, dangling=0.1, local=0.97)
    # The what-if: five pages get one more link each and one link goes away.
    src = np.concatenate([before.src[1:], [10, 20, 30, 40, 50]])
    dst = np.concatenate([before.dst[1:], [11, 22, 33, 44, 55]])
    after = transition_matrix(before.n, src, dst)
    previous = pagerank(transition_matrix(before.n, before.src, before.dst), method=method)
    cold = pagerank(after, method=method)
    warm = pagerank(after, method=method, start=previous.scores)
    assert warm.iterations <= 0.8 * cold.iterations
    assert np.abs(np.asarray(warm.scores) - cold.scores).max() <= 1e-9


@pytest.mark.parametrize("method", METHODS)
def test_warm_start_at_the_solution_stops_at_once(method: str) -> None:
    site = random_site(8, n=200, links=1200)
    exact = pagerank(site.transitions, tol=1e-14, method="power").scores
    assert pagerank(site.transitions, start=exact, method=method).iterations == 1


def test_convergence_error_reports_iterations_residual_and_tolerance() -> None:
    site = random_site(9, n=200, links=1200)
    transitions = site.transitions
    # Five products: the start and four power steps, y = sum of (d P^T)^k v for k < 5.
    v = np.full(site.n, 1 / site.n)
    term, y = v.copy(), v.copy()
    for _ in range(4):
        term = D * (term @ transitions)
        y += term
    reached = pagerank_residual(transitions, y)
    with pytest.raises(ConvergenceError) as error:
        pagerank(transitions, max_iter=5, method="power")
    assert str(error.value) == (
        f"PageRank did not converge: after 5 iterations the residual is {reached:.3g}, "
        "above the tolerance 1e-10."
    )


@pytest.mark.parametrize("method", METHODS)
def test_every_method_gives_up_at_the_iteration_limit(method: str) -> None:
    site = random_site(9, n=200, links=1200)
    with pytest.raises(ConvergenceError, match=r"^PageRank did not converge: after 3 iterations"):
        pagerank(site.transitions, max_iter=3, method=method)


# -- errors ---------------------------------------------------------------------------------

GOOD = transition_matrix(3, [0, 1, 2], [1, 2, 0])


@pytest.mark.parametrize(
    ("transitions", "kwargs", "message"),
    [
        (
            np.eye(2),
            {},
            "The transition matrix must be a scipy.sparse matrix, not ndarray.",
        ),
        (
            sparse.csr_array((2, 3)),
            {},
            "The transition matrix must be square, not 2 x 3.",
        ),
        (
            sparse.csr_array(np.array([[0.0, 0.5], [-0.5, 0.0]])),
            {},
            "The transition matrix has share -0.5 from page 1 to page 0; shares must be >= 0.",
        ),
        (
            sparse.csr_array(np.array([[0.0, np.nan], [0.5, 0.0]])),
            {},
            "The transition matrix has share nan from page 0 to page 1; shares must be >= 0.",
        ),
        (
            sparse.csr_array(np.array([[0.0, 0.5], [0.75, 0.75]])),
            {},
            "The transition shares of page 1 sum to 1.5, more than 1.",
        ),
        (GOOD, {"damping": 1.0}, "The damping factor must be between 0 and 1, not 1.0."),
        (GOOD, {"damping": 0}, "The damping factor must be between 0 and 1, not 0."),
        (GOOD, {"damping": "0.85"}, "The damping factor must be between 0 and 1, not '0.85'."),
        (GOOD, {"damping": float("nan")}, "The damping factor must be between 0 and 1, not nan."),
        (GOOD, {"tol": 0.0}, "The tolerance must be a positive number, not 0.0."),
        (GOOD, {"max_iter": 0}, "The iteration limit must be a whole number >= 1, not 0."),
        (GOOD, {"max_iter": 2.5}, "The iteration limit must be a whole number >= 1, not 2.5."),
        (
            GOOD,
            {"method": "gauss-seidel"},
            "Unknown PageRank method 'gauss-seidel'; choose one of auto, bicgstab, jacobi, power.",
        ),
        (GOOD, {"teleport": [1.0, 1.0]}, "The teleport vector has 2 entries for 3 pages."),
        (
            GOOD,
            {"teleport": [1.0, -1.0, 1.0]},
            "The teleport vector has entry -1.0 for page 1; entries must be finite and >= 0.",
        ),
        (
            GOOD,
            {"teleport": [1.0, 1.0, float("inf")]},
            "The teleport vector has entry inf for page 2; entries must be finite and >= 0.",
        ),
        (
            GOOD,
            {"teleport": [0.0, 0.0, 0.0]},
            "The teleport vector is all zeros; at least one page needs a positive entry.",
        ),
        (GOOD, {"start": [0.5, 0.5]}, "The start vector has 2 entries for 3 pages."),
        (
            GOOD,
            {"start": [0.0, 0.0, 0.0]},
            "The start vector is all zeros; at least one page needs a positive entry.",
        ),
    ],
)
def test_bad_input_is_refused_with_one_sentence(
    transitions: Any, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as error:
        pagerank(transitions, **kwargs)
    assert str(error.value) == message


def test_public_names_are_sorted_and_exist() -> None:
    # isort's order, as ruff keeps it: CONSTANTS, then Classes, then functions
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert linkequity.equity.__all__ == sorted(linkequity.equity.__all__, key=kind)
    assert all(hasattr(linkequity.equity, name) for name in linkequity.equity.__all__)


@pytest.mark.parametrize("method", METHODS)
def test_a_site_whose_krylov_iterate_sums_to_zero_on_the_way(method: str) -> None:
    # A home page linked both ways with 30 pages, each of which links every later one: on
    # this site a BiCGSTAB iterate summed to 0 before converging (a ZeroDivisionError once).
    n = 31
    pairs = [(0, i) for i in range(1, n)] + [(i, 0) for i in range(1, n)]
    pairs += [(i, j) for i in range(1, n) for j in range(i + 1, n)]
    src = np.array([s for s, _ in pairs])
    dst = np.array([d for _, d in pairs])
    site = Site(n, src, dst, np.ones(len(pairs)), np.bincount(src, minlength=n).astype(float))
    ours = solve(transition_matrix(n, src, dst), method=method)
    assert np.abs(ours - networkx_scores(site, None)).max() <= 1e-9
