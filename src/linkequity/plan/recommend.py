"""Internal link recommendations for priority pages, with anchors and exact gains (plan stage).

For each priority page (:mod:`linkequity.plan.priorities`), the candidate sources are the
live, indexable HTML pages that can pass equity (not meta nofollow), are under the
``[audit] max_links_per_page`` budget, do not link to it yet, and whose text is related to
it: a cosine of at least ``min_relevance`` between their TF-IDF vectors
(:mod:`linkequity.topics`), the ``candidates_per_target`` most related. The optimizer
(:mod:`linkequity.plan.optimize`) takes links among them by exact gain of the objective
``sum(weight x score)``; each taken link gets an anchor the source already says outside its
links and headings, or a proposed one (:mod:`linkequity.plan.anchors`), varied so that the
target's exact-match share stays within ``[audit] exact_match_share``.

Beside the result stand two figures a user can weigh it by: the sum of the same links'
gains each taken alone (what they would give if gains simply added up), and the
**relevance-only baseline**: for each priority page in turn, the most related pages that
do not link to it yet, as today's plugins choose, at the same budgets, simulated
(:func:`linkequity.plan.simulate.simulate`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from time import perf_counter

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkequity.anchortext import comparable
from linkequity.errors import ConfigError
from linkequity.plan.anchors import (
    AnchorMatch,
    InboundAnchors,
    Phrase,
    distinct_phrases,
    find_anchors,
    main_keyword,
    target_phrases,
    vary_anchors,
)
from linkequity.plan.changes import LinkChange
from linkequity.plan.gains import EquityModel
from linkequity.plan.optimize import Budgets, Candidates, Selection, greedy
from linkequity.plan.priorities import Priority, node_of, propose_priorities
from linkequity.plan.removals import no_changes, suggest_changes
from linkequity.plan.simulate import Baseline, load_baseline, simulate
from linkequity.settings import AuditSettings, BacklinkSettings, EquitySettings
from linkequity.store import Store
from linkequity.store.queries import page_texts
from linkequity.store.tables import table as declared
from linkequity.topics import fit_crawl, stored_model

__all__ = ["Recommendations", "recommend", "save_recommendations"]

_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]

#: Solver tolerance of the gains: far below the 1e-9 relative agreement promised with a
#: re-solve, and reached by BiCGSTAB in about 30 products on the example site.
GAIN_TOLERANCE = 1e-13

#: Least cosine of a source's and a target's TF-IDF vectors for a candidate link. On the
#: example site, pages of one topic cluster score 0.2-0.6 with each other and unrelated
#: pages 0.02-0.08 (the shared template words); 0.1 keeps the first.
MIN_RELEVANCE = 0.1


@dataclass(frozen=True, slots=True)
class Recommendations:
    """The links recommended, the priorities they serve, and the figures to judge them by."""

    links: pa.Table
    """One row per new link, in the order taken."""
    changes: pa.Table
    """Links to remove or follow (:mod:`linkequity.plan.removals`), best first: ``action,
    reason, source_url`` (null for a template's link on ``pages`` pages), ``target_url,
    position, pages, equity_at_stake, predicted_priority_gain``."""
    change_plan: pa.Table
    """The same as a plan: one row per page changed."""
    priorities: pa.Table
    """``url, weight, keywords, reason, score_before, score_after, links_added``."""
    objective_before: float
    objective_after: float
    single_gain_sum: float
    """The links' gains of the objective, each taken alone."""
    baseline_gain: float
    """The relevance-only baseline's gain of the objective at the same budgets."""
    baseline_links: int
    candidates: int
    without_text: int
    """Links whose source has no stored text (an import, or ``store_text`` off): their
    anchors can only be proposed."""
    column_solves: int
    row_solves: int
    seconds: float

    @property
    def priority_gain(self) -> float:
        """The change of ``sum(weight x score)`` of all the links together."""
        return self.objective_after - self.objective_before


@dataclass(frozen=True, slots=True)
class _Pool:
    """Candidate links with what the table shows of them."""

    candidates: Candidates
    relevance: _F64
    matches: tuple[tuple[AnchorMatch, ...], ...]
    """Per candidate, where the source's own text says the target's phrases."""
    phrases: dict[int, tuple[Phrase, ...]]
    """Per target node, its phrases."""
    has_text: tuple[bool, ...]
    """Per candidate, whether its source's own text was kept."""

    def only(self, keep: npt.NDArray[np.bool_]) -> _Pool:
        c = self.candidates
        return _Pool(
            Candidates(c.source[keep], c.target[keep], c.weight[keep]),
            self.relevance[keep],
            tuple(m for m, k in zip(self.matches, keep, strict=True) if k),
            self.phrases,
            tuple(h for h, k in zip(self.has_text, keep, strict=True) if k),
        )


def recommend(
    store: Store,
    crawl_id: int,
    equity: EquitySettings,
    audit: AuditSettings,
    backlinks: BacklinkSettings,
    priorities: tuple[Priority, ...] = (),
    *,
    budget: int = 50,
    per_source: int | None = 3,
    per_target: int | None = None,
    candidates_per_target: int = 100,
    min_relevance: float = MIN_RELEVANCE,
    in_text_only: bool = False,
    changes: int = 20,
) -> Recommendations:
    """Recommend up to ``budget`` new links for ``priorities`` (proposed when empty);
    ``in_text_only`` keeps the sources whose own text already says one of the target's
    phrases; the ``changes`` single links (and the templates' links) to remove or follow that
    take the most equity are evaluated besides (0: none)."""
    started = perf_counter()
    if budget < 1:
        raise ConfigError(f"The budget must be at least one link, not {budget}.")
    baseline = load_baseline(store, crawl_id, equity, backlinks)
    links, graph = baseline.links, baseline.graph
    node_id = {url: i for i, url in enumerate(graph.urls)}
    if not priorities:
        priorities = propose_priorities(store, crawl_id, links, audit.priority_urls)
    if not priorities:
        raise ConfigError(
            "No priority page to work for: give one with --priority or a priorities file, "
            "or set [audit] priority_urls."
        )
    targets = np.array([node_of(p, links, node_id) for p in priorities], dtype=np.int64)
    weights = np.zeros(graph.n)
    np.add.at(weights, targets, [p.weight for p in priorities])
    room = _room(baseline, audit)
    pool = _pool(
        store, crawl_id, baseline, room, priorities, targets, candidates_per_target, min_relevance
    )
    if in_text_only:
        pool = pool.only(np.array([bool(m) for m in pool.matches], dtype=bool))
    model = EquityModel(
        graph.transitions, graph.total_weight, equity.damping, baseline.teleport, GAIN_TOLERANCE
    )
    model.set_priorities(weights)
    if changes > 0:
        suggested, change_plan = suggest_changes(store, baseline, model, changes)
    else:
        suggested, change_plan = no_changes()
    budgets = Budgets(budget, per_source, per_target, room)
    selection = greedy(model, pool.candidates, budgets)
    table = _links_table(store, crawl_id, baseline, audit, pool, selection)
    base_gain, base_links = _relevance_baseline(baseline, weights, pool, budgets)
    after = model.scores
    added = np.bincount(
        [int(pool.candidates.target[p.candidate]) for p in selection.picks], minlength=graph.n
    )
    priority_table = pa.table(
        {
            "url": [p.url for p in priorities],
            "weight": pa.array([p.weight for p in priorities], pa.float64()),
            "keywords": pa.array([list(p.keywords) for p in priorities], pa.list_(pa.string())),
            "reason": [p.reason for p in priorities],
            "score_before": pa.array(baseline.scores[targets], pa.float64()),
            "score_after": pa.array(after[targets], pa.float64()),
            "links_added": pa.array(added[targets], pa.int64()),
        }
    )
    return Recommendations(
        links=table,
        changes=suggested,
        change_plan=change_plan,
        priorities=priority_table,
        objective_before=selection.objective_before,
        objective_after=selection.objective_after,
        single_gain_sum=selection.single_gain_sum,
        baseline_gain=base_gain,
        baseline_links=base_links,
        candidates=len(pool.candidates),
        without_text=sum(1 for p in selection.picks if not pool.has_text[p.candidate]),
        column_solves=selection.column_solves,
        row_solves=selection.row_solves,
        seconds=perf_counter() - started,
    )


def _eligible_sources(store: Store, crawl_id: int, baseline: Baseline) -> set[str]:
    """Pages whose new link would pass equity: live, indexable HTML nodes, not nofollow."""
    rows = store.rows(
        "SELECT url FROM page_scores WHERE crawl_id = ? AND role = 'page' AND indexable "
        "AND status_code BETWEEN 200 AND 299",
        [crawl_id],
    )
    return {str(u) for (u,) in rows} - baseline.links.nofollow_pages


def _room(baseline: Baseline, audit: AuditSettings) -> _I64:
    """How many links each page can take before ``max_links_per_page``."""
    counted = np.bincount(
        baseline.links.edges.column("src").to_numpy(), minlength=baseline.graph.n
    ).astype(np.int64)
    result: _I64 = np.clip(audit.max_links_per_page - counted, 0, None)
    return result


def _pool(
    store: Store,
    crawl_id: int,
    baseline: Baseline,
    room: _I64,
    priorities: tuple[Priority, ...],
    targets: _I64,
    per_target: int,
    min_relevance: float,
) -> _Pool:
    """The candidate links of every priority page, most related first, with where each
    source already says the target's phrases."""
    graph, edges = baseline.graph, baseline.links.edges
    # the model the analysis stored: fitting it again costs 17 s on the 20,000-page site
    text = stored_model(store, crawl_id) or fit_crawl(store, crawl_id)[1]
    text_row = text.row_of()
    node_id = {url: i for i, url in enumerate(graph.urls)}
    eligible = _eligible_sources(store, crawl_id, baseline)
    sources = np.array(
        sorted(node_id[u] for u in eligible if u in text_row and u in node_id), dtype=np.int64
    )
    sources = sources[room[sources] > 0]
    rows = np.array([text_row[graph.urls[int(s)]] for s in sources], dtype=np.int64)
    src_col = edges.column("src").to_numpy()
    dst_col = edges.column("dst").to_numpy()
    parts: list[tuple[_I64, _I64, _F64]] = []
    for target in np.unique(targets):
        url = graph.urls[int(target)]
        if url not in text_row or not sources.size:
            continue
        linked = np.unique(src_col[dst_col == target])
        mine = (sources != target) & ~np.isin(sources, linked)
        related = (text.vectors[rows[mine]] @ text.vectors[[text_row[url]]].T).toarray().ravel()
        keep = np.flatnonzero(related >= min_relevance)
        keep = keep[np.lexsort((sources[mine][keep], -related[keep]))][:per_target]
        chosen = sources[mine][keep]
        parts.append((chosen, np.full(chosen.size, target, np.int64), related[keep]))
    phrases = _phrases(store, crawl_id, graph.urls, priorities, targets)
    if not parts:
        empty = np.zeros(0, np.int64)
        return _Pool(Candidates(empty, empty, np.zeros(0)), np.zeros(0), (), phrases, ())
    s = np.concatenate([p[0] for p in parts])
    t = np.concatenate([p[1] for p in parts])
    relevance = np.concatenate([p[2] for p in parts])
    weight = np.full(s.size, baseline.equity.weight_content)
    r = baseline.equity.relevance_weight
    if r > 0 and baseline.similarity is not None:
        # the new link leans toward its pages' similarity as the analysis' links do
        cosine = baseline.similarity(s.astype(np.int32), t.astype(np.int32))
        weight *= np.where(np.isnan(cosine), 1.0, (1.0 - r) + r * np.nan_to_num(cosine))
    texts = page_texts(store, crawl_id, {graph.urls[int(j)] for j in np.unique(s)})
    matches = tuple(
        find_anchors(texts[graph.urls[int(j)]][0], phrases[int(k)])
        if graph.urls[int(j)] in texts
        else ()
        for j, k in zip(s, t, strict=True)
    )
    has_text = tuple(graph.urls[int(j)] in texts for j in s)
    return _Pool(Candidates(s, t, weight), relevance, matches, phrases, has_text)


def _phrases(
    store: Store,
    crawl_id: int,
    urls: list[str],
    priorities: tuple[Priority, ...],
    targets: _I64,
) -> dict[int, tuple[Phrase, ...]]:
    """Each priority page's phrases: its keywords, title and h1 and the parts of them no
    other titles share (anchors.target_phrases, anchors.distinct_phrases)."""
    heads = {
        str(url): (title, h1)
        for url, title, h1 in store.rows(
            "SELECT url, title, h1 FROM pages WHERE crawl_id = ?", [crawl_id]
        )
    }
    keywords: dict[int, tuple[str, ...]] = defaultdict(tuple)
    for priority, node in zip(priorities, targets, strict=True):
        keywords[int(node)] = keywords[int(node)] + priority.keywords
    titles = [str(title) for title, _ in heads.values() if title]
    result: dict[int, tuple[Phrase, ...]] = {}
    for node in np.unique(targets):
        title, h1 = heads.get(urls[int(node)], (None, None))
        phrases = target_phrases(title, h1, keywords[int(node)])
        result[int(node)] = distinct_phrases(phrases, titles, title)
    return result


def _inbound(store: Store, crawl_id: int, url: str, keyword: str) -> InboundAnchors:
    """A target's content links today and how many of them use its main keyword."""
    anchors = [
        str(a or "")
        for (a,) in store.rows(
            "SELECT anchor FROM links WHERE crawl_id = ? AND dst_url = ? AND position = "
            "'content' AND src_url <> dst_url",
            [crawl_id, url],
        )
    ]
    exact = sum(1 for a in anchors if keyword and comparable(a) == keyword)
    return InboundAnchors(len(anchors), exact)


def save_recommendations(store: Store, crawl_id: int, result: Recommendations) -> None:
    """Keep the new links of ``result`` as the crawl's ``recommendations`` (the report and the
    web app show them), replacing the ones kept before."""
    links = result.links
    now = datetime.now(UTC)
    columns = {name: links.column(name) for name in links.column_names if name != "action"}
    columns["recommended_at"] = pa.array([now] * links.num_rows, pa.timestamp("us", "UTC"))
    rows = declared("recommendations").batch(columns, crawl_id)
    with store.transaction():
        store.rows("DELETE FROM recommendations WHERE crawl_id = ?", [crawl_id])
        store.insert("recommendations", rows)


def _links_table(
    store: Store,
    crawl_id: int,
    baseline: Baseline,
    audit: AuditSettings,
    pool: _Pool,
    selection: Selection,
) -> pa.Table:
    graph = baseline.graph
    picks = selection.picks
    source_urls = [graph.urls[int(pool.candidates.source[p.candidate])] for p in picks]
    target_nodes = [int(pool.candidates.target[p.candidate]) for p in picks]
    by_target: dict[int, list[int]] = defaultdict(list)
    for i, node in enumerate(target_nodes):
        by_target[node].append(i)
    anchor = [""] * len(picks)
    in_text = [False] * len(picks)
    exact = [False] * len(picks)
    snippet: list[str | None] = [None] * len(picks)
    for node, indices in by_target.items():
        url = graph.urls[node]
        phrases = pool.phrases[node]
        found = {source_urls[i]: pool.matches[picks[i].candidate] for i in indices}
        inbound = _inbound(store, crawl_id, url, main_keyword(phrases))
        choices = vary_anchors(found, phrases, inbound, audit.exact_match_share)
        for i, choice in zip(indices, choices, strict=True):
            anchor[i], in_text[i], exact[i] = choice.anchor, choice.anchor_in_text, choice.is_exact
            snippet[i] = choice.match.snippet if choice.match is not None else None
    d = baseline.equity.damping
    per_link = (
        np.where(
            graph.total_weight > 0,
            d * baseline.scores / np.where(graph.total_weight > 0, graph.total_weight, 1.0),
            d * baseline.scores,
        )
        * baseline.equity.weight_content
    )
    sources = np.array([int(pool.candidates.source[p.candidate]) for p in picks], np.int64)
    return pa.table(
        {
            "rank": pa.array(range(1, len(picks) + 1), pa.int64()),
            "action": ["add"] * len(picks),
            "source_url": source_urls,
            "target_url": [graph.urls[t] for t in target_nodes],
            "anchor": anchor,
            "anchor_in_text": pa.array(in_text, pa.bool_()),
            "is_exact_match": pa.array(exact, pa.bool_()),
            "snippet": pa.array(snippet, pa.string()),
            "position": ["content"] * len(picks),
            "relevance": pa.array(
                [float(pool.relevance[p.candidate]) for p in picks], pa.float64()
            ),
            "source_equity_per_link": pa.array(per_link[sources], pa.float64()),
            "predicted_gain": pa.array([p.target_gain for p in picks], pa.float64()),
            "predicted_priority_gain": pa.array([p.priority_gain for p in picks], pa.float64()),
            "cumulative_priority_gain": pa.array(
                [p.cumulative_priority_gain for p in picks], pa.float64()
            ),
            "single_priority_gain": pa.array([p.single_priority_gain for p in picks], pa.float64()),
        }
    )


def _relevance_baseline(
    baseline: Baseline, weights: _F64, pool: _Pool, budgets: Budgets
) -> tuple[float, int]:
    """The objective's gain of the most related links, the priorities served in turn, at the
    same budgets, simulated; and how many links it took."""
    cand = pool.candidates
    queues: dict[int, list[int]] = defaultdict(list)
    for i in np.lexsort((np.arange(len(cand)), -pool.relevance)):
        queues[int(cand.target[i])].append(int(i))
    order = sorted(queues)
    from_source: dict[int, int] = defaultdict(int)
    to_target: dict[int, int] = defaultdict(int)
    taken: list[int] = []
    while len(taken) < budgets.total and any(queues[t] for t in order):
        for target in order:
            if len(taken) >= budgets.total:
                break
            while queues[target]:
                i = queues[target].pop(0)
                s = int(cand.source[i])
                if from_source[s] >= budgets.source_limit(s):
                    continue
                if budgets.per_target is not None and to_target[target] >= budgets.per_target:
                    queues[target].clear()
                    break
                taken.append(i)
                from_source[s] += 1
                to_target[target] += 1
                break
    urls = baseline.graph.urls
    changes = tuple(
        LinkChange("add", urls[int(cand.source[i])], urls[int(cand.target[i])]) for i in taken
    )
    x_after = simulate(baseline, changes).scores_after
    return float(weights @ x_after - weights @ baseline.scores), len(taken)
