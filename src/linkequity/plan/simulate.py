"""What-if: a plan of link changes solved against the stored analysis, page by page (plan stage).

:func:`load_baseline` reads what an analysis solved: the crawl's counted links
(:func:`~linkequity.equity.graph.graph_links`), the graph assembled from them, the teleport
(uniform, or blended with the backlink seed) and the stored scores. :func:`simulate` applies a
plan (:mod:`linkequity.plan.changes`), assembles the links of the pages it changes under the
same settings, patches them into the stored graph (:func:`~linkequity.equity.graph.patched`)
and solves it warm-started from the stored scores (see ``benchmarks/plan.py`` for warm
against cold).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkequity.analysis.run import page_similarity, seeding_for, teleport_vector
from linkequity.equity.graph import (
    EquityGraph,
    GraphLinks,
    Similarity,
    assemble,
    graph_links,
    patched,
)
from linkequity.equity.pagerank import PageRankResult, pagerank, pagerank_residual
from linkequity.equity.scores import SiteEquity, account, link_scores
from linkequity.errors import StoreError
from linkequity.plan.changes import LinkChange, changed_links
from linkequity.settings import BacklinkSettings, EquitySettings
from linkequity.store import Store
from linkequity.topics import stored_model

__all__ = ["Baseline", "Simulation", "load_baseline", "simulate"]

_F64 = npt.NDArray[np.float64]

#: How far the stored scores may be from a fixed point of the graph rebuilt today, in units
#: of the solver tolerance, before they are taken for another graph's: a stored solution
#: meets the tolerance itself, and rounding in the rebuilt shares adds far less than 10x.
_STALE_FACTOR = 10.0


@dataclass(frozen=True, slots=True)
class Baseline:
    """One analysed crawl as the equity model saw it."""

    crawl_id: int
    links: GraphLinks
    graph: EquityGraph
    teleport: _F64
    scores: _F64
    """The stored score of every node (sums to 1)."""
    site: SiteEquity
    equity: EquitySettings
    similarity: Similarity | None = None
    """The pages' text similarity the links lean toward (``relevance_weight`` > 0)."""


@dataclass(frozen=True, slots=True)
class Simulation:
    """Before and after a plan, for every page and for the site."""

    pages: pa.Table
    """``url, score_before, score_after, link_score_before, link_score_after, change``
    (score after minus before), largest change first."""
    before: SiteEquity
    after: SiteEquity
    changes: int
    """Changes applied."""
    iterations: int
    """Products with the transition matrix the warm-started solve took."""
    scores_after: _F64
    """Every node's score after, in the graph's node order (``Baseline.graph.urls``)."""


def _stored_settings(store: Store, crawl_id: int) -> dict[str, object]:
    row = store.one("SELECT settings_json FROM analyses WHERE crawl_id = ?", [crawl_id])
    if row is None:
        raise StoreError(
            f"Crawl {crawl_id} of {store.path} has not been analysed yet; run `linkequity "
            "analyze` first."
        )
    stored: dict[str, object] = json.loads(str(row[0]))
    return stored


def load_baseline(
    store: Store,
    crawl_id: int,
    equity: EquitySettings,
    backlinks: BacklinkSettings,
) -> Baseline:
    """The analysed model of a crawl; an error when it was analysed under other settings."""
    stored = _stored_settings(store, crawl_id)
    for name, current in (("equity", equity), ("backlinks", backlinks)):
        now = json.loads(current.to_json())
        # a setting added since the analysis had its default's effect then
        defaults = json.loads(type(current)().to_json())
        then = stored.get(name)
        if isinstance(then, dict) and {**defaults, **then} != now:
            then = {**defaults, **then}
            changed = sorted(k for k in now.keys() | then.keys() if now.get(k) != then.get(k))
            raise StoreError(
                f"The [{name}] settings changed since crawl {crawl_id} was analysed "
                f"({', '.join(changed)}); run `linkequity analyze` again first."
            )
    links = graph_links(store, crawl_id, equity)
    similarity = None
    if equity.relevance_weight > 0:
        model = stored_model(store, crawl_id)
        similarity = page_similarity(model, links.urls) if model is not None else None
    graph = assemble(links, equity, similarity)
    teleport = teleport_vector(
        graph.n, equity, seeding_for(store, crawl_id, graph, equity, backlinks)
    )
    rows = store.arrow(
        "SELECT url, score FROM page_scores WHERE crawl_id = ? AND score IS NOT NULL", [crawl_id]
    )
    node_id = {url: i for i, url in enumerate(graph.urls)}
    scores = np.zeros(graph.n)
    found = 0
    for url, score in zip(
        rows.column("url").to_pylist(), rows.column("score").to_pylist(), strict=True
    ):
        i = node_id.get(url)
        if i is not None:
            scores[i] = score
            found += 1
    residual = (
        pagerank_residual(graph.transitions, scores, damping=equity.damping, teleport=teleport)
        if graph.n
        else 0.0
    )
    if found != graph.n or residual > _STALE_FACTOR * equity.tolerance:
        raise StoreError(
            f"The stored scores of crawl {crawl_id} do not belong to its links as they are "
            "now; run `linkequity analyze` again first."
        )
    _, site = account(graph, equity, PageRankResult(scores, 0, residual, "stored"))
    return Baseline(crawl_id, links, graph, teleport, scores, site, equity, similarity)


def simulate(baseline: Baseline, changes: tuple[LinkChange, ...]) -> Simulation:
    """Every page's score and the site's shares before and after ``changes``."""
    equity = baseline.equity
    sources, links = changed_links(baseline.links, changes, equity)
    changed = patched(baseline.graph, sources, assemble(links, equity, baseline.similarity))
    result = pagerank(
        changed.transitions,
        damping=equity.damping,
        teleport=baseline.teleport,
        tol=equity.tolerance,
        max_iter=equity.max_iterations,
        start=baseline.scores,
    )
    _, after = account(changed, equity, result)
    before_x, after_x = baseline.scores, np.asarray(result.scores)
    change = after_x - before_x
    order = np.lexsort((np.arange(change.size), -np.abs(change)))
    urls = np.array(baseline.graph.urls, dtype=object)
    pages = pa.table(
        {
            "url": pa.array(urls[order].tolist(), pa.string()),
            "score_before": pa.array(before_x[order], pa.float64()),
            "score_after": pa.array(after_x[order], pa.float64()),
            "link_score_before": pa.array(link_scores(before_x)[order], pa.float64()),
            "link_score_after": pa.array(link_scores(after_x)[order], pa.float64()),
            "change": pa.array(change[order], pa.float64()),
        }
    )
    return Simulation(pages, baseline.site, after, len(changes), result.iterations, after_x)
