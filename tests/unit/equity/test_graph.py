"""The equity model's graph: weights, rel policies, sinks, redirects, canonicals (hand-computed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from linkequity.equity import assemble, build_graph, graph_links, score_graph
from linkequity.equity.graph import EquityGraph
from linkequity.settings import EquitySettings
from linkequity.store import Store
from tests.unit.equity.builder import Crawl, url

D = 0.85


def graph_of(crawl: Crawl, tmp_path: Path, **settings: object) -> EquityGraph:
    path = crawl.save(tmp_path / "p.duckdb")
    with Store(path) as store:
        return build_graph(store, 1, EquitySettings(**settings))  # type: ignore[arg-type]


def matrix(graph: EquityGraph) -> dict[tuple[str, str], float]:
    """P as {(src path, dst path): share}, paths relative to the site."""
    coo = graph.transitions.tocoo()
    name = [u.removeprefix(url("")) for u in graph.urls]
    return {
        (name[i], name[j]): round(float(v), 12)
        for i, j, v in zip(coo.row, coo.col, coo.data, strict=True)
    }


def model_scores(
    p: npt.NDArray[np.float64], dangling: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """The equity model iterated as written: x = dP'x + d(dangling x)v + (1-d)v, normalised."""
    n = p.shape[0]
    v = np.full(n, 1.0 / n)
    x = v.copy()
    for _ in range(3000):
        x = D * p.T @ x + D * x[dangling].sum() * v + (1 - D) * v
    return x / x.sum()


def test_position_weights_share_out_a_page(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("c")
    crawl.link("", "b", position="content").link("", "c", position="footer")
    crawl.link("b", "").link("c", "")
    assert matrix(graph_of(crawl, tmp_path)) == {
        ("", "b"): round(1.0 / 1.2, 12),
        ("", "c"): round(0.2 / 1.2, 12),
        ("b", ""): 1.0,
        ("c", ""): 1.0,
    }


def test_nofollow_evaporates_its_share(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("c")
    crawl.link("", "b").link("", "c", rel="nofollow").link("b", "").link("c", "")
    graph = graph_of(crawl, tmp_path)
    assert matrix(graph) == {("", "b"): 0.5, ("b", ""): 1.0, ("c", ""): 1.0}
    scores, site = score_graph(graph, EquitySettings())
    p = np.array([[0, 0.5, 0], [1, 0, 0], [1, 0, 0]])
    expected = model_scores(p, np.zeros(3, bool))
    np.testing.assert_allclose(scores.score, expected, atol=1e-10)
    # the home page's nofollow link takes half of what the home page passes on
    x = expected
    assert site.evaporated_nofollow == pytest.approx(0.5 * x[0] / x.sum(), abs=1e-9)
    assert site.passed_internal + site.evaporated_nofollow == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("evaporate", {("", "b"): 0.5, ("b", ""): 1.0}),
        ("exclude", {("", "b"): 1.0, ("b", ""): 1.0}),
        ("follow", {("", "b"): 0.5, ("", "c"): 0.5, ("b", ""): 1.0}),
    ],
)
def test_rel_policies(tmp_path: Path, policy: str, expected: dict[tuple[str, str], float]) -> None:
    crawl = Crawl().page("").page("b").page("c")
    crawl.link("", "b").link("", "c", rel="sponsored").link("b", "")
    assert matrix(graph_of(crawl, tmp_path, sponsored=policy)) == expected


def test_evaporation_wins_over_follow_among_tokens(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("c")
    crawl.link("", "b").link("", "c", rel="ugc nofollow").link("b", "")
    graph = graph_of(crawl, tmp_path, ugc="follow")
    assert matrix(graph) == {("", "b"): 0.5, ("b", ""): 1.0}
    assert graph.losses.evaporated_nofollow.sum() == 1.0


def test_meta_nofollow_page_passes_nothing(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b", meta_robots="noindex, nofollow")
    crawl.link("", "b").link("b", "")
    graph = graph_of(crawl, tmp_path)
    assert matrix(graph) == {("", "b"): 1.0}
    assert graph.total_weight.tolist() == [1.0, 1.0]  # b's link still takes its share


def test_broken_and_blocked_targets_are_sinks_and_external_links_leak(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("gone", 404)
    crawl.page("private", None, reason="blocked by robots.txt")
    crawl.link("", "b").link("", "gone").link("", "private").link("", "https://other.example/")
    crawl.link("b", "")
    graph = graph_of(crawl, tmp_path)
    assert matrix(graph) == {("", "b"): 0.25, ("b", ""): 1.0}
    assert graph.urls == [url(""), url("b")]
    scores, site = score_graph(graph, EquitySettings())
    p = np.array([[0, 0.25], [1, 0]])
    x = model_scores(p, np.zeros(2, bool))
    np.testing.assert_allclose(scores.score, x, atol=1e-10)
    outflow = x[0] + x[1]
    assert site.wasted_broken == pytest.approx(0.25 * x[0] / outflow)
    assert site.wasted_blocked == pytest.approx(0.25 * x[0] / outflow)
    assert site.leaked_external == pytest.approx(0.25 * x[0] / outflow)
    total = site.passed_internal + site.wasted_broken + site.wasted_blocked + site.leaked_external
    assert total == pytest.approx(1.0)


def test_redirect_chains_pass_to_their_end_and_loops_waste(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("old", 301, redirect="older")
    crawl.page("older", 302, redirect="b")
    crawl.page("loop1", 301, redirect="loop2").page("loop2", 301, redirect="loop1")
    crawl.link("", "old").link("", "loop1").link("b", "")
    graph = graph_of(crawl, tmp_path)
    assert matrix(graph) == {("", "b"): 0.5, ("b", ""): 1.0}
    roles = {u.removeprefix(url("")): (r.role, r.chain) for u, r in graph.resolutions.items()}
    assert roles["old"] == ("redirect", (url("older"), url("b")))
    assert roles["loop1"] == ("redirect_loop", (url("loop2"), url("loop1")))
    assert graph.losses.wasted_broken.tolist() == [1.0, 0.0]


def test_a_valid_canonical_takes_the_duplicates_inlinks(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("b-print", canonical="b")
    crawl.page("c", canonical="gone").page("gone", 404)
    crawl.link("", "b-print").link("", "c").link("b-print", "c").link("b", "").link("c", "")
    graph = graph_of(crawl, tmp_path)
    # b-print is not a node and its own link passes nothing; c's canonical is a 404, so c
    # keeps its equity
    assert graph.urls == [url(""), url("b"), url("c")]
    assert matrix(graph) == {("", "b"): 0.5, ("", "c"): 0.5, ("b", ""): 1.0, ("c", ""): 1.0}


@pytest.mark.parametrize(
    ("duplicates", "expected"),
    [
        ("first", {("", "b"): 0.5, ("", "c"): 0.5, ("b", ""): 1.0, ("c", ""): 1.0}),
        ("all", {("", "b"): round(1.5 / 2.5, 12), ("", "c"): round(1 / 2.5, 12),
                 ("b", ""): 1.0, ("c", ""): 1.0}),
    ],
)  # fmt: skip
def test_duplicate_links(
    tmp_path: Path, duplicates: str, expected: dict[tuple[str, str], float]
) -> None:
    crawl = Crawl().page("").page("b").page("c").page("b-alias", 301, redirect="b")
    # the second link reaches b through a redirect: the same target for first-link-counts
    crawl.link("", "b").link("", "c").link("", "b-alias", position="navigation")
    crawl.link("b", "").link("c", "")
    assert matrix(graph_of(crawl, tmp_path, duplicate_links=duplicates)) == expected


def test_first_link_counts_keep_each_off_graph_target(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("gone1", 404).page("gone2", 410)
    crawl.link("", "b").link("", "gone1").link("", "gone1").link("", "gone2")
    crawl.link("", "https://other.example/").link("", "https://other.example/")
    crawl.link("", "https://other.example/y").link("b", "")
    graph = graph_of(crawl, tmp_path)
    # one link each to b, gone1, gone2 and the two external URLs: five shares
    assert matrix(graph) == {("", "b"): 0.2, ("b", ""): 1.0}
    assert graph.total_weight.tolist() == [5.0, 1.0]
    assert graph.losses.wasted_broken.tolist() == [2.0, 0.0]
    assert graph.losses.leaked_external.tolist() == [2.0, 0.0]


def test_left_out_links(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("doc.pdf", content_type="application/pdf")
    crawl.link("", "b").link("", "").link("", "mailto:shop@shop.example")
    crawl.link("", "doc.pdf").link("", "never-fetched").link("", "never-either", rel="nofollow")
    crawl.link("b", "")
    graph = graph_of(crawl, tmp_path)
    # self, mailto:, non-HTML and never-fetched links are left out; a nofollow link to a URL
    # that was never fetched still takes its share
    assert matrix(graph) == {("", "b"): 0.5, ("b", ""): 1.0}
    (tmp_path / "with-pdf").mkdir()
    with_pdf = graph_of(crawl, tmp_path / "with-pdf", include_non_html=True)
    assert matrix(with_pdf)[("", "doc.pdf")] == pytest.approx(1 / 3)


def test_a_page_without_links_hands_its_equity_to_the_teleport(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("b").page("c").link("", "b").link("", "c").link("b", "c")
    graph = graph_of(crawl, tmp_path)
    scores, site = score_graph(graph, EquitySettings())
    p = np.array([[0, 0.5, 0.5], [0, 0, 1.0], [0, 0, 0]])
    x = model_scores(p, np.array([False, False, True]))
    np.testing.assert_allclose(scores.score, x, atol=1e-10)
    assert site.dangling == pytest.approx(x[2])
    assert scores.rank.tolist() == [3, 2, 1]
    # what a page receives through links plus its teleport share is its score
    np.testing.assert_allclose(scores.received.sum(axis=1) + scores.received_teleport, x)


def test_relevance_weight_leans_link_weights_toward_text_similarity(tmp_path: Path) -> None:
    crawl = Crawl().page("").page("a").page("b").page("c")
    crawl.link("", "a").link("", "b").link("", "c", position="footer").link("a", "")
    crawl.link("b", "").link("c", "")
    path = crawl.save(tmp_path / "p.duckdb")
    settings = EquitySettings(relevance_weight=0.5)
    with Store(path) as store:
        links = graph_links(store, 1, settings)
    index = {u.removeprefix(url("")): i for i, u in enumerate(links.urls)}
    known = {(index[""], index["a"]): 0.8, (index[""], index["b"]): 0.2}

    def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        # c has no text: NaN, and its link keeps its position weight
        return np.array(
            [known.get((int(s), int(d)), np.nan) for s, d in zip(src, dst, strict=True)]
        )

    graph = assemble(links, settings, similarity)
    # weights: a 1.0 x (0.5 + 0.5 x 0.8) = 0.9, b 1.0 x 0.6 = 0.6, c footer 0.2 x 1
    assert matrix(graph)[("", "a")] == round(0.9 / 1.7, 12)
    assert matrix(graph)[("", "b")] == round(0.6 / 1.7, 12)
    assert matrix(graph)[("", "c")] == round(0.2 / 1.7, 12)
    # without the setting the similarity changes nothing
    plain = assemble(links, EquitySettings(), similarity)
    assert matrix(plain)[("", "a")] == round(1.0 / 2.2, 12)
