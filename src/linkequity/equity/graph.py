"""The equity graph of one crawl, built from the store by the equity model (analyze stage).

What every URL of the crawl does with the equity its inlinks bring (its *role*):

============== ======================================================================
role           a link to it ...
============== ======================================================================
page           ... reaches it: a live HTML page (2xx) is a node of the graph
canonicalised  ... reaches its canonical, when that is a live, indexable page
redirect       ... reaches the end of the redirect chain, whatever that end is
broken         ... is wasted: 4xx, 5xx, no response
redirect_loop  ... is wasted: the chain comes back on itself
blocked        ... is wasted: robots.txt forbids fetching it, so it passes nothing on
non_html       ... is left out of the share-out (a node with ``include_non_html``)
unfetched      ... is left out: a link target the crawl never fetched (``page_scores``
               lists it; the graph has no fact of it)
============== ======================================================================

Links to URLs the crawl never fetched (beyond ``max_pages``, out of scope) are left out of the
share-out too, and so are ``mailto:``, ``tel:`` and ``javascript:`` links and links from a
page to itself. A link to another site takes its share out of the site (*leak*). Only the links
of ``page`` URLs count: a canonicalised duplicate receives nothing, so its links pass nothing.

Each counted link has a weight, its position's; ``nofollow``, ``sponsored`` and ``ugc`` links
(and every link of a meta-nofollow page) are followed, excluded or evaporated by their rel
policy; a link evaporates when any of its tokens says so, passes equity only when all say
``follow``. ``P[i, j]`` is the weight of the links from i to j over the weight of all i's
counted links, so a row sums to less than 1 when part of i's equity is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import scipy.sparse as sp

from linkequity.equity.pagerank import transition_matrix
from linkequity.parse.headers import robots_directives
from linkequity.records import (
    OUTCOMES,
    POSITIONS,
    IndexabilityReason,
    LinkOutcome,
    PageRole,
    is_html,
)
from linkequity.settings import EquitySettings
from linkequity.store import Store
from linkequity.urls import registrable_domain

__all__ = [
    "EquityGraph",
    "GraphLinks",
    "Losses",
    "Resolution",
    "Similarity",
    "assemble",
    "build_graph",
    "graph_links",
    "link_weights",
    "patched",
    "position_codes",
    "says_nofollow",
]

#: The agent whose scoped X-Robots-Tag directives apply: the model is of Google's link graph.
_SEARCH_ENGINE = "googlebot"
_F64 = npt.NDArray[np.float64]
_I32 = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where one crawled URL's inlinks take their equity."""

    url: str
    role: PageRole
    equity_url: str | None
    """The node reached (itself for a page); None when the equity is wasted or leaves."""
    outcome: LinkOutcome
    chain: tuple[str, ...] = ()
    """For a redirect: every URL after the first, in order."""


@dataclass(frozen=True, slots=True)
class Losses:
    """Per node, the weight of its counted links that pass nothing to another page."""

    evaporated_nofollow: _F64
    evaporated_sponsored: _F64
    evaporated_ugc: _F64
    leaked_external: _F64
    wasted_broken: _F64
    wasted_blocked: _F64


@dataclass(frozen=True, slots=True)
class EquityGraph:
    """Nodes, the links that pass equity between them and what the others lose."""

    urls: list[str]
    """Node id -> URL, sorted."""
    transitions: sp.csr_array
    """``P``: row i is the share of node i's equity each node receives through links."""
    src: _I32
    dst: _I32
    share: _F64
    """Flow edges (one per counted link, duplicates kept) and their share of the source."""
    position: npt.NDArray[np.int8]
    """Index into :data:`~linkequity.records.POSITIONS` of each flow edge."""
    link_src: _I32
    link_ordinal: _I32
    link_share: _F64
    """Every followed link occurrence that takes a share of its source's equity (passes it
    on, wastes it on a broken or blocked target, or leaks it to another site; not the
    evaporating ones): its source node, its ordinal on the page and that share."""
    total_weight: _F64
    """Weight of all counted links of each node; 0 for a node without any (dangling)."""
    losses: Losses
    resolutions: dict[str, Resolution]
    """Every crawled URL's role."""
    nofollow_pages: frozenset[str]
    """Pages whose meta robots or X-Robots-Tag says nofollow."""
    roles: pa.Table
    """The resolutions as a table (url, role, equity_url, outcome), for joins in SQL."""

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.urls)


@dataclass(frozen=True, slots=True)
class _Fact:
    status_code: int | None
    html: bool
    redirect_url: str | None
    canonical_url: str | None
    indexable: bool
    blocked: bool


def _base_role(fact: _Fact) -> PageRole:
    status = fact.status_code
    if fact.blocked:
        return "blocked"
    if status is None:
        return "broken"
    if 300 <= status < 400:
        return "redirect"
    if not 200 <= status < 300:
        return "broken"
    return "page" if fact.html else "non_html"


class _Resolver:
    """Follows redirect chains and canonicals over the crawl's pages."""

    def __init__(self, facts: dict[str, _Fact], site_domain: str, non_html_nodes: bool) -> None:
        self.facts = facts
        self.site_domain = site_domain
        self.non_html_nodes = non_html_nodes

    def _canonical_target(self, url: str, fact: _Fact) -> str | None:
        target = fact.canonical_url
        if target is None or target == url:
            return None
        other = self.facts.get(target)
        if other is None or _base_role(other) != "page" or not other.indexable:
            return None
        return target

    def _landing(self, url: str, role: PageRole) -> tuple[str | None, LinkOutcome]:
        """(node URL, outcome) of a link to a non-redirect URL with this role."""
        if role == "page":
            fact = self.facts[url]
            canonical = self._canonical_target(url, fact)
            return (canonical or url), "node"
        if role == "non_html":
            return (url, "node") if self.non_html_nodes else (None, "excluded")
        if role == "blocked":
            return None, "blocked"
        return None, "broken"

    def resolve(self, url: str) -> Resolution:
        fact = self.facts[url]
        role = _base_role(fact)
        if role != "redirect":
            equity_url, outcome = self._landing(url, role)
            if role == "page" and equity_url != url:
                role = "canonicalised"
            return Resolution(url, role, equity_url, outcome)
        if fact.redirect_url is None:
            # A 3xx whose Location is unknown (an export that gives only the status): where
            # its equity goes cannot be told, so links to it are left out like unfetched URLs.
            return Resolution(url, "redirect", None, "excluded")
        chain: list[str] = []
        seen = {url}
        current: str | None = fact.redirect_url
        while current is not None:
            chain.append(current)
            if current in seen:
                return Resolution(url, "redirect_loop", None, "broken", tuple(chain))
            seen.add(current)
            step = self.facts.get(current)
            if step is None:
                outcome = "excluded" if _domain_of(current) == self.site_domain else "external"
                return Resolution(url, "redirect", None, outcome, tuple(chain))
            step_role = _base_role(step)
            if step_role != "redirect":
                equity_url, outcome = self._landing(current, step_role)
                return Resolution(url, "redirect", equity_url, outcome, tuple(chain))
            current = step.redirect_url
        return Resolution(url, "redirect", None, "excluded", tuple(chain))


def says_nofollow(meta_robots: str | None, x_robots_tag: str | None) -> bool:
    """Whether a page's meta robots or X-Robots-Tag makes all its links nofollow for Google."""
    if not (meta_robots or x_robots_tag):
        return False
    return "nofollow" in robots_directives(meta_robots, x_robots_tag, _SEARCH_ENGINE)


def _facts(store: Store, crawl_id: int) -> tuple[dict[str, _Fact], set[str]]:
    """Page facts of the crawl, and the URLs whose links are nofollow by meta or header."""
    rows = store.rows(
        "SELECT url, status_code, content_type, redirect_url, canonical_url, meta_robots, "
        "x_robots_tag, indexable, indexability_reason FROM pages WHERE crawl_id = ?",
        [crawl_id],
    )
    facts: dict[str, _Fact] = {}
    nofollow: set[str] = set()
    for url, status, ctype, redirect, canonical, meta, header, indexable, reason in rows:
        # An imported page known only from a links export has no content type; the tool
        # requested it as a link target, so it is taken for a page.
        html = is_html(ctype) or (ctype is None and reason == IndexabilityReason.UNKNOWN)
        facts[url] = _Fact(
            status,
            html,
            redirect,
            canonical,
            bool(indexable),
            reason == IndexabilityReason.BLOCKED,
        )
        if says_nofollow(meta, header):
            nofollow.add(url)
    return facts, nofollow


def _domain_of(url: str) -> str:
    """Registrable domain of a URL's host (ports and credentials dropped)."""
    return registrable_domain(urlsplit(url).hostname or "")


_OUTCOME_CODES: Final = {name: i for i, name in enumerate(OUTCOMES)}


@dataclass(frozen=True, slots=True)
class GraphLinks:
    """What a graph is assembled from: its nodes, every crawled URL's role and the counted
    links, before weights and rel policies are applied (a what-if edits these links)."""

    urls: list[str]
    """Node id -> URL, sorted."""
    edges: pa.Table
    """One row per counted link occurrence, in (src, ordinal) order: ``src`` and ``dst``
    node ids (``dst`` -1 off the graph), ``outcome`` (:data:`~linkequity.records.OUTCOMES`),
    ``position``, ``is_nofollow`` (the link's rel or its page's meta robots),
    ``is_sponsored``, ``is_ugc``, ``ordinal``, and ``off_graph``: the target URL of a link
    that reaches no node, null for the others."""
    resolutions: dict[str, Resolution]
    nofollow_pages: frozenset[str]


def build_graph(
    store: Store, crawl_id: int, settings: EquitySettings, similarity: Similarity | None = None
) -> EquityGraph:
    """The equity graph of one crawl under ``settings``."""
    return assemble(graph_links(store, crawl_id, settings), settings, similarity)


def graph_links(store: Store, crawl_id: int, settings: EquitySettings) -> GraphLinks:
    """The nodes, roles and counted links of one crawl under ``settings``."""
    row = store.one("SELECT start_url FROM crawls WHERE crawl_id = ?", [crawl_id])
    start = str(row[0]) if row else ""
    facts, page_nofollow = _facts(store, crawl_id)
    resolver = _Resolver(facts, _domain_of(start), settings.include_non_html)
    resolutions = {url: resolver.resolve(url) for url in facts}
    node_urls = sorted(
        {r.equity_url for r in resolutions.values() if r.outcome == "node" and r.equity_url}
    )
    node_id = {url: i for i, url in enumerate(node_urls)}
    edges = _link_table(store, crawl_id, resolutions, node_id, page_nofollow, settings)
    return GraphLinks(node_urls, edges, resolutions, frozenset(page_nofollow))


def _link_table(
    store: Store,
    crawl_id: int,
    resolutions: dict[str, Resolution],
    node_id: dict[str, int],
    page_nofollow: set[str],
    settings: EquitySettings,
) -> pa.Table:
    """The counted links: src id, dst id (-1 off-graph), outcome, position, rel flags, the
    link's ordinal on its page and the URL of a target off the graph."""
    resolve = pa.table(
        {
            "url": pa.array(list(resolutions), pa.string()),
            "dst": pa.array(
                [node_id.get(r.equity_url or "", -1) for r in resolutions.values()], pa.int32()
            ),
            "outcome": pa.array([r.outcome for r in resolutions.values()], pa.string()),
        }
    )
    sources = [url for url, r in resolutions.items() if r.role == "page"]
    source_table = pa.table(
        {
            "url": pa.array(sources, pa.string()),
            "src": pa.array([node_id[u] for u in sources], pa.int32()),
            "page_nofollow": pa.array([u in page_nofollow for u in sources], pa.bool_()),
        }
    )
    first = settings.duplicate_links == "first"
    with store.registered(_resolve=resolve, _sources=source_table):
        return store.arrow(
            f"""
            WITH counted AS (
                SELECT s.src,
                       coalesce(r.dst, -1) AS dst,
                       CASE WHEN NOT l.is_internal THEN 'external'
                            ELSE coalesce(r.outcome, 'excluded') END AS outcome,
                       -- the URL only for targets off the graph: partitioning on an id
                       -- and a mostly-NULL string, not the id cast to text (1.36 s -> 1.14 s
                       -- for 4M links)
                       CASE WHEN r.dst >= 0 THEN NULL ELSE l.dst_url END AS off_graph,
                       l.ordinal, l.position,
                       l.is_nofollow OR s.page_nofollow AS is_nofollow,
                       l.is_sponsored, l.is_ugc
                FROM links l
                JOIN _sources s ON l.src_url = s.url
                LEFT JOIN _resolve r ON l.dst_url = r.url
                WHERE l.crawl_id = ?
                  AND (l.dst_url LIKE 'http://%' OR l.dst_url LIKE 'https://%')
            )
            SELECT src, dst, outcome, position, is_nofollow, is_sponsored, is_ugc, ordinal,
                   off_graph
            FROM counted
            -- a link to a URL left out of the graph still takes its share when its rel
            -- makes it evaporate, so rel-flagged ones are kept until the policy is applied
            WHERE (outcome <> 'excluded' OR is_nofollow OR is_sponsored OR is_ugc) AND dst <> src
            {
                "QUALIFY row_number() OVER (PARTITION BY src, dst, off_graph ORDER BY ordinal) = 1"
                if first
                else ""
            }
            ORDER BY src, ordinal
            """,
            [crawl_id],
        )


#: The cosine of the text of pages ``src[i]`` and ``dst[i]`` (node ids) for every ``i``;
#: NaN where a page has no text. Handed in by whoever holds the text model (the analysis,
#: the plan), since the equity model does not read text.
Similarity = Callable[[_I32, _I32], _F64]


def position_codes(links: GraphLinks) -> npt.NDArray[np.int8]:
    """Index into :data:`~linkequity.records.POSITIONS` of each counted link's position."""
    return _codes(links.edges.column("position"), np.array(POSITIONS)).astype(np.int8)


def link_weights(
    links: GraphLinks,
    settings: EquitySettings,
    similarity: Similarity | None = None,
    position: npt.NDArray[np.int8] | None = None,
) -> _F64:
    """The weight of each counted link of ``links``: its position's, leaning toward the
    similarity of its two pages by ``relevance_weight`` (links to a node only);
    ``position`` when the caller has the position codes already."""
    edges = links.edges
    codes = position_codes(links) if position is None else position
    weights_by_position = settings.position_weights()
    weight: _F64 = np.array([weights_by_position[p] for p in POSITIONS])[codes]
    r = settings.relevance_weight
    if r > 0 and similarity is not None and len(weight):
        src = edges.column("src").to_numpy().astype(np.int32)
        dst = edges.column("dst").to_numpy().astype(np.int32)
        on = np.flatnonzero(dst >= 0)
        cosine = similarity(src[on], dst[on])
        factor = np.where(np.isnan(cosine), 1.0, (1.0 - r) + r * np.nan_to_num(cosine))
        weight[on] *= factor
    return weight


def assemble(
    links: GraphLinks, settings: EquitySettings, similarity: Similarity | None = None
) -> EquityGraph:
    """The equity graph of ``links``: position weights (leaning toward the pages'
    ``similarity`` by ``relevance_weight``) and rel policies applied."""
    node_urls, edges, resolutions = links.urls, links.edges, links.resolutions
    nofollow_pages = links.nofollow_pages
    n = len(node_urls)
    src = edges.column("src").to_numpy().astype(np.int32)
    dst = edges.column("dst").to_numpy().astype(np.int32)
    outcome_names = np.array(OUTCOMES)
    outcome = _codes(edges.column("outcome"), outcome_names)
    position = position_codes(links)
    weight = link_weights(links, settings, similarity, position)

    flags = {
        "nofollow": edges.column("is_nofollow").to_numpy(zero_copy_only=False),
        "sponsored": edges.column("is_sponsored").to_numpy(zero_copy_only=False),
        "ugc": edges.column("is_ugc").to_numpy(zero_copy_only=False),
    }
    policies = {
        "nofollow": settings.nofollow,
        "sponsored": settings.sponsored,
        "ugc": settings.ugc,
    }
    evaporate = np.zeros(len(src), dtype=bool)
    exclude = np.zeros(len(src), dtype=bool)
    evaporated_by: dict[str, npt.NDArray[np.bool_]] = {}
    for token, flagged in flags.items():
        # A link evaporates through the first of its tokens (nofollow, sponsored, ugc) whose
        # policy says so; that token is the one the loss is reported under.
        hit = flagged & (policies[token] == "evaporate") & ~evaporate
        evaporated_by[token] = hit
        evaporate |= hit
        exclude |= flagged & (policies[token] == "exclude")
    exclude &= ~evaporate
    exclude |= ~evaporate & (outcome == _OUTCOME_CODES["excluded"])
    kept = ~exclude
    follow = kept & ~evaporate

    total_weight = np.bincount(src[kept], weights=weight[kept], minlength=n)
    flows = follow & (outcome == _OUTCOME_CODES["node"])
    safe_total = np.where(total_weight > 0, total_weight, 1.0)
    share = weight[flows] / safe_total[src[flows]]
    transitions = transition_matrix(n, src[flows], dst[flows], weight[flows], total_weight)

    def lost(mask: npt.NDArray[np.bool_]) -> _F64:
        result: _F64 = np.bincount(src[mask], weights=weight[mask], minlength=n).astype(np.float64)
        return result

    losses = Losses(
        evaporated_nofollow=lost(evaporated_by["nofollow"]),
        evaporated_sponsored=lost(evaporated_by["sponsored"]),
        evaporated_ugc=lost(evaporated_by["ugc"]),
        leaked_external=lost(follow & (outcome == _OUTCOME_CODES["external"])),
        wasted_broken=lost(follow & (outcome == _OUTCOME_CODES["broken"])),
        wasted_blocked=lost(follow & (outcome == _OUTCOME_CODES["blocked"])),
    )
    return EquityGraph(
        urls=node_urls,
        transitions=transitions,
        src=src[flows],
        dst=dst[flows],
        share=share,
        position=position[flows],
        link_src=src[follow],
        link_ordinal=edges.column("ordinal").to_numpy().astype(np.int32)[follow],
        link_share=weight[follow] / safe_total[src[follow]],
        total_weight=total_weight.astype(np.float64),
        losses=losses,
        resolutions=resolutions,
        nofollow_pages=nofollow_pages,
        roles=pa.table(
            {
                "url": pa.array(list(resolutions), pa.string()),
                "role": pa.array([r.role for r in resolutions.values()], pa.string()),
                "equity_url": pa.array([r.equity_url for r in resolutions.values()], pa.string()),
                "outcome": pa.array([r.outcome for r in resolutions.values()], pa.string()),
            }
        ),
    )


def _codes(column: pa.ChunkedArray, names: npt.NDArray[np.str_]) -> npt.NDArray[np.int64]:
    """Index of each value of a string column in ``names``."""
    encoded = column.combine_chunks().dictionary_encode()
    dictionary = np.array(encoded.dictionary.to_pylist(), dtype=object)
    lookup = np.array([int(np.flatnonzero(names == value)[0]) for value in dictionary], np.int64)
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    result: npt.NDArray[np.int64] = lookup[indices] if len(indices) else np.zeros(0, np.int64)
    return result


def patched(graph: EquityGraph, sources: npt.NDArray[np.int64], part: EquityGraph) -> EquityGraph:
    """``graph`` with the links of the pages ``sources`` replaced by ``part``'s (a graph
    assembled from all the links of those pages alone): what assembling the whole changed
    site gives, at the cost of the changed pages' links and one pass over the matrix."""
    n = graph.n
    touched = np.zeros(n, dtype=bool)
    touched[sources] = True
    untouched = sp.diags_array((~touched).astype(np.float64))
    transitions = sp.csr_array(untouched @ graph.transitions + part.transitions)
    transitions.sort_indices()
    flows = ~touched[graph.src]
    followed = ~touched[graph.link_src]

    def spliced(old: npt.NDArray[Any], new: npt.NDArray[Any], keep: npt.NDArray[np.bool_]) -> Any:
        return np.concatenate([old[keep], new])

    def per_node(old: _F64, new: _F64) -> _F64:
        result: _F64 = np.where(touched, new, old)
        return result

    losses = Losses(
        **{
            name: per_node(getattr(graph.losses, name), getattr(part.losses, name))
            for name in Losses.__slots__
        }
    )
    return EquityGraph(
        urls=graph.urls,
        transitions=transitions,
        src=spliced(graph.src, part.src, flows),
        dst=spliced(graph.dst, part.dst, flows),
        share=spliced(graph.share, part.share, flows),
        position=spliced(graph.position, part.position, flows),
        link_src=spliced(graph.link_src, part.link_src, followed),
        link_ordinal=spliced(graph.link_ordinal, part.link_ordinal, followed),
        link_share=spliced(graph.link_share, part.link_share, followed),
        total_weight=per_node(graph.total_weight, part.total_weight),
        losses=losses,
        resolutions=graph.resolutions,
        nofollow_pages=graph.nofollow_pages,
        roles=graph.roles,
    )
