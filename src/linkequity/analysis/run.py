"""Analyze one crawl: build the graph, seed, solve, score, audit, write (analyze stage).

This is the one place that runs the analysis stages together: the equity engine
(:mod:`linkequity.equity`) and the backlink seeding (:mod:`linkequity.backlinks.seeding`)
never import each other; this module hands the graph's landing pages to the seeding and
the seed to the solver. ``analyze`` reads a crawl's ``pages`` and ``links`` and replaces
that crawl's rows in ``analyses``, ``page_scores``, ``findings`` and ``anchors`` in one
transaction, so a killed analysis leaves the previous one whole. The same store and
settings give the same rows.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkequity.backlinks.current import current_backlinks
from linkequity.backlinks.seeding import Seeding, seed_vector
from linkequity.equity.anchors import anchor_audit
from linkequity.equity.counts import page_counts
from linkequity.equity.graph import EquityGraph, Resolution, Similarity, assemble, graph_links
from linkequity.equity.impact import EquityAtStake
from linkequity.equity.pagerank import PageRankResult, pagerank, pagerank_residual
from linkequity.equity.paths import ClickTree, click_tree
from linkequity.equity.scores import NodeScores, SiteEquity, account, link_scores, score_graph
from linkequity.equity.structure import structure_findings
from linkequity.errors import StoreError
from linkequity.findings import KINDS, SEVERITIES, Finding
from linkequity.records import POSITIONS
from linkequity.settings import AuditSettings, BacklinkSettings, EquitySettings
from linkequity.store import Store
from linkequity.store.tables import table
from linkequity.topics import Document, SiteLinks, TextModel, TopicAudit, fit_crawl, topic_audit

__all__ = [
    "STEPS",
    "AnalysisSummary",
    "AnalyzeProgress",
    "analyze",
    "findings_table",
    "page_similarity",
    "page_table",
    "seeding_for",
    "teleport_vector",
    "topics_of",
]

_F64 = npt.NDArray[np.float64]

#: The steps of an analysis, in order, as progress reports name them.
STEPS = ("graph", "solve", "pages", "findings", "anchors", "topics", "write")

#: Called with the step starting and its 0-based index.
AnalyzeProgress = Callable[[str, int], None]


@dataclass(frozen=True, slots=True)
class AnalysisSummary:
    """What an analysis found, for the CLI and notebooks."""

    crawl_id: int
    pages: int
    site: SiteEquity
    findings: tuple[tuple[str, int, float], ...]
    """(kind, count, total impact in percent of the site's equity), costliest kind first."""
    backlinks: int = 0
    """Live backlinks considered for seeding (0: internal PageRank only)."""
    backlinks_placed: int = 0
    external_weight: float = 0.0


def analyze(
    store: Store,
    crawl_id: int | None = None,
    equity: EquitySettings | None = None,
    audit: AuditSettings | None = None,
    progress: AnalyzeProgress | None = None,
    backlinks: BacklinkSettings | None = None,
) -> AnalysisSummary:
    """Analyze a crawl (the latest by default) and store its scores and findings."""
    equity = equity or EquitySettings()
    audit = audit or AuditSettings()
    backlinks = backlinks or BacklinkSettings()
    cid = store.latest_crawl_id() if crawl_id is None else crawl_id
    if store.one("SELECT 1 FROM crawls WHERE crawl_id = ?", [cid]) is None:
        raise StoreError(f"The project file {store.path} has no crawl {cid}.")

    def step(name: str) -> None:
        if progress is not None:
            progress(name, STEPS.index(name))

    step("graph")
    links = graph_links(store, cid, equity)
    # the text model first when links lean toward relevance; the topics reuse it
    text = fit_crawl(store, cid) if equity.relevance_weight > 0 else None
    similarity = page_similarity(text[1], links.urls) if text is not None else None
    graph = assemble(links, equity, similarity)
    seeding = seeding_for(store, cid, graph, equity, backlinks)
    step("solve")
    internal, site = score_graph(graph, equity)
    scores, with_backlinks = internal, _BacklinkColumns.none(graph.n)
    seeded = seeding is not None and seeding.seed.sum() > 0
    if seeding is not None and seeded:
        scores, site, with_backlinks = _with_backlinks(graph, equity, internal, site, seeding)
    without_relevance = None
    if similarity is not None:
        plain = dataclasses.replace(equity, relevance_weight=0.0)
        unweighted = assemble(links, plain)
        alone, alone_site = score_graph(unweighted, plain)
        if seeding is not None and seeded:
            alone, _, _ = _with_backlinks(unweighted, plain, alone, alone_site, seeding)
        without_relevance = alone.score
    step("pages")
    tree = click_tree(store, cid, graph)
    pages = page_table(store, cid, graph, scores, internal, with_backlinks, without_relevance, tree)
    step("findings")
    at_stake = EquityAtStake(graph, scores, equity.damping, equity.position_weights())
    found = structure_findings(store, cid, graph, scores, pages, audit, at_stake, tree)
    step("anchors")
    anchors, anchor_findings = anchor_audit(store, cid, graph, audit, at_stake)
    found.extend(anchor_findings)
    found = at_stake.complete(store, cid, found)
    step("topics")
    topics = topics_of(store, cid, graph, scores, equity, audit, text)
    if topics is not None:
        found.extend(topics.findings)
    step("write")
    settings_json = json.dumps(
        {
            "equity": json.loads(equity.to_json()),
            "audit": json.loads(audit.to_json()),
            "backlinks": json.loads(backlinks.to_json()),
        },
        sort_keys=True,
    )
    row = {
        "analysed_at": datetime.now(UTC),
        "settings_json": settings_json,
        "pages": pages.num_rows,
        **dataclasses.asdict(site),
        "external_weight": equity.external_weight if seeded else 0.0,
        "backlinks": seeding.backlinks if seeding is not None else 0,
        "backlinks_placed": seeding.placed if seeding is not None else 0,
    }
    analysis = table("analyses").batch({k: [v] for k, v in row.items()}, cid)
    scored = table("page_scores").batch(
        dict(zip(pages.column_names, pages.columns, strict=True)), cid
    )
    with store.transaction():
        for name in (
            "analyses",
            "page_scores",
            "findings",
            "anchors",
            "clusters",
            "page_topics",
            "page_terms",
        ):
            store.rows(f"DELETE FROM {name} WHERE crawl_id = ?", [cid])
        store.insert("analyses", analysis)
        store.insert("page_scores", scored)
        store.insert("findings", findings_table(cid, found))
        store.insert("anchors", anchors)
        if topics is not None:
            store.insert("clusters", _with_crawl(topics.clusters, cid))
            store.insert("page_topics", _with_crawl(topics.page_topics, cid))
            store.insert("page_terms", _with_crawl(topics.page_terms, cid))
    kinds = Counter(f.kind for f in found)
    impact: dict[str, float] = {}
    for f in found:
        impact[f.kind] = impact.get(f.kind, 0.0) + f.impact
    by_kind = sorted(kinds, key=lambda k: (-impact[k], -kinds[k], k))
    return AnalysisSummary(
        cid,
        pages.num_rows,
        site,
        tuple((k, kinds[k], impact[k]) for k in by_kind),
        seeding.backlinks if seeding is not None else 0,
        seeding.placed if seeding is not None else 0,
        equity.external_weight if seeded else 0.0,
    )


@dataclass(frozen=True, slots=True)
class _BacklinkColumns:
    """Per node: the share of the backlink seed landing on it and of its score they bring."""

    seed: np.ndarray
    from_backlinks: np.ndarray

    @staticmethod
    def none(n: int) -> _BacklinkColumns:
        return _BacklinkColumns(np.full(n, np.nan), np.full(n, np.nan))


def page_similarity(model: TextModel, urls: Sequence[str]) -> Similarity:
    """The text similarity of graph nodes (``urls``) by ``model``: NaN where a page has no
    document (not indexable, or no text of any kind)."""
    row_of = model.row_of()
    rows = np.array([row_of.get(u, -1) for u in urls], dtype=np.int64)

    def similarity(src: npt.NDArray[np.int32], dst: npt.NDArray[np.int32]) -> _F64:
        a, b = rows[src], rows[dst]
        known = (a >= 0) & (b >= 0)
        result = np.full(len(src), np.nan)
        result[known] = model.similarity(a[known], b[known])
        return result

    return similarity


def seeding_for(
    store: Store,
    crawl_id: int,
    graph: EquityGraph,
    equity: EquitySettings,
    backlinks: BacklinkSettings,
) -> Seeding | None:
    """The backlink seed of the graph's nodes; None when ``external_weight`` is 0 or the
    project has no backlinks."""
    if equity.external_weight <= 0 or store.one("SELECT count(*) FROM backlinks") == (0,):
        return None
    landing = landing_nodes(graph)
    return seed_vector(store, crawl_id, current_backlinks(store), backlinks, landing, graph.n)


def teleport_vector(n: int, equity: EquitySettings, seeding: Seeding | None) -> np.ndarray:
    """The teleport of the model: uniform, blended with the backlink seed by
    ``external_weight`` when backlinks land on the site."""
    uniform = np.full(n, 1.0 / n) if n else np.zeros(0)
    if seeding is None or seeding.seed.sum() <= 0:
        return uniform
    w = equity.external_weight
    result: np.ndarray = (1.0 - w) * uniform + w * (seeding.seed / seeding.seed.sum())
    return result


def landing_nodes(graph: EquityGraph) -> dict[str, int]:
    """Every crawled URL whose inlinks' equity reaches a node, and that node's id: where a
    backlink to the URL lands."""
    node_id = {url: i for i, url in enumerate(graph.urls)}
    return {
        url: node_id[res.equity_url]
        for url, res in graph.resolutions.items()
        if res.equity_url is not None and res.equity_url in node_id
    }


def topics_of(
    store: Store,
    crawl_id: int,
    graph: EquityGraph,
    scores: NodeScores,
    equity: EquitySettings,
    audit: AuditSettings,
    text: tuple[tuple[Document, ...], TextModel] | None = None,
) -> TopicAudit | None:
    """The topics audit of a crawl with HTML pages, handed the solved graph: each page's
    share and link weight, and what each followed link between pages passes (and the
    documents and text model when they are fitted already)."""
    documents, model = text if text is not None else fit_crawl(store, crawl_id)
    if not documents:
        return None
    node_id = {url: i for i, url in enumerate(graph.urls)}
    nodes = np.array([node_id.get(u, -1) for u in model.urls], dtype=np.int64)
    row = np.full(graph.n + 1, -1, dtype=np.int64)  # node -> document row; n (off graph) -> -1
    row[np.where(nodes >= 0, nodes, graph.n)] = np.arange(nodes.size)
    row[graph.n] = -1
    src, dst = row[graph.src], row[graph.dst]
    passed = 100.0 * equity.damping * scores.score[graph.src] * graph.share
    content = graph.position == POSITIONS.index("content")
    both = (src >= 0) & (dst >= 0)
    leaving = content & (src >= 0) & (graph.src != graph.dst)
    on = nodes >= 0
    safe = np.where(on, nodes, 0)
    links = SiteLinks(
        share=np.where(on, 100.0 * scores.score[safe], 0.0) if graph.n else np.zeros(nodes.size),
        total_weight=np.where(on, graph.total_weight[safe], 0.0)
        if graph.n
        else np.zeros(nodes.size),
        src=src[both],
        dst=dst[both],
        is_content=content[both],
        passed=passed[both],
        content_passed=np.bincount(
            src[leaving], weights=passed[leaving], minlength=nodes.size
        ).astype(np.float64),
        damping=equity.damping,
        content_weight=equity.position_weights()["content"],
    )
    patterns = [re.compile(p) for p in audit.priority_urls]
    priorities = {u for u in model.urls if any(p.search(u) for p in patterns)}
    return topic_audit(links, documents, model, priorities)


def _with_crawl(rows: pa.Table, crawl_id: int) -> pa.Table:
    return rows.append_column("crawl_id", pa.array([crawl_id] * rows.num_rows, pa.int32()))


def findings_table(crawl_id: int, found: Iterable[Finding]) -> pa.Table:
    """``findings`` rows, ordered by severity, kind (in registry order) and URL."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    kinds = {k: i for i, k in enumerate(KINDS)}
    rows = sorted(found, key=lambda f: (rank[f.severity], kinds[f.kind], f.url, f.detail_json))
    return table("findings").batch(
        {
            "kind": [f.kind for f in rows],
            "severity": [f.severity for f in rows],
            "url": [f.url for f in rows],
            "summary": [f.summary for f in rows],
            "detail_json": [f.detail_json for f in rows],
            "impact": [f.impact for f in rows],
            "fix": [f.fix for f in rows],
        },
        crawl_id,
    )


def _with_backlinks(
    graph: EquityGraph,
    equity: EquitySettings,
    internal: NodeScores,
    internal_site: SiteEquity,
    seeding: Seeding,
) -> tuple[NodeScores, SiteEquity, _BacklinkColumns]:
    """Scores with the teleport blended with the backlink seed, and what the seed brings.

    Scores are linear in the teleport: with ``y(v) = (I - dP')^-1 v``, the blend
    ``v = (1 - w) u + w s`` gives ``y = (1 - w) y(u) + w y(s)``, and ``sum(y(v))`` is
    ``1 / (1 - d x.r)`` for the normalised ``x`` and the row sums ``r`` of ``P``. So the
    blended scores, and the share of each owed to backlinks (``w y(s)_j / y(v)_j``), follow
    from the internal solve and one solve with the seed alone.
    """
    d, w = equity.damping, equity.external_weight
    seed = seeding.seed / seeding.seed.sum()
    only_seed = pagerank(
        graph.transitions,
        damping=d,
        teleport=seed,
        tol=equity.tolerance,
        max_iter=equity.max_iterations,
    )
    rows = np.asarray(graph.transitions.sum(axis=1)).ravel()

    def mass(x: np.ndarray) -> float:
        return 1.0 / (1.0 - d * float(x @ rows))

    brought = w * mass(only_seed.scores) * only_seed.scores
    total = (1.0 - w) * mass(internal.score) * internal.score + brought
    share = np.divide(brought, total, out=np.zeros(graph.n), where=total > 0)
    blended = total / total.sum()
    teleport = teleport_vector(graph.n, equity, seeding)
    result = PageRankResult(
        blended,
        internal_site.iterations + only_seed.iterations,
        pagerank_residual(graph.transitions, blended, damping=d, teleport=teleport),
        only_seed.method,
    )
    scores, site = account(graph, equity, result)
    return scores, site, _BacklinkColumns(seed, share)


def page_table(
    store: Store,
    crawl_id: int,
    graph: EquityGraph,
    scores: NodeScores,
    internal: NodeScores | None = None,
    with_backlinks: _BacklinkColumns | None = None,
    without_relevance: np.ndarray | None = None,
    tree: ClickTree | None = None,
) -> pa.Table:
    """One ``page_scores`` row per URL of the crawl and per internal link target it did not
    fetch (role ``unfetched``, no score), without ``crawl_id``, sorted by URL."""
    internal = internal or scores
    with_backlinks = with_backlinks or _BacklinkColumns.none(graph.n)
    counts = page_counts(store, crawl_id, graph.nofollow_pages)
    urls = counts.column("url").to_pylist()
    node_id = {url: i for i, url in enumerate(graph.urls)}
    roles = [graph.resolutions.get(u) or Resolution(u, "unfetched", None, "excluded") for u in urls]
    index = np.array([node_id.get(u, -1) if r.role in ("page", "non_html") else -1
                      for u, r in zip(urls, roles, strict=True)], dtype=np.int64)  # fmt: skip
    has = index >= 0
    safe = np.where(has, index, 0)

    def column(values: np.ndarray) -> pa.Array:
        """Per-URL values of a per-node array; NULL off the graph and where NaN."""
        picked = np.where(has, values[safe], np.nan) if values.size else np.full(len(urls), np.nan)
        return pa.array(picked, pa.float64(), mask=np.isnan(picked))

    columns: dict[str, pa.Array] = {
        "url": counts.column("url"),
        "role": pa.array([r.role for r in roles], pa.string()),
        "equity_url": pa.array([r.equity_url for r in roles], pa.string()),
        "link_outcome": pa.array([r.outcome for r in roles], pa.string()),
        "score": column(scores.score),
        "link_score": column(scores.link_score),
        "share": column(scores.score * 100.0),
        "rank": pa.array(
            np.where(has, scores.rank[safe] if scores.rank.size else 0, 0), pa.int32(), mask=~has
        ),
    }
    for code, position in enumerate(POSITIONS):
        columns[f"received_{position}"] = column(scores.received[:, code])
    columns["received_teleport"] = column(scores.received_teleport)
    columns["equity_per_weight"] = column(scores.equity_per_weight)
    columns["internal_score"] = column(internal.score)
    columns["internal_link_score"] = column(link_scores(internal.score))
    columns["backlink_seed"] = column(with_backlinks.seed)
    columns["from_backlinks"] = column(with_backlinks.from_backlinks)
    nothing = np.full(graph.n, np.nan)
    columns["score_without_relevance"] = column(
        nothing if without_relevance is None else without_relevance
    )
    columns["link_score_without_relevance"] = column(
        nothing if without_relevance is None else link_scores(without_relevance)
    )
    for name in counts.column_names[1:]:
        columns[name] = counts.column(name)
    columns["click_depth"] = pa.array(
        [tree.depth.get(u) if tree is not None else None for u in urls], pa.int32()
    )
    columns["click_parent"] = pa.array(
        [tree.parent.get(u) if tree is not None else None for u in urls], pa.string()
    )
    return pa.table(columns)
