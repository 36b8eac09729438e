"""Links to take away or change, each with its exact predicted gain (plan stage).

Three kinds, read from the counted links of the analysed crawl:

* ``evaporating_nofollow``: an internal link with ``rel="nofollow"`` (under the default
  ``evaporate`` policy): it takes its share of the page's equity and passes nothing. To a
  live, indexable page the suggestion is to follow it; to any other, to remove it.
* ``low_value_target``: a followed link to a page that cannot rank or is not meant to: a
  noindex page, a page robots.txt blocks, or a URL of an account, cart, checkout, search,
  tag or filter kind (:data:`LOW_VALUE_URLS`). The suggestion is to remove it (nofollow
  would only make its share evaporate).
* ``footer_link_dump``: a footer of more than :data:`FOOTER_LINKS` links, the same on many
  pages: each of its links to a page that is not a priority takes a share of every page's
  equity. The suggestion is to remove it from the template (only as a template's link).
* The same change on many pages (at least :data:`TEMPLATE_PAGES` of them, a template's
  link such as a footer's or a menu's) is one suggestion for all those pages.

Each suggestion's ``predicted_priority_gain`` is the change of the priority objective, and
only those that raise it are kept (freeing a wasted share can lower weak priority pages'
share: what a broken or blocked link wastes returns to every page through the teleport,
what it no longer takes goes to the page's other links, often its menu's). For
a link on one page it is exact by :meth:`~linkequity.plan.gains.EquityModel.objective_change`
(one column solve per source page, so the ``limit`` links that take the most equity are
evaluated); for a template's link it is a simulation of the change on all its pages
(:func:`~linkequity.plan.simulate.simulate`, one warm solve each).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from linkequity.equity.graph import link_weights
from linkequity.plan.changes import LinkChange, PlanAction
from linkequity.plan.gains import EquityModel, RowChange
from linkequity.plan.simulate import Baseline, simulate
from linkequity.store import Store

__all__ = ["FOOTER_LINKS", "LOW_VALUE_URLS", "TEMPLATE_PAGES", "no_changes", "suggest_changes"]

#: URLs of pages that exist for the visitor's session, not for search: account and cart
#: pages, search results, tag archives and filtered listings (the kinds site audits flag).
LOW_VALUE_URLS: Final = re.compile(
    r"/(log-?in|log-?out|sign-?in|sign-?up|register|my-?account|account|cart|basket|"
    r"checkout|wishlist|compare|search)(/|\?|$)|/tags?/|[?&](sort|order|filter|view|"
    r"per_page|page_size)=",
    re.IGNORECASE,
)
#: Sources at least, for one change to be a template's: a link on 20 pages is set by a
#: template, not by an editor on each page.
TEMPLATE_PAGES: Final = 20
#: Template suggestions simulated at most (one warm solve each).
TEMPLATES: Final = 5
#: Footer links beyond which a page's footer is a link dump: a footer of a few sections of
#: 5 to 10 links (about, help, legal) stays under it; a sitewide list of every category or
#: city page does not.
FOOTER_LINKS: Final = 20

_F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class _Candidate:
    action: PlanAction
    reason: str
    target_url: str
    position: str
    rows: npt.NDArray[np.int64]
    """Rows of the counted links it changes."""


def suggest_changes(
    store: Store, baseline: Baseline, model: EquityModel, limit: int = 20
) -> tuple[pa.Table, pa.Table]:
    """(the suggestions, best first; the same as a plan, one row per page changed)."""
    links, graph, equity = baseline.links, baseline.graph, baseline.equity
    edges = links.edges
    src = edges.column("src").to_numpy()
    dst = edges.column("dst").to_numpy()
    to_node = pc.equal(edges.column("outcome"), "node").to_numpy(zero_copy_only=False)
    blocked = pc.equal(edges.column("outcome"), "blocked").to_numpy(zero_copy_only=False)
    nofollow = edges.column("is_nofollow").to_numpy(zero_copy_only=False)
    flagged = nofollow | edges.column("is_sponsored").to_numpy(zero_copy_only=False)
    flagged |= edges.column("is_ugc").to_numpy(zero_copy_only=False)
    urls = graph.urls
    indexable = {
        str(u)
        for (u,) in store.rows(
            "SELECT url FROM page_scores WHERE crawl_id = ? AND role = 'page' AND indexable",
            [baseline.crawl_id],
        )
    }
    node_ok = np.array([u in indexable for u in urls], dtype=bool)
    node_low = np.array([bool(LOW_VALUE_URLS.search(u)) for u in urls], dtype=bool)
    page_nofollow = np.array([u in links.nofollow_pages for u in urls], dtype=bool)
    safe_dst = np.where(dst >= 0, dst, 0)
    counted = ~page_nofollow[src] if len(src) else np.zeros(0, dtype=bool)
    evaporating = counted & nofollow & to_node & (equity.nofollow == "evaporate")
    low_value = (
        counted & ~flagged & ((to_node & (~node_ok[safe_dst] | node_low[safe_dst])) | blocked)
    )
    footer = pc.equal(edges.column("position"), "footer").to_numpy(zero_copy_only=False)
    footer_links = np.bincount(src[footer], minlength=graph.n) if len(src) else np.zeros(0)
    dump = (
        counted
        & footer
        & ~flagged
        & to_node
        & (footer_links[src] > FOOTER_LINKS if len(src) else np.zeros(0, dtype=bool))
        & (model.priorities[safe_dst] == 0)
        & ~low_value
    )
    chosen = np.flatnonzero(evaporating | low_value | dump)
    positions = edges.column("position").take(pa.array(chosen)).to_pylist()
    off_graph = edges.column("off_graph").take(pa.array(chosen)).to_pylist()
    weight = link_weights(links, equity, baseline.similarity)
    groups: dict[tuple[PlanAction, str, str, str], list[int]] = {}
    for i, row in enumerate(chosen):
        where = urls[dst[row]] if dst[row] >= 0 else str(off_graph[i])
        if evaporating[row]:
            action: PlanAction = "follow" if node_ok[dst[row]] else "remove"
            key = (action, "evaporating_nofollow", where, str(positions[i]))
        elif low_value[row]:
            key = ("remove", "low_value_target", where, str(positions[i]))
        else:
            key = ("remove", "footer_link_dump", where, str(positions[i]))
        groups.setdefault(key, []).append(int(row))
    candidates = [
        _Candidate(a, r, t, p, np.array(rows, dtype=np.int64))
        for (a, r, t, p), rows in groups.items()
    ]
    d = equity.damping
    safe = np.where(graph.total_weight > 0, graph.total_weight, 1.0)
    stake = d * baseline.scores[src] * weight / safe[src]

    def at_stake(c: _Candidate) -> float:
        return float(stake[c.rows].sum())

    templates = sorted(
        (c for c in candidates if c.rows.size >= TEMPLATE_PAGES), key=at_stake, reverse=True
    )[:TEMPLATES]
    singles = [
        (c, int(r))
        for c in candidates
        if c.rows.size < TEMPLATE_PAGES and c.reason != "footer_link_dump"
        for r in c.rows
    ]
    singles.sort(key=lambda item: (-float(stake[item[1]]), item[1]))
    rows: list[dict[str, object]] = []
    plans: list[list[dict[str, object]]] = []  # per suggestion, a plan row per page changed
    gains: list[float] = []
    base_objective = float(baseline.scores @ model.priorities)
    for c in templates:
        changes = tuple(LinkChange(c.action, urls[int(src[r])], c.target_url) for r in c.rows)
        gain = float(model.priorities @ simulate(baseline, changes).scores_after)
        gains.append(gain - base_objective)
        rows.append(_row(c, None, int(c.rows.size), at_stake(c), gains[-1]))
        plans.append([_plan_row(c, urls[int(src[r])]) for r in c.rows])
    for c, r in singles[:limit]:
        s, w = int(src[r]), float(weight[r])
        if c.action == "follow":
            change = RowChange(s, int(dst[r]), 0.0, w)
        elif to_node[r]:
            passes = 0.0 if nofollow[r] else -w
            change = RowChange(s, int(dst[r]) if passes else -1, -w, passes)
        else:
            change = RowChange(s, -1, -w, 0.0)
        gains.append(model.objective_after(model.objective_change(change)) - model.objective)
        rows.append(_row(c, urls[s], 1, float(stake[r]), gains[-1]))
        plans.append([_plan_row(c, urls[s])])
    order = sorted((i for i in range(len(rows)) if gains[i] > 0), key=lambda i: -gains[i])
    table = _table([rows[i] for i in order], tuple(_COLUMNS))
    return table, _table([entry for i in order for entry in plans[i]], _PLAN_COLUMNS)


#: The columns of the suggestions and of their plan, with their types.
_COLUMNS: Final = {
    "action": pa.string(),
    "reason": pa.string(),
    "source_url": pa.string(),
    "target_url": pa.string(),
    "position": pa.string(),
    "pages": pa.int64(),
    "equity_at_stake": pa.float64(),
    "predicted_priority_gain": pa.float64(),
}
_PLAN_COLUMNS: Final = ("action", "source_url", "target_url", "position", "reason")


def _table(rows: list[dict[str, object]], names: tuple[str, ...]) -> pa.Table:
    return pa.table({name: pa.array([r[name] for r in rows], _COLUMNS[name]) for name in names})


def no_changes() -> tuple[pa.Table, pa.Table]:
    """The two tables of :func:`suggest_changes`, empty."""
    return _table([], tuple(_COLUMNS)), _table([], _PLAN_COLUMNS)


def _row(
    c: _Candidate, source: str | None, pages: int, stake: float, gain: float
) -> dict[str, object]:
    return {
        "action": c.action,
        "reason": c.reason,
        "source_url": source,
        "target_url": c.target_url,
        "position": c.position,
        "pages": pages,
        "equity_at_stake": stake,
        "predicted_priority_gain": gain,
    }


def _plan_row(c: _Candidate, source: str) -> dict[str, object]:
    return {"action": c.action, "source_url": source, "target_url": c.target_url,
            "position": c.position, "reason": c.reason}  # fmt: skip
